"""The users resource: list, read, {% if cookiecutter.auth == "none" %}create, {% endif %}change and delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter{% if cookiecutter.auth != "none" %}, Depends{% endif %}, Path, Query, {% if cookiecutter.auth == "none" %}Request, {% endif %}{% if cookiecutter.auth != "jwt" %}Response, {% endif %}status
{%- if cookiecutter.database != "mongodb" %}
from sqlalchemy.ext.asyncio import AsyncSession
{%- endif %}
{%- if cookiecutter.auth == "none" %}

from ..dependencies import DbSession, PasswordHasher
{%- else %}

from ..dependencies import (
{%- if cookiecutter.auth == "session" %}
    AppSettings,
{%- endif %}
    CurrentUser,
    DbSession,
    PasswordHasher,
    get_current_user,
)
{%- endif %}
{%- if cookiecutter.database == "mongodb" %}
from ..documents import User
{%- endif %}
from ..errors import (
    BODY_ERRORS,
    Conflict,
{%- if cookiecutter.auth != "none" %}
    Forbidden,
{%- endif %}
    NotFound,
{%- if cookiecutter.auth != "none" %}
    Unauthorized,
{%- endif %}
    ValidationFailed,
    error_responses,
)
{%- if cookiecutter.database == "mongodb" %}
from ..mongo import Database
{%- else %}
from ..models import User
{%- endif %}
from ..schemas import PageQuery, {% if cookiecutter.auth == "none" %}UserCreate, {% endif %}UserOut, UserPage, UserUpdate
from ..services import users
from ..web import JSONRoute{% if cookiecutter.auth == "session" %}, clear_session_cookie{% endif %}

router = APIRouter(
    prefix="/api/users",
    tags=["users"],
    route_class=JSONRoute,
{%- if cookiecutter.auth != "none" %}
    # Every user route needs a signed-in caller; 401 otherwise.
    dependencies=[Depends(get_current_user)],
{%- endif %}
)
{%- if cookiecutter.database == "mongodb" %}
# An id is an ObjectId's 24 hex characters; the service answers 404 for any other.
USER_PATH = "/{id}"
{%- else %}
# An id is a whole number; anything else matches no route and answers 404.
USER_PATH = "/{id:int}"
{%- endif %}
# `{id}` in the path, as every resource of the contract names it.
UserId = Annotated[
    {{ 'str' if cookiecutter.database == 'mongodb' else 'int' }},
    Path(alias="id"{% if cookiecutter.database == "mongodb" %}, json_schema_extra={"pattern": "^[0-9a-f]{24}$"}{% else %}, json_schema_extra={"minimum": 1}{% endif %}),
]
{%- if cookiecutter.auth == "none" %}
UPDATE_ERRORS = error_responses(*BODY_ERRORS, NotFound, Conflict)
{%- else %}
UPDATE_ERRORS = error_responses(
    *BODY_ERRORS, Unauthorized, Forbidden, NotFound, Conflict
)
{%- endif %}


@router.get(
    "",
    summary="List users, oldest first",
    operation_id="listUsers",
    responses=error_responses({% if cookiecutter.auth != "none" %}Unauthorized, {% endif %}ValidationFailed),
)
async def list_users(page: Annotated[PageQuery, Query()], db: DbSession) -> UserPage:
    items, total = await users.list_users(db, limit=page.limit, offset=page.offset)
    return UserPage(
        items=[UserOut.model_validate(user) for user in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )
{%- if cookiecutter.auth == "none" %}


@router.post(
    "",
    summary="Create a user",
    operation_id="createUser",
    status_code=status.HTTP_201_CREATED,
    response_model=UserOut,
    responses=error_responses(*BODY_ERRORS, Conflict),
)
async def create_user(
    data: UserCreate,
    db: DbSession,
    passwords: PasswordHasher,
    request: Request,
    response: Response,
) -> User:
    user = await users.create_user(
        db, passwords, email=data.email, password=data.password, username=data.username
    )
    location = request.app.url_path_for("read_user", id=user.id)
    response.headers["Location"] = location
    return user
{%- endif %}


@router.get(
    USER_PATH,
    summary="Read a user",
    operation_id="getUser",
    response_model=UserOut,
    responses=error_responses({% if cookiecutter.auth != "none" %}Unauthorized, {% endif %}NotFound),
)
async def read_user(user_id: UserId, db: DbSession) -> User:
    return await users.get_user(db, user_id)


@router.patch(
    USER_PATH,
    summary="Change a user (only the fields sent)",
    operation_id="updateUser",
    response_model=UserOut,
    responses=UPDATE_ERRORS,
)
@router.put(
    USER_PATH,
    summary="Change a user (the same partial meaning as PATCH)",
    operation_id="replaceUser",
    response_model=UserOut,
    responses=UPDATE_ERRORS,
)
async def update_user(
    user_id: UserId,
    data: UserUpdate,
    db: DbSession,
    passwords: PasswordHasher,
{%- if cookiecutter.auth != "none" %}
    caller: CurrentUser,
{%- endif %}
) -> User:
    user = await _changeable_user(db, user_id{% if cookiecutter.auth != "none" %}, caller{% endif %})
    return await users.update_user(
        db,
        passwords,
        user,
        email=data.email,
        username=data.username,
        password=data.password,
    )


@router.delete(
    USER_PATH,
    summary="Delete a user",
    operation_id="deleteUser",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses({% if cookiecutter.auth != "none" %}Unauthorized, Forbidden, {% endif %}NotFound),
)
async def delete_user(
    user_id: UserId,
    db: DbSession,
{%- if cookiecutter.auth != "none" %}
    caller: CurrentUser,
{%- endif %}
{%- if cookiecutter.auth == "session" %}
    settings: AppSettings,
    response: Response,
{%- endif %}
) -> None:
    user = await _changeable_user(db, user_id{% if cookiecutter.auth != "none" %}, caller{% endif %})
    await users.delete_user(db, user)
{%- if cookiecutter.auth == "session" %}
    # Its sessions are gone with it (the database cascades); so is the cookie.
    clear_session_cookie(response, settings)
{%- endif %}
{%- if cookiecutter.auth == "none" %}


async def _changeable_user(db: {{ 'Database' if cookiecutter.database == 'mongodb' else 'AsyncSession' }}, user_id: {{ 'str' if cookiecutter.database == 'mongodb' else 'int' }}) -> User:
    """The user with this id; without auth, anyone may change anyone."""
    return await users.get_user(db, user_id)
{%- else %}


async def _changeable_user(db: {{ 'Database' if cookiecutter.database == 'mongodb' else 'AsyncSession' }}, user_id: {{ 'str' if cookiecutter.database == 'mongodb' else 'int' }}, caller: User) -> User:
    """The user with this id, if it is the caller: others may only be read.

    An unknown id answers 404 before the ownership check can answer 403.
    """
    user = await users.get_user(db, user_id)
    if user.id != caller.id:
        raise Forbidden("You may only change your own account")
    return user
{%- endif %}
