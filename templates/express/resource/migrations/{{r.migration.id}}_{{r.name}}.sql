{%- import "_js.jinja" as t -%}
{%- set pg = cookiecutter.database == "postgres" -%}
{%- set db = cookiecutter.database -%}
{%- set table = '"' ~ r.name ~ '"' -%}
{%- set lines = [] -%}
{%- if pg -%}
{%- do lines.append("id BIGINT GENERATED ALWAYS AS IDENTITY") -%}
{%- else -%}
{%- do lines.append("id INTEGER NOT NULL CONSTRAINT pk_" ~ r.name ~ " PRIMARY KEY AUTOINCREMENT") -%}
{%- endif -%}
{%- if r.owned %}{% do lines.append("owner_id " ~ ("BIGINT" if pg else "INTEGER") ~ " NOT NULL") %}{% endif -%}
{%- for f in r.fields -%}
{%- do lines.append('"' ~ f.column ~ '" ' ~ t.sql_type(f, db) ~ ("" if f.optional else " NOT NULL")) -%}
{%- endfor -%}
{%- do lines.append("created_at " ~ ("TIMESTAMPTZ" if pg else "TEXT") ~ " NOT NULL") -%}
{%- do lines.append("updated_at " ~ ("TIMESTAMPTZ" if pg else "TEXT") ~ " NOT NULL") -%}
{%- if pg %}{% do lines.append("CONSTRAINT pk_" ~ r.name ~ " PRIMARY KEY (id)") %}{% endif -%}
{%- for f in r.fields if f.type == "enum" -%}
{%- do lines.append("CONSTRAINT ck_" ~ r.name ~ "_" ~ f.column ~ " CHECK (\"" ~ f.column ~ "\" IN (" ~ (f.choices | map("js") | join(", ")) ~ "))") -%}
{%- endfor -%}
{%- if r.owned -%}
{%- do lines.append("CONSTRAINT fk_" ~ r.name ~ "_owner_id_users FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE") -%}
{%- endif -%}
{%- for f in r.refs -%}
{%- do lines.append("CONSTRAINT fk_" ~ r.name ~ "_" ~ f.column ~ "_" ~ f.target ~ " FOREIGN KEY (\"" ~ f.column ~ "\") REFERENCES \"" ~ f.target ~ "\" (id)" ~ (" ON DELETE SET NULL" if f.optional else "")) -%}
{%- endfor -%}
{%- for f in r.fields if f.unique -%}
{%- do lines.append("CONSTRAINT uq_" ~ r.name ~ "_" ~ f.column ~ " UNIQUE (\"" ~ f.column ~ "\")") -%}
{%- endfor -%}
{%- set indexed = (["owner_id"] if r.owned else []) + (r.fields | rejectattr("unique") | selectattr("index") | map(attribute="column") | list) + (r.refs | rejectattr("unique") | rejectattr("index") | map(attribute="column") | list) -%}
-- Create the {{ r.name }} table (scaffold add resource, after {{ r.migration.parent }}).
-- Applied once by `npm run migrate`; to change the table, add a new migration after this one.
{%- if not pg %}
-- Decimals are integers scaled by 10^scale, times ISO 8601 text in UTC, JSON as text.
{%- endif %}

CREATE TABLE {{ table }} (
{%- for line in lines %}
  {{ line }}{% if not loop.last %},{% endif %}
{%- endfor %}
);
{%- for column in indexed %}
CREATE INDEX ix_{{ r.name }}_{{ column }} ON {{ table }} ("{{ column }}");
{%- endfor %}
