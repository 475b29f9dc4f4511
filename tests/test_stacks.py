"""The stack catalogue: parsing, aliases and defaults."""

from __future__ import annotations

import pytest

from scaffold import stacks
from scaffold.errors import ConflictingOptionsError, UnknownChoiceError
from scaffold.stacks import Selection, Stack


def test_when_listing_all_stacks_then_there_are_27_unique_names() -> None:
    names = [s.name for s in stacks.all_stacks()]
    assert len(names) == 27
    assert len(set(names)) == 27


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("flask-sqlite", Stack("flask", "sqlite", "jwt")),
        ("flask-sqlite-session", Stack("flask", "sqlite", "session")),
        ("FastAPI-PostgreSQL-none", Stack("fastapi", "postgres", "none")),
        ("express-mongo", Stack("express", "mongodb", "jwt")),
        (" flask-postgres-jwt ", Stack("flask", "postgres", "jwt")),
    ],
)
def test_when_parsing_a_stack_then_aliases_and_the_jwt_default_apply(text: str, expected: Stack) -> None:
    assert stacks.parse_stack(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("flsk-sqlite", "unknown framework 'flsk'; did you mean 'flask'?"),
        ("flask-sqllite", "unknown database 'sqllite'; did you mean 'sqlite'?"),
        ("flask-postgre", "unknown database 'postgre'; did you mean 'postgres'?"),
        ("flask-sqlite-jwtt", "unknown auth mode 'jwtt'; did you mean 'jwt'?"),
        ("django-sqlite", "unknown framework 'django'; choose one of: flask, fastapi, express"),
        ("flask", "is not framework-database[-auth]"),
        ("flask-sqlite-jwt-extra", "is not framework-database[-auth]"),
        ("flask--jwt", "is not framework-database[-auth]"),
    ],
)
def test_when_a_stack_is_misspelt_then_the_error_suggests_the_fix(text: str, message: str) -> None:
    with pytest.raises(UnknownChoiceError, match=message.replace("[", r"\[").replace("]", r"\]")):
        stacks.parse_stack(text)


def test_when_flags_agree_with_the_stack_then_the_selection_is_the_stack() -> None:
    assert stacks.select("flask-postgres-session", framework="flask", auth="session") == Selection(
        "flask", "postgres", "session"
    )


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            {"framework": "fastapi"},
            "--stack flask-sqlite means framework 'flask' but --framework says 'fastapi'",
        ),
        ({"database": "postgresql"}, "means database 'sqlite' but --database says 'postgres'"),
        ({"auth": "none"}, "means auth 'jwt' but --auth says 'none'"),
    ],
)
def test_when_flags_contradict_the_stack_then_it_is_refused(flags: dict[str, str], message: str) -> None:
    with pytest.raises(ConflictingOptionsError, match=message):
        stacks.select("flask-sqlite", **flags)


def test_when_choices_are_open_then_the_defaults_are_flask_sqlite_jwt() -> None:
    assert stacks.complete_with_defaults(Selection(auth="session")) == Stack("flask", "sqlite", "session")
