{%- import "_migration.jinja" as m -%}
"""Create the {{ r.name }} table.
{{ m.head(r) }}


def upgrade() -> None:{{ m.create(r) }}


def downgrade() -> None:{{ m.drop(r) }}
