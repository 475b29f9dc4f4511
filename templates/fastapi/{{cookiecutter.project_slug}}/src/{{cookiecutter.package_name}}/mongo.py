"""MongoDB: the async client, the indexes that stand in for a schema, and the ping."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pymongo import ASCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import CollectionInvalid, OperationFailure

from .config import Settings
from .documents import (
{%- if cookiecutter.auth != "none" %}
    LOGIN_FAILURES,
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}
    REVOKED_TOKENS,
{%- elif cookiecutter.auth == "session" %}
    SESSIONS,
{%- endif %}
    USERS,
{%- if cookiecutter.auth != "none" %}
    WINDOW,
{%- endif %}
)

logger = logging.getLogger(__name__)

Document = dict[str, Any]
Database = AsyncDatabase[Document]

# An unreachable server must answer 503 within seconds, never hang a request.
# Options given in DATABASE_URL's query string win over these.
CLIENT_DEFAULTS: dict[str, Any] = {
    "serverSelectionTimeoutMS": 3000,
    "connectTimeoutMS": 3000,
    "socketTimeoutMS": 10000,
}
# Checked by the server on every write, as a second line behind the pydantic schemas.
USER_VALIDATOR = {
    "$jsonSchema": {
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
            "username": {"bsonType": "string", "minLength": 3, "maxLength": 80},
            "password_hash": {"bsonType": "string"},
            "is_active": {"bsonType": "bool"},
            "created_at": {"bsonType": "date"},
            "updated_at": {"bsonType": "date"},
        },
    }
}
INDEXES: dict[str, list[IndexModel]] = {
    USERS: [
        # Uniqueness holds under concurrent requests: the server decides, not a check.
        IndexModel("email", unique=True),
        IndexModel("username", unique=True),
        IndexModel([("created_at", ASCENDING), ("_id", ASCENDING)]),
    ],
{%- if cookiecutter.auth == "jwt" %}
    # TTL indexes: MongoDB deletes each document once its `expires_at` has passed.
    REVOKED_TOKENS: [
        IndexModel("expires_at", expireAfterSeconds=0),
        IndexModel("user_id"),
    ],
{%- elif cookiecutter.auth == "session" %}
    # TTL indexes: MongoDB deletes each document once its `expires_at` has passed.
    SESSIONS: [
        IndexModel("expires_at", expireAfterSeconds=0),
        IndexModel("user_id"),
    ],
{%- endif %}
{%- if cookiecutter.auth != "none" %}
    LOGIN_FAILURES: [
        IndexModel([("client", ASCENDING), ("failed_at", ASCENDING)]),
        IndexModel("failed_at", expireAfterSeconds=int(WINDOW.total_seconds())),
    ],
{%- endif %}
}


def client_options(url: str) -> dict[str, Any]:
    """The client's keyword options: the defaults that DATABASE_URL does not set."""
    given = {name.lower() for name, _ in parse_qsl(urlsplit(url).query)}
    options = {k: v for k, v in CLIENT_DEFAULTS.items() if k.lower() not in given}
    # Aware UTC datetimes out, as they went in.
    return {**options, "tz_aware": True}


def make_client(settings: Settings) -> AsyncMongoClient[Document]:
    """Build the client; it connects lazily, on its first operation."""
    url = settings.database_url
    return AsyncMongoClient(url, **client_options(url))


def default_database(client: AsyncMongoClient[Document]) -> Database:
    """The database that DATABASE_URL names in its path."""
    return client.get_default_database()


async def ping(database: Database) -> None:
    """Make one real round trip to the server; raises when it cannot."""
    await database.command("ping")


async def create_indexes(database: Database) -> None:
    """Create the collections' validators and indexes; safe to run again and at once."""
    # Imported here, not at the top: the resources it lists use this module.
    from .registry import RESOURCES

    await _validate(database, USERS, USER_VALIDATOR)
    for collection, indexes in INDEXES.items():
        await database[collection].create_indexes(indexes)
    for resource in RESOURCES:
        if resource.validator is not None:
            await _validate(database, resource.name, resource.validator)
        if resource.indexes:
            await database[resource.name].create_indexes(list(resource.indexes))


async def _validate(database: Database, name: str, validator: Document) -> None:
    try:
        await database.create_collection(name, validator=validator)
    except (CollectionInvalid, OperationFailure):
        # It exists already (made earlier, or by another worker just now).
        await database.command("collMod", name, validator=validator)


class Indexes:
    """Creates the indexes once per process, retrying until the server has answered.

    The app starts while MongoDB is down (requests answer 503 meanwhile); the first
    request after it is back creates them before touching any collection.
    """

    def __init__(self, database: Database) -> None:
        self._database = database
        self._lock = asyncio.Lock()
        self._ready = False

    async def ensure(self) -> None:
        if self._ready:
            return
        async with self._lock:
            if not self._ready:
                await create_indexes(self._database)
                self._ready = True
                logger.info("MongoDB indexes are in place")
