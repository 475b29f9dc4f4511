"""The users service on its own: hashing, usernames and uniqueness rules."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.errors import Conflict, NotFound
from {{ cookiecutter.package_name }}.security import Passwords
from {{ cookiecutter.package_name }}.services import users

pytestmark = pytest.mark.anyio


async def test_when_a_user_is_created_then_only_an_argon2id_hash_is_stored(
    db: AsyncSession, passwords: Passwords, password: str
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
    db: AsyncSession, email: str, expected: str
) -> None:
    assert await users.derive_username(db, email) == expected


async def test_when_the_derived_username_is_taken_then_a_number_is_added(
    db: AsyncSession, passwords: Passwords, password: str
) -> None:
    await users.create_user(db, passwords, email="ada@example.com", password=password)
    await users.create_user(db, passwords, email="ada@example.org", password=password)

    assert await users.derive_username(db, "ada@example.net") == "ada3"


async def test_when_the_email_exists_in_another_case_then_conflict(
    db: AsyncSession, passwords: Passwords, password: str
) -> None:
    await users.create_user(db, passwords, email="ada@example.com", password=password)

    with pytest.raises(Conflict):
        await users.create_user(
            db, passwords, email="ADA@EXAMPLE.COM", password=password
        )


async def test_when_the_id_is_out_of_range_then_not_found(db: AsyncSession) -> None:
    with pytest.raises(NotFound):
        await users.get_user(db, 2**80)
