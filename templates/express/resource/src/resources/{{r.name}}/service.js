{%- set what = r.singular | replace("_", " ") | capitalize -%}
{%- set private = r.access == "private" -%}
{%- set checks_owner = r.access in ("owner", "public-read") -%}
/**
 * The resource's rules, knowing nothing of HTTP: creating, finding, listing, changing and
 * deleting its rows.
 */
import { ForeignKeyViolationError, UniqueViolationError } from '../../db/errors.js';
import { ConflictError, {% if checks_owner %}ForbiddenError, {% endif %}NotFoundError{% if r.refs %}, ValidationError{% endif %} } from '../../errors.js';
import { createTable{% if r.refs %}, hasRow{% endif %} } from '../table.js';

// How the answers name a row of this resource.
const WHAT = {{ what | js }};
// The columns of the fields, in order, with what the table needs to store each.
const COLUMNS = [
{%- for f in r.fields %}
  { name: {{ f.column | js }}, type: {{ f.type | js }}{% if f.type == "decimal" %}, scale: {{ f.scale }}{% endif %} },
{%- endfor %}
];
export const FILTERABLE = [
{%- for f in r.filterable %}
  { name: {{ f.column | js }}, type: {{ f.type | js }}, operators: {{ f.operators | js }}{% if f.choices %}, choices: {{ f.choices | list | js }}{% endif %} },
{%- endfor %}
];
export const SORTABLE = {{ r.sortable | js }};
const UNIQUE = {{ r.fields | selectattr("unique") | map(attribute="column") | list | js }};
{%- if r.refs %}
// Each reference, and the table of the rows it refers to.
const REFS = {{ r.ref_map[r.name] | js }};
{%- endif %}

export function create{{ r.Singular }}Service(db) {
  const table = createTable(db, { name: {{ r.name | js }}, columns: COLUMNS, owned: {{ r.owned | js }} });

  /** Refuse references to missing rows (422) and taken unique values (409). */
  async function check(values, rowId) {
{%- if r.refs %}
    const missing = {};
    for (const [field, target] of Object.entries(REFS)) {
      const id = values[field];
      if (id !== undefined && id !== null && !(await hasRow(db, target, id))) missing[field] = `no row of ${target} has this id`;
    }
    if (Object.keys(missing).length > 0) throw new ValidationError(undefined, { fields: missing });
{%- endif %}
    for (const name of UNIQUE) {
      if (values[name] === undefined || values[name] === null) continue;
      if (await table.taken(name, values[name], rowId)) {
        throw new ConflictError(`${name} is taken`, { fields: { [name]: 'is already taken' } });
      }
    }
  }

  // Two requests can race past the checks; the database's constraints decide.
  async function write(work) {
    try {
      return await work();
    } catch (error) {
      if (error instanceof UniqueViolationError || error instanceof ForeignKeyViolationError) {
        throw new ConflictError(`${WHAT} clashes with another row`, { cause: error });
      }
      throw error;
    }
  }
{%- if checks_owner %}

  function mayChange(row, viewer) {
    if (row.owner_id !== viewer) throw new ForbiddenError('You may only change your own rows');
  }
{%- endif %}

  return {
    async get(id{% if private %}, viewer{% endif %}) {
      const row = await table.get(id);
      if (!row{% if private %} || row.owner_id !== viewer{% endif %}) throw new NotFoundError(`${WHAT} not found`);
      return row;
    },
    /** One page of the list the query asks for, and how many match in all: { items, total }. */
    page(query{% if private %}, viewer{% endif %}) {
      return table.page(query{% if private %}, { owner_id: viewer }{% endif %});
    },
    async create(values{% if r.owned %}, ownerId{% endif %}) {
      await check(values, null);
      return write(() => table.insert({% if r.owned %}{ ...values, owner_id: ownerId }{% else %}values{% endif %}, new Date()));
    },
    async update(row, values{% if checks_owner %}, viewer{% endif %}) {
{%- if checks_owner %}
      mayChange(row, viewer);
{%- endif %}
      await check(values, row.id);
      if (Object.keys(values).length === 0) return row;
      return write(() => table.update(row.id, values, new Date()));
    },
    async remove(row{% if checks_owner %}, viewer{% endif %}) {
{%- if checks_owner %}
      mayChange(row, viewer);
{%- endif %}
      try {
        await table.remove(row.id);
      } catch (error) {
        // A required reference of another row holds on to it (its foreign key).
        if (error instanceof ForeignKeyViolationError) {
          throw new ConflictError('Other rows refer to it; delete those first', { cause: error });
        }
        throw error;
      }
    },
  };
}
