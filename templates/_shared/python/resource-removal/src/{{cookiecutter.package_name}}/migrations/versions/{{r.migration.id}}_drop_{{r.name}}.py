{%- import "_migration.jinja" as m -%}
"""Drop the {{ r.name }} table: `scaffold remove resource {{ r.name }}`.

Its rows go with it. The revision that created it stays, as every applied revision does;
the downgrade creates the table again, empty.
{{ m.head(r) }}


def upgrade() -> None:{{ m.drop(r) }}


def downgrade() -> None:{{ m.create(r) }}
