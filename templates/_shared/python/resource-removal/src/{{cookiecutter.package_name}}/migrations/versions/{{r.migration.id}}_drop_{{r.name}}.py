{%- import "_migration.jinja" as m -%}
"""Drop the {{ r.name }} table: `scaffold remove resource {{ r.name }}`.

Its rows go with it. The revision that created it stays, as every applied revision does;
the downgrade creates the table again, empty.

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


def upgrade() -> None:{{ m.drop(r) }}


def downgrade() -> None:{{ m.create(r) }}
