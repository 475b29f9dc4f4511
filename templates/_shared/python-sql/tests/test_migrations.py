"""Migrations: one unbroken history, and the schema it builds is the models' schema."""

from __future__ import annotations

import warnings

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from {{ cookiecutter.package_name }}.db import MIGRATIONS


def alembic_config() -> Config:
    """The configuration the app migrates with, without reading alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def read_history() -> ScriptDirectory:
    """Every revision file, read as `alembic upgrade` reads them."""
    history = ScriptDirectory.from_config(alembic_config())
    # A down_revision naming no revision, or a revision id used twice, only warns
    # (and then fails with a bare KeyError): make the warning the failure.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        history.get_heads()
    return history


def test_when_the_history_is_read_then_it_has_exactly_one_head() -> None:
    heads = read_history().get_heads()

    # Two heads: `upgrade head` refuses to run; `alembic merge heads` joins them.
    assert len(heads) == 1, f"migration heads {heads}; run `alembic merge heads`"


def test_when_any_revision_is_followed_down_then_it_reaches_the_one_base() -> None:
    history = read_history()
    bases = history.get_bases()
    assert len(bases) == 1, f"revisions with no down_revision: {bases}"

    for revision in history.walk_revisions():
        reached = {
            ancestor.revision
            for ancestor in history.walk_revisions(head=revision.revision)
            if ancestor.is_base
        }
        assert reached == set(bases), f"{revision.revision} comes down to {reached}"


def test_when_the_test_database_is_at_head_then_the_models_need_no_new_migration(
    database_url: str,
) -> None:
    config = alembic_config()
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            # What `alembic check` does: autogenerate through migrations/env.py;
            # it raises when the models differ or the database is not at head.
            command.check(config)
    finally:
        engine.dispose()
