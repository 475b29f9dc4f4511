{%- if cookiecutter.database == "mongodb" %}{% include "mongodb/tests/test_services_users.py" %}{% else -%}
"""The users service on its own: hashing, usernames and uniqueness rules."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from {{ cookiecutter.package_name }}.errors import Conflict, NotFound
from {{ cookiecutter.package_name }}.security import passwords
from {{ cookiecutter.package_name }}.services import users


def test_when_a_user_is_created_then_only_an_argon2id_hash_is_stored(
    session: Session, password: str
) -> None:
    user = users.create_user(session, email="Ada@Example.com", password=password)

    assert user.email == "ada@example.com"
    assert user.password_hash.startswith("$argon2id$")
    assert password not in user.password_hash
    assert passwords.verify(user.password_hash, password)
    assert not passwords.verify(user.password_hash, "wrong password")


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("ada.lovelace@example.com", "ada.lovelace"),
        ("a+b@example.com", "ab_"),
        ("üñî@example.com", "___"),
        ("x" * 64 + "@example.com", "x" * 64),
    ],
)
def test_when_deriving_a_username_then_it_keeps_only_allowed_characters(
    session: Session, email: str, expected: str
) -> None:
    assert users.derive_username(session, email) == expected


def test_when_the_derived_username_is_taken_then_a_number_is_added(
    session: Session, password: str
) -> None:
    users.create_user(session, email="ada@example.com", password=password)
    users.create_user(session, email="ada@example.org", password=password)

    assert users.derive_username(session, "ada@example.net") == "ada3"


def test_when_the_email_exists_in_another_case_then_conflict(
    session: Session, password: str
) -> None:
    users.create_user(session, email="ada@example.com", password=password)

    with pytest.raises(Conflict):
        users.create_user(session, email="ADA@EXAMPLE.COM", password=password)


def test_when_the_id_is_out_of_range_then_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        users.get_user(session, 2**80)
{% endif %}