{%- import "_python.jinja" as t -%}
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


def upgrade() -> None:
    op.create_table(
        {{ r.name | py }},
        sa.Column("id", Id, nullable=False),
{%- if r.owned %}
        sa.Column("owner_id", Id, nullable=False),
{%- endif %}
{%- for f in r.fields %}
        sa.Column({{ f.column | py }}, {{ t.sa_type(f, "sa.") }}, nullable={{ f.optional }}),
{%- endfor %}
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
{%- for f in r.fields if f.type == "enum" %}
        sa.CheckConstraint(
            sa.column({{ f.column | py }}).in_({{ f.choices | list | py }}),
            name=op.f("ck_{{ r.name }}_{{ f.column }}"),
        ),
{%- endfor %}
{%- if r.owned %}
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_{{ r.name }}_owner_id_users"),
            ondelete="CASCADE",
        ),
{%- endif %}
{%- for f in r.refs %}
        sa.ForeignKeyConstraint(
            [{{ f.column | py }}],
            ["{{ f.target }}.id"],
            name=op.f("fk_{{ r.name }}_{{ f.column }}_{{ f.target }}"),
{%- if f.optional %}
            ondelete="SET NULL",
{%- endif %}
        ),
{%- endfor %}
        sa.PrimaryKeyConstraint("id", name=op.f("pk_{{ r.name }}")),
{%- for f in r.fields if f.unique %}
        sa.UniqueConstraint({{ f.column | py }}, name=op.f("uq_{{ r.name }}_{{ f.column }}")),
{%- endfor %}
        sqlite_autoincrement=True,
    )
{%- set indexed = (["owner_id"] if r.owned else []) + (r.fields | rejectattr("unique") | selectattr("index") | map(attribute="column") | list) + (r.refs | rejectattr("unique") | rejectattr("index") | map(attribute="column") | list) %}
{%- for column in indexed %}
    op.create_index(op.f("ix_{{ r.name }}_{{ column }}"), {{ r.name | py }}, [{{ column | py }}])
{%- endfor %}


def downgrade() -> None:
{%- for column in indexed | reverse %}
    op.drop_index(op.f("ix_{{ r.name }}_{{ column }}"), table_name={{ r.name | py }})
{%- endfor %}
    op.drop_table({{ r.name | py }})
