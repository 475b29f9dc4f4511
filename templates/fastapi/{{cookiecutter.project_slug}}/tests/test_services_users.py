"""The users service on its own: hashing, usernames and uniqueness rules."""

from __future__ import annotations
{% if cookiecutter.database == "mongodb" %}
import asyncio

import pytest

from {{ cookiecutter.package_name }}.documents import User
from {{ cookiecutter.package_name }}.errors import Conflict, NotFound
from {{ cookiecutter.package_name }}.mongo import Database
{%- else %}
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.errors import Conflict, NotFound
{%- endif %}
from {{ cookiecutter.package_name }}.security import Passwords
from {{ cookiecutter.package_name }}.services import users

pytestmark = pytest.mark.anyio


async def test_when_a_user_is_created_then_only_an_argon2id_hash_is_stored(
    db: {{ 'Database' if cookiecutter.database == 'mongodb' else 'AsyncSession' }}, passwords: Passwords, password: str
) -> None:
    user = await users.create_user(
        db, passwords, email="Ada@Example.com", password=password
    )

    assert user.email == "ada@example.com"
    assert user.password_hash.startswith("$argon2id$")
    assert password not in user.password_hash
    assert await passwords.verify(user.password_hash, password)
    assert not await passwords.verify(user.password_hash, "wrong password")


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("ada.lovelace@example.com", "ada.lovelace"),
        ("a+b@example.com", "ab_"),
        ("üñî@example.com", "___"),
        ("x" * 64 + "@example.com", "x" * 64),
    ],
)
async def test_when_deriving_a_username_then_it_keeps_only_allowed_characters(
    db: {{ 'Database' if cookiecutter.database == 'mongodb' else 'AsyncSession' }}, email: str, expected: str
) -> None:
    assert await users.derive_username(db, email) == expected


async def test_when_the_derived_username_is_taken_then_a_number_is_added(
    db: {{ 'Database' if cookiecutter.database == 'mongodb' else 'AsyncSession' }}, passwords: Passwords, password: str
) -> None:
    await users.create_user(db, passwords, email="ada@example.com", password=password)
    await users.create_user(db, passwords, email="ada@example.org", password=password)

    assert await users.derive_username(db, "ada@example.net") == "ada3"


async def test_when_the_email_exists_in_another_case_then_conflict(
    db: {{ 'Database' if cookiecutter.database == 'mongodb' else 'AsyncSession' }}, passwords: Passwords, password: str
) -> None:
    await users.create_user(db, passwords, email="ada@example.com", password=password)

    with pytest.raises(Conflict):
        await users.create_user(
            db, passwords, email="ADA@EXAMPLE.COM", password=password
        )
{%- if cookiecutter.database == "mongodb" %}


@pytest.mark.parametrize("user_id", ["0" * 24, "abc", "g" * 24, "f" * 25, "%24ne"])
async def test_when_the_id_is_unknown_or_wrong_shaped_then_not_found(
    db: Database, user_id: str
) -> None:
    with pytest.raises(NotFound):
        await users.get_user(db, user_id)


async def test_when_two_requests_race_for_one_email_then_one_wins_and_one_conflicts(
    db: Database, passwords: Passwords, password: str
) -> None:
    # Both pass the "is it free?" check before either writes; the unique index decides.
    results = await asyncio.gather(
        *(
            users.create_user(
                db, passwords, email="ada@example.com", password=password, username=name
            )
            for name in ("ada_one", "ada_two", "ada_three")
        ),
        return_exceptions=True,
    )

    assert sum(isinstance(result, User) for result in results) == 1
    assert sum(isinstance(result, Conflict) for result in results) == 2


async def test_when_derived_usernames_race_then_every_registration_gets_one(
    db: Database, passwords: Passwords, password: str
) -> None:
    created = await asyncio.gather(
        *(
            users.create_user(db, passwords, email=f"ada@{n}.test", password=password)
            for n in "xyz"
        )
    )

    assert sorted(user.username for user in created) == ["ada", "ada2", "ada3"]


async def test_when_a_user_changes_nothing_then_nothing_is_written(
    db: Database, passwords: Passwords, password: str
) -> None:
    user = await users.create_user(
        db, passwords, email="ada@example.com", password=password
    )

    same = await users.update_user(db, passwords, user, email="ADA@example.com")

    assert same.updated_at == user.updated_at
{%- else %}


async def test_when_the_id_is_out_of_range_then_not_found(db: AsyncSession) -> None:
    with pytest.raises(NotFound):
        await users.get_user(db, 2**80)
{%- endif %}
