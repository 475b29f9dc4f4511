{%- set session = "database" if cookiecutter.database == "mongodb" else "session" -%}
{%- set Session = "Database[Document]" if cookiecutter.database == "mongodb" else "Session" -%}
"""The users service on its own: hashing, usernames and uniqueness rules."""

from __future__ import annotations

import pytest
{%- if cookiecutter.database == "mongodb" %}
from pymongo.database import Database
{%- else %}
from sqlalchemy.orm import Session
{%- endif %}
{% if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.documents import Document
{%- endif %}
from {{ cookiecutter.package_name }}.errors import Conflict, NotFound
from {{ cookiecutter.package_name }}.security import passwords
from {{ cookiecutter.package_name }}.services import users


def test_when_a_user_is_created_then_only_an_argon2id_hash_is_stored(
    {{ session }}: {{ Session }}, password: str
) -> None:
    user = users.create_user({{ session }}, email="Ada@Example.com", password=password)
{% if cookiecutter.database == "mongodb" %}
    stored = database["users"].find_one({"email": "ada@example.com"})
    assert stored is not None
    assert str(stored["_id"]) == user.id
    assert stored["password_hash"].startswith("$argon2id$")
    assert password not in str(stored)
{%- else %}
    assert user.email == "ada@example.com"
    assert user.password_hash.startswith("$argon2id$")
    assert password not in user.password_hash
{%- endif %}
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
    {{ session }}: {{ Session }}, email: str, expected: str
) -> None:
    assert users.derive_username({{ session }}, email) == expected


def test_when_the_derived_username_is_taken_then_a_number_is_added(
    {{ session }}: {{ Session }}, password: str
) -> None:
    users.create_user({{ session }}, email="ada@example.com", password=password)
    users.create_user({{ session }}, email="ada@example.org", password=password)

    assert users.derive_username({{ session }}, "ada@example.net") == "ada3"
{%- if cookiecutter.database == "mongodb" %}


def test_when_a_username_holds_regex_characters_then_they_match_literally(
    database: Database[Document], password: str
) -> None:
    users.create_user(database, email="a.b@example.com", password=password)

    assert users.derive_username(database, "axb@example.com") == "axb"
    assert users.derive_username(database, "a.b@example.org") == "a.b2"
{%- endif %}


def test_when_the_email_exists_in_another_case_then_conflict(
    {{ session }}: {{ Session }}, password: str
) -> None:
    users.create_user({{ session }}, email="ada@example.com", password=password)

    with pytest.raises(Conflict):
        users.create_user({{ session }}, email="ADA@EXAMPLE.COM", password=password)
{%- if cookiecutter.database == "mongodb" %}


def test_when_a_race_slips_past_the_checks_then_the_unique_index_gives_conflict(
    database: Database[Document], password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    users.create_user(database, email="ada@example.com", password=password)
    bob = users.create_user(database, email="bob@example.com", password=password)
    # As if another request had written between the check and the write.
    monkeypatch.setattr(users, "_ensure_email_free", lambda *args: None)
    monkeypatch.setattr(users, "_ensure_username_free", lambda *args: None)

    with pytest.raises(Conflict):
        users.create_user(database, email="ada@example.com", password=password)
    with pytest.raises(Conflict):
        users.update_user(database, bob, username="ada")
    assert database["users"].count_documents({}) == 2


@pytest.mark.parametrize("user_id", ["0" * 24, "abc", "g" * 24, "A" * 25, ""])
def test_when_the_id_is_unknown_or_malformed_then_not_found(
    database: Database[Document], user_id: str
) -> None:
    with pytest.raises(NotFound):
        users.get_user(database, user_id)


def test_when_a_user_is_deleted_then_the_next_one_gets_a_new_id(
    database: Database[Document], password: str
) -> None:
    ada = users.create_user(database, email="ada@example.com", password=password)
    users.delete_user(database, ada)

    again = users.create_user(database, email="ada@example.com", password=password)

    assert again.id != ada.id
    with pytest.raises(NotFound):
        users.get_user(database, ada.id)
{%- else %}


def test_when_the_id_is_out_of_range_then_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        users.get_user(session, 2**80)
{%- endif %}
