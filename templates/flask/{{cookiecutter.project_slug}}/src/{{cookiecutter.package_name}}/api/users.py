{%- set handle = "db.database" if cookiecutter.database == "mongodb" else "db.session" -%}
{%- set user_id_type = "str" if cookiecutter.database == "mongodb" else "int" -%}
{#- MongoDB ids are ObjectId hex strings; a wrong shape is a 404 from the service. -#}
{%- set user_path = "<user_id>" if cookiecutter.database == "mongodb" else "<int:user_id>" -%}
"""The users resource: list, read, {% if cookiecutter.auth == "none" %}create, {% endif %}change and delete."""

from __future__ import annotations

from flask import Blueprint{% if cookiecutter.auth == "none" %}, url_for{% elif cookiecutter.auth == "session" %}, Response{% endif %}

from ..db import db
{%- if cookiecutter.database == "mongodb" %}
from ..documents import User
{%- endif %}
{%- if cookiecutter.auth != "none" %}
from ..errors import Forbidden
{%- endif %}
{%- if cookiecutter.database != "mongodb" %}
from ..models import User
{%- endif %}
from ..schemas import PageQuery, {% if cookiecutter.auth == "none" %}UserCreate, {% endif %}UserOut, UserPage, UserUpdate
from ..services import users
from ..web import json_body, query_args
{%- if cookiecutter.auth != "none" %}
from .guards import {% if cookiecutter.auth == "session" %}clear_session_cookie, {% endif %}current_user, login_required
{%- endif %}

bp = Blueprint("users", __name__, url_prefix="/api/users")


def user_json(user: User) -> dict[str, object]:
    return UserOut.model_validate(user).model_dump(mode="json")


@bp.get("")
{%- if cookiecutter.auth != "none" %}
@login_required
{%- endif %}
def list_users() -> dict[str, object]:
    page = query_args(PageQuery)
    items, total = users.list_users({{ handle }}, limit=page.limit, offset=page.offset)
    return UserPage(
        items=[UserOut.model_validate(user) for user in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    ).model_dump(mode="json")
{%- if cookiecutter.auth == "none" %}


@bp.post("")
def create_user() -> tuple[dict[str, object], int, dict[str, str]]:
    data = json_body(UserCreate)
    user = users.create_user(
        {{ handle }}, email=data.email, password=data.password, username=data.username
    )
    location = url_for("users.get_user", user_id=user.id)
    return user_json(user), 201, {"Location": location}
{%- endif %}


@bp.get("/{{ user_path }}")
{%- if cookiecutter.auth != "none" %}
@login_required
{%- endif %}
def get_user(user_id: {{ user_id_type }}) -> dict[str, object]:
    return user_json(users.get_user({{ handle }}, user_id))


# PUT has the same partial meaning as PATCH, as the contract asks.
@bp.route("/{{ user_path }}", methods=["PATCH", "PUT"])
{%- if cookiecutter.auth != "none" %}
@login_required
{%- endif %}
def update_user(user_id: {{ user_id_type }}) -> dict[str, object]:
    user = _own_user(user_id)
    data = json_body(UserUpdate)
    users.update_user(
        {{ handle }},
        user,
        email=data.email,
        username=data.username,
        password=data.password,
    )
    return user_json(user)


@bp.delete("/{{ user_path }}")
{%- if cookiecutter.auth != "none" %}
@login_required
{%- endif %}
{%- if cookiecutter.auth == "session" %}
def delete_user(user_id: {{ user_id_type }}) -> Response:
    users.delete_user({{ handle }}, _own_user(user_id))
    response = Response(status=204)
    clear_session_cookie(response)
    return response
{%- else %}
def delete_user(user_id: {{ user_id_type }}) -> tuple[str, int]:
    users.delete_user({{ handle }}, _own_user(user_id))
    return "", 204
{%- endif %}


def _own_user(user_id: {{ user_id_type }}) -> User:
{%- if cookiecutter.auth == "none" %}
    """The user with this id; without auth, anyone may change anyone."""
{%- else %}
    """The user with this id, if it is the caller: others may only be read."""
{%- endif %}
    user = users.get_user({{ handle }}, user_id)
{%- if cookiecutter.auth != "none" %}
    if user.id != current_user().id:
        raise Forbidden("You may only change your own account")
{%- endif %}
    return user
