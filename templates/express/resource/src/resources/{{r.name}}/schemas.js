{%- import "_js.jinja" as t -%}
{%- set s = r.singular | replace("_", " ") -%}
{%- set v = r.Singular[0] | lower ~ r.Singular[1:] -%}
{%- set defaulted = r.fields | selectattr("has_default") | list -%}
/** {{ r.Singular }} on the wire: the bodies that create and change one, and the answers. */
import { z } from 'zod';
import * as fields from '../fields.js';

// What the server sets: never in a body.
const SET_BY_SERVER = ['id', {% if r.owned %}'owner_id', {% endif %}'created_at', 'updated_at'];
// The fields a body may set to null; the rest must be left out instead.
const NULLABLE = {{ r.fields | selectattr("optional") | map(attribute="column") | list | js }};
{%- if defaulted %}
// What a create leaves out takes these (checked like any other value).
const DEFAULTS = {
{%- for f in defaulted %}
  {{ f.column }}: {{ f.default | js }},
{%- endfor %}
};
{%- endif %}
{%- for f in r.fields %}
const {{ f.column | upper }} = {{ t.zod(f) }};
{%- endfor %}

// Strict: an unknown field is an error, not ignored.
// The document shows null where a body may send it, and the defaults a create fills in.
export const {{ v }}Create = z.strictObject({
{%- for f in r.fields %}
  {{ f.column }}: {% if f.optional %}fields.nullable({{ f.column | upper }}){% else %}{{ f.column | upper }}{% endif %}{% if f.optional or f.has_default %}.optional(){% endif %}{% if f.has_default %}.meta({ default: DEFAULTS.{{ f.column }} }){% endif %},
{%- endfor %}
});
// Any of the fields; PUT has the same partial meaning as PATCH.
export const {{ v }}Update = z.strictObject({
{%- for f in r.fields %}
  {{ f.column }}: {% if f.optional %}fields.nullable({{ f.column | upper }}){% else %}{{ f.column | upper }}{% endif %}.optional(),
{%- endfor %}
});

/** A create's values: the body with its defaults, or ValidationError naming each bad field. */
export const toCreate = (body) => fields.validateBody({{ v }}Create, body, { server: SET_BY_SERVER, nullable: NULLABLE{% if defaulted %}, defaults: DEFAULTS{% endif %} });
/** A change's values: only the fields the body holds. */
export const toUpdate = (body) => fields.validateBody({{ v }}Update, body, { server: SET_BY_SERVER, nullable: NULLABLE });

/** A {{ s }} as the API shows it. */
export const {{ v }} = z.object({
  id: fields.id,
{%- if r.owned %}
  owner_id: fields.id,
{%- endif %}
{%- for f in r.fields %}
  {{ f.column }}: {% if f.optional %}fields.nullable({{ f.column | upper }}){% else %}{{ f.column | upper }}{% endif %},
{%- endfor %}
  created_at: fields.timestamp,
  updated_at: fields.timestamp,
});
export const {{ v }}Page = z.object({ items: z.array({{ v }}), total: fields.id, limit: fields.id, offset: fields.id });
