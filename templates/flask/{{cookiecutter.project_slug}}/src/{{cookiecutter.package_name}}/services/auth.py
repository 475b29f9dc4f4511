{%- if cookiecutter.database == "mongodb" %}{% include "mongodb/services/auth.py" %}{% else -%}
"""Checking a user's email and password."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..errors import InvalidCredentials
from ..models import User
from ..security import passwords
from . import users


def authenticate(session: Session, email: str, password: str) -> User:
    """The active user with these credentials; the same error for any mismatch."""
    user = users.find_by_email(session, email)
    if user is None:
        passwords.waste_time(password)
        raise InvalidCredentials()
    if not passwords.verify(user.password_hash, password) or not user.is_active:
        raise InvalidCredentials()
    if passwords.needs_rehash(user.password_hash):
        # Hashes made with older parameters are upgraded while the password is known.
        user.password_hash = passwords.hash(password)
        session.commit()
    return user
{% endif %}