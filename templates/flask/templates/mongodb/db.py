"""The database extension: a MongoDB client per app, and the indexes it relies on."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import Flask, current_app
from pymongo import ASCENDING, MongoClient
from pymongo.database import Database as MongoDatabase
from pymongo.errors import CollectionInvalid, OperationFailure

from .config import Settings
from .documents import Document

logger = logging.getLogger(__name__)

USERS = "users"
{%- if cookiecutter.auth == "session" %}
SESSIONS = "sessions"
{%- elif cookiecutter.auth == "jwt" %}
REVOKED_TOKENS = "revoked_tokens"
{%- endif %}
{%- if cookiecutter.auth != "none" %}
LOGIN_FAILURES = "login_failures"
# Failed logins matter for one minute; the server deletes them a minute later.
LOGIN_FAILURE_TTL = 60
{%- endif %}

# An unreachable server must fail fast (503), never hang a request. Each applies
# unless DATABASE_URL sets it itself (?serverSelectionTimeoutMS=...).
TIMEOUTS_MS = {
    "serverSelectionTimeoutMS": 3000,
    "connectTimeoutMS": 3000,
    "socketTimeoutMS": 10000,
}

# The application validates every write; the server keeps the same shape as a backstop.
USER_SCHEMA = {
    "bsonType": "object",
    "required": [
        "email",
        "username",
        "password_hash",
        "is_active",
        "created_at",
        "updated_at",
    ],
    "properties": {
        "email": {"bsonType": "string", "maxLength": 254},
        "username": {"bsonType": "string", "pattern": "^[A-Za-z0-9_.-]{3,80}$"},
        "password_hash": {"bsonType": "string"},
        "is_active": {"bsonType": "bool"},
        "created_at": {"bsonType": "date"},
        "updated_at": {"bsonType": "date"},
    },
}


def make_client(settings: Settings) -> MongoClient[Document]:
    """A client for DATABASE_URL; it connects lazily, in the background."""
    given = urlsplit(settings.database_url).query.lower()
    timeouts = {key: ms for key, ms in TIMEOUTS_MS.items() if key.lower() not in given}
    return MongoClient(
        settings.database_url, tz_aware=True, appname=__package__, **timeouts
    )


def ping(client: MongoClient[Document]) -> None:
    """Make one real round trip to the server; raises when it cannot."""
    client.admin.command("ping")


def ensure_schema(database: MongoDatabase[Document]) -> None:
    """Create the validators and the indexes; idempotent, so every start runs it."""
    # Imported here, not at the top: the resources it lists use this module.
    from .registry import RESOURCES

    _validate(database, USERS, {"$jsonSchema": USER_SCHEMA})
    users = database[USERS]
    # The unique indexes decide when two requests race for one email or username.
    users.create_index("email", unique=True, name="email_unique")
    users.create_index("username", unique=True, name="username_unique")
    users.create_index([("created_at", ASCENDING), ("_id", ASCENDING)], name="oldest")
{%- if cookiecutter.auth == "session" %}
    sessions = database[SESSIONS]
    sessions.create_index("user_id", name="user_id")
    # The server deletes each session once its expires_at has passed.
    sessions.create_index("expires_at", expireAfterSeconds=0, name="expiry")
{%- elif cookiecutter.auth == "jwt" %}
    revoked = database[REVOKED_TOKENS]
    revoked.create_index("user_id", name="user_id")
    # A revoked token is kept until it would have expired anyway, then deleted.
    revoked.create_index("expires_at", expireAfterSeconds=0, name="expiry")
{%- endif %}
{%- if cookiecutter.auth != "none" %}
    failures = database[LOGIN_FAILURES]
    failures.create_index(
        [("client", ASCENDING), ("failed_at", ASCENDING)], name="client_failed_at"
    )
    failures.create_index(
        "failed_at", expireAfterSeconds=LOGIN_FAILURE_TTL, name="expiry"
    )
{%- endif %}
    for resource in RESOURCES:
        if resource.validator is not None:
            _validate(database, resource.name, resource.validator)
        if resource.indexes:
            database[resource.name].create_indexes(list(resource.indexes))


def _validate(
    database: MongoDatabase[Document], name: str, validator: Document
) -> None:
    # An existing collection keeps its documents and gets the validator (collMod).
    try:
        database.create_collection(name, validator=validator)
        return
    except CollectionInvalid:
        pass  # it exists already
    except OperationFailure as exc:
        if exc.code != 48:  # NamespaceExists: another worker created it just now
            raise
    database.command("collMod", name, validator=validator)


@dataclass
class _State:
    client: MongoClient[Document]
    database: MongoDatabase[Document]
    ready: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class Database:
    """Binds a MongoDB client to each app; the schema is ensured before first use."""

    def init_app(self, app: Flask, settings: Settings) -> None:
        client = make_client(settings)
        app.extensions["database"] = _State(client, client.get_default_database())

    @staticmethod
    def _state() -> _State:
        state: _State = current_app.extensions["database"]
        return state

    @property
    def client(self) -> MongoClient[Document]:
        return self._state().client

    @property
    def database(self) -> MongoDatabase[Document]:
        """The app's database, its indexes in place (a 503 until the server answers)."""
        state = self._state()
        if not state.ready:
            with state.lock:
                if not state.ready:
                    ensure_schema(state.database)
                    state.ready = True
        return state.database


db = Database()
