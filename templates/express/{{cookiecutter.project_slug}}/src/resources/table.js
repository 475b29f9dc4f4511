/**
 * A resource's table: its rows read and written in the API's shape, and the list's SQL.
 *
 * Each field type is stored as {% if cookiecutter.database == "postgres" %}PostgreSQL's own type (NUMERIC for decimals, TIMESTAMPTZ, DATE, UUID,
 * JSON){% else %}SQLite holds it: decimals as integers scaled by 10^scale (SQLite's NUMERIC
 * is a binary float), times as ISO 8601 text in UTC (which sorts in time order), JSON as text{% endif %};
 * this module alone converts between that and the JSON values the API shows.
 */
{%- if cookiecutter.database == "sqlite" %}

// The range of SQLite's integers: a filter value beyond it matches as the bound would.
const INT64 = 2n ** 63n - 1n;
{%- endif %}

/** An identifier as SQL quotes it: field names such as `order` or `user` are SQL words. */
export const quoted = (name) => `"${name}"`;

/** What a LIKE pattern needs so that `text` matches only itself: no `%`, `_` or `\` of the caller's. */
const literal = (text) => text.replace(/[\\%_]/g, (char) => `\\${char}`);
{%- if cookiecutter.database == "sqlite" %}

/**
 * The exact integer `text` (a decimal number, an exponent allowed) times 10^scale, truncated
 * toward zero: how a decimal filter value compares with the stored, scaled integers.
 */
export function scaled(text, scale) {
  const [, sign, whole, fraction = '', exponent = '0'] = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  const digits = BigInt(`${whole}${fraction}`);
  const shift = Number(exponent) - fraction.length + scale;
  let value;
  if (digits === 0n || shift < -40) value = 0n;
  else if (shift > 40) value = 10n ** 40n;
  else value = shift >= 0 ? digits * 10n ** BigInt(shift) : digits / 10n ** BigInt(-shift);
  value = sign ? -value : value;
  return value > INT64 ? INT64 : value < -INT64 ? -INT64 : value;
}

/** A stored, scaled integer (as text, read exactly) back as the decimal's canonical text. */
function unscaled(text, scale) {
  const negative = text.startsWith('-');
  const digits = text.replace(/^-/, '').padStart(scale + 1, '0');
  const shown = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${shown}` : shown;
}
{%- endif %}

/** A column's value as the database stores it; `value` is what the body schema gave. */
function stored(column, value) {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'decimal':
{%- if cookiecutter.database == "sqlite" %}
      return scaled(value, column.scale);
{%- else %}
      return value;
{%- endif %}
    case 'datetime':
      return value.toISOString();
    case 'json':
      return JSON.stringify(value);
    default:
      return value;
  }
}

/** A filter value as the database compares it. */
function compared(column, value) {
{%- if cookiecutter.database == "sqlite" %}
  return column.type === 'decimal' ? scaled(value, column.scale) : stored(column, value);
{%- else %}
  // NUMERIC reads the text exactly, exponent and all.
  return column.type === 'decimal' ? value : stored(column, value);
{%- endif %}
}

/** A stored value as the API shows it. */
function shown(column, value) {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'int':
    case 'ref':
      return Number(value);
    case 'bool':
      return Boolean(value);
    case 'decimal':
{%- if cookiecutter.database == "sqlite" %}
      return unscaled(String(value), column.scale);
{%- else %}
      return value;
{%- endif %}
    case 'datetime':
      return new Date(value).toISOString();
{%- if cookiecutter.database == "sqlite" %}
    case 'json':
      return JSON.parse(value);
{%- endif %}
    default:
      return value;
  }
}

/** The SELECT list: each column as the API's value, read exactly. */
function selected(column) {
  const name = quoted(column.name);
{%- if cookiecutter.database == "sqlite" %}
  // As text: a scaled integer of 18 digits is beyond a JavaScript number's exact range.
  if (column.type === 'decimal') return `CAST(${name} AS TEXT) AS ${name}`;
{%- else %}
  // As text: pg would read a DATE as a local midnight.
  if (column.type === 'date') return `to_char(${name}, 'YYYY-MM-DD') AS ${name}`;
{%- endif %}
  return name;
}

/**
 * The table `name` with `columns` ([{ name, type, scale }], the fields in order); `owned`
 * when an owner_id column holds the owning user's id. Rows come back as the API shows them.
 */
export function createTable(db, { name, columns, owned }) {
  const table = quoted(name);
  const all = [
    { name: 'id', type: 'int' },
    ...(owned ? [{ name: 'owner_id', type: 'int' }] : []),
    ...columns,
    { name: 'created_at', type: 'datetime' },
    { name: 'updated_at', type: 'datetime' },
  ];
  const byName = new Map(all.map((column) => [column.name, column]));
  const select = all.map(selected).join(', ');
  // Qualified, so that WHERE and ORDER BY read the stored column, not the SELECT list's alias.
  const at = (column) => `${table}.${quoted(column)}`;

  const toRow = (row) => (row ? Object.fromEntries(all.map((column) => [column.name, shown(column, row[column.name])])) : null);

  /** The WHERE clause and its parameters for `filters` ([field, operator, value]) and `where` ({ column: value }). */
  function conditions(filters, where) {
    const parts = [];
    const params = [];
    for (const [column, value] of Object.entries(where)) {
      parts.push(`${at(column)} = ?`);
      params.push(value);
    }
    for (const [field, operator, value] of filters) {
      const column = byName.get(field);
      if (operator === 'in') {
        parts.push(`${at(field)} IN (${value.map(() => '?').join(', ')})`);
        params.push(...value.map((each) => compared(column, each)));
      } else if (operator === 'icontains') {
        parts.push(`LOWER(${at(field)}) LIKE LOWER(CAST(? AS TEXT)) ESCAPE '\\'`);
        params.push(`%${literal(value)}%`);
      } else {
        const sign = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' }[operator];
        parts.push(`${at(field)} ${sign} ?`);
        params.push(compared(column, value));
      }
    }
    return { sql: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', params };
  }

  return {
    async get(id) {
      return toRow(await db.one(`SELECT ${select} FROM ${table} WHERE ${at('id')} = ?`, [id]));
    },
    /** One page of the rows that match `query` (listing.js), and how many match in all. */
    async page({ limit, offset, sort, filters }, where = {}) {
      const { sql, params } = conditions(filters, where);
      const order = sort.map(([field, descending]) => `${at(field)} ${descending ? 'DESC' : 'ASC'}`).join(', ');
      const rows = await db.query(`SELECT ${select} FROM ${table}${sql} ORDER BY ${order} LIMIT ? OFFSET ?`, [...params, limit, offset]);
      const { total } = await db.one(`SELECT COUNT(*) AS total FROM ${table}${sql}`, params);
      return { items: rows.map(toRow), total: Number(total) };
    },
    async insert(values, now) {
      const row = { ...values, created_at: now, updated_at: now };
      const names = Object.keys(row);
      const placeholders = names.map(() => '?').join(', ');
      const inserted = await db.one(
        `INSERT INTO ${table} (${names.map(quoted).join(', ')}) VALUES (${placeholders}) RETURNING ${select}`,
        names.map((column) => stored(byName.get(column), row[column])),
      );
      return toRow(inserted);
    },
    /** Change the given columns; updated_at becomes `now`. */
    async update(id, values, now) {
      const row = { ...values, updated_at: now };
      const names = Object.keys(row);
      const updated = await db.one(
        `UPDATE ${table} SET ${names.map((column) => `${quoted(column)} = ?`).join(', ')} WHERE ${at('id')} = ? RETURNING ${select}`,
        [...names.map((column) => stored(byName.get(column), row[column])), id],
      );
      return toRow(updated);
    },
    async remove(id) {
      await db.run(`DELETE FROM ${table} WHERE ${at('id')} = ?`, [id]);
    },
    /** Whether another row than `except` holds `value` in `column`. */
    async taken(column, value, except = null) {
      const others = except === null ? '' : ` AND ${at('id')} <> ?`;
      const params = [stored(byName.get(column), value), ...(except === null ? [] : [except])];
      return (await db.one(`SELECT 1 AS taken FROM ${table} WHERE ${at(column)} = ?${others}`, params)) !== undefined;
    },
  };
}

/** Whether the table `name` has a row with this id: what a reference to it needs. */
export async function hasRow(db, name, id) {
  return (await db.one(`SELECT 1 AS found FROM ${quoted(name)} WHERE id = ?`, [id])) !== undefined;
}
