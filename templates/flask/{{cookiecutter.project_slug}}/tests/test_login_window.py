{%- set session = "database" if cookiecutter.database == "mongodb" else "session" -%}
{%- set Session = "Database[Document]" if cookiecutter.database == "mongodb" else "Session" -%}
"""The failed-login window: five failures a minute, kept in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
{%- if cookiecutter.database == "mongodb" %}
from pymongo.database import Database
{%- else %}
from sqlalchemy.orm import Session
{%- endif %}
{% if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.documents import Document, utcnow
from {{ cookiecutter.package_name }}.errors import RateLimited
{%- else %}
from {{ cookiecutter.package_name }}.errors import RateLimited
from {{ cookiecutter.package_name }}.models import utcnow
{%- endif %}
from {{ cookiecutter.package_name }}.services import login_limit

CLIENT = "203.0.113.7"


def test_when_the_minute_has_passed_then_the_client_may_try_again(
    {{ session }}: {{ Session }},
) -> None:
    start = utcnow()
    for second in range(5):
        login_limit.record_failure({{ session }}, CLIENT, start + timedelta(seconds=second))

    with pytest.raises(RateLimited):
        login_limit.ensure_allowed({{ session }}, CLIENT, 5, start + timedelta(seconds=30))
    login_limit.ensure_allowed({{ session }}, CLIENT, 5, start + timedelta(seconds=61))
