{%- import "_migration.jinja" as m -%}
"""Create the {{ r.name }} table.

Revision ID: {{ r.migration.id }}
Revises: {{ r.migration.parent }}
Create Date: {{ r.migration.created }}
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = {{ r.migration.id | py }}
down_revision = {{ r.migration.parent | py }}
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:{{ m.create(r) }}


def downgrade() -> None:{{ m.drop(r) }}
