{%- set session = "database" if cookiecutter.database == "mongodb" else "session" -%}
{%- set Session = "Database[Document]" if cookiecutter.database == "mongodb" else "Session" -%}
"""Checking a user's email and password."""

from __future__ import annotations
{% if cookiecutter.database == "mongodb" %}
from bson import ObjectId
from pymongo.database import Database

from ..db import USERS
from ..documents import Document, User
from ..errors import InvalidCredentials
{%- else %}
from sqlalchemy.orm import Session

from ..errors import InvalidCredentials
from ..models import User
{%- endif %}
from ..security import passwords
from . import users


def authenticate({{ session }}: {{ Session }}, email: str, password: str) -> User:
    """The active user with these credentials; the same error for any mismatch."""
    user = users.find_by_email({{ session }}, email)
    if user is None:
        passwords.waste_time(password)
        raise InvalidCredentials()
    if not passwords.verify(user.password_hash, password) or not user.is_active:
        raise InvalidCredentials()
    if passwords.needs_rehash(user.password_hash):
        # Hashes made with older parameters are upgraded while the password is known.
        user.password_hash = passwords.hash(password)
{%- if cookiecutter.database == "mongodb" %}
        database[USERS].update_one(
            {"_id": ObjectId(user.id)}, {"$set": {"password_hash": user.password_hash}}
        )
{%- else %}
        session.commit()
{%- endif %}
    return user
