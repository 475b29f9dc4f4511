/**
 * A resource's list endpoint: paging, sorting and whitelisted filters.
 *
 * Filters are flat `field=value` and `field__op=value` keys; every value is parsed as its
 * field's type (no coercion beyond that), and anything unknown is a 422 naming the key.
 */
import { ValidationError } from '../errors.js';
import { MAX_INTEGER, parseDate, parseDatetime, UUID } from './fields.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
export const MAX_IN = 100;
export const OPERATORS = {
  eq: 'equals',
  in: 'is one of a comma list',
  gt: 'greater than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
  icontains: 'contains, ignoring case',
};
const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/** Raised inside this module for one offending key; its message is that key's. */
class BadValue extends Error {}

/** One filter value as its field's type (`{ name, type, operators, choices }`). */
export function parseValue(field, text) {
  switch (field.type) {
    case 'str':
    case 'url':
      return text;
    case 'email':
      return text.toLowerCase();
    case 'int':
    case 'ref':
      if (!INTEGER.test(text) || Math.abs(Number(text)) > MAX_INTEGER) throw new BadValue('must be a whole number');
      return Number(text);
    case 'float':
      if (!NUMBER.test(text)) throw new BadValue('must be a number');
      return Number(text);
    case 'decimal':
      if (!NUMBER.test(text)) throw new BadValue('must be a decimal number, e.g. 12.50');
      return text;
    case 'bool':
      if (text !== 'true' && text !== 'false') throw new BadValue('must be true or false');
      return text === 'true';
    case 'date': {
      const day = parseDate(text);
      if (day instanceof Error) throw new BadValue(day.message);
      return day;
    }
    case 'datetime': {
      const moment = parseDatetime(text);
      if (moment instanceof Error) throw new BadValue(moment.message);
      return moment;
    }
    case 'uuid':
      if (!UUID.test(text)) throw new BadValue('must be a lower-case UUID with dashes');
      return text;
    case 'enum':
      if (!field.choices.includes(text)) throw new BadValue(`must be one of ${field.choices.join(', ')}`);
      return text;
    default:
      throw new BadValue('cannot be filtered on');
  }
}

function whole(text, low, high) {
  if (!INTEGER.test(text) || Number(text) < low || Number(text) > high) {
    throw new BadValue(`must be a whole number, ${low} to ${high}`);
  }
  return Number(text);
}

function parseSort(text, sortable) {
  const keys = [];
  for (const part of text.split(',')) {
    const name = part.startsWith('-') ? part.slice(1) : part;
    if (!sortable.includes(name)) throw new BadValue(`cannot sort by '${name.slice(0, 40)}'; sort by ${sortable.join(', ')}`);
    if (keys.some(([taken]) => taken === name)) throw new BadValue(`sorts by '${name}' twice`);
    keys.push([name, part.startsWith('-')]);
  }
  return keys;
}

function parseFilter(key, text, byName) {
  // No database is asked to compare with a NUL (PostgreSQL cannot hold one), as no body may store one.
  if (text.includes('\0')) throw new BadValue('may not contain the NUL character');
  const at = key.indexOf('__');
  const name = at === -1 ? key : key.slice(0, at);
  const operator = at === -1 ? 'eq' : key.slice(at + 2) || 'eq';
  const field = byName.get(name);
  if (field === undefined) throw new BadValue('is not a filter of this list');
  if (!field.operators.includes(operator)) {
    throw new BadValue(`takes the operators ${field.operators.join(', ')}, not '${operator.slice(0, 20)}'`);
  }
  if (operator === 'in') {
    const values = text.split(',');
    if (values.length > MAX_IN) throw new BadValue(`lists at most ${MAX_IN} values`);
    return [name, operator, values.map((value) => parseValue(field, value))];
  }
  if (operator === 'icontains') return [name, operator, text];
  return [name, operator, parseValue(field, text)];
}

/**
 * The list query from the query string's [key, value] pairs: `{ limit, offset, sort, filters }`,
 * `sort` as [field, descending] pairs ending with the id, `filters` as [field, operator, value];
 * or ValidationError naming each offending key.
 */
export function parseQuery(pairs, filterable, sortable) {
  const byName = new Map(filterable.map((field) => [field.name, field]));
  const seen = new Set();
  const errors = new Map();
  let limit = DEFAULT_LIMIT;
  let offset = 0;
  let sort = [];
  const filters = [];
  for (const [key, text] of pairs) {
    if (seen.has(key)) {
      errors.set(key, 'may be given once');
      continue;
    }
    seen.add(key);
    try {
      if (key === 'limit') limit = whole(text, 1, MAX_LIMIT);
      else if (key === 'offset') offset = whole(text, 0, MAX_INTEGER);
      else if (key === 'sort') sort = parseSort(text, sortable);
      else filters.push(parseFilter(key, text, byName));
    } catch (error) {
      if (!(error instanceof BadValue)) throw error;
      errors.set(key, error.message);
    }
  }
  if (errors.size > 0) throw new ValidationError(undefined, { fields: Object.fromEntries(errors) });
  // The tie-break, a stable order for paging, runs the way the last key does: an index on
  // that key (which holds the id too) then serves the whole order.
  if (!sort.some(([name]) => name === 'id')) sort.push(['id', sort.length > 0 ? sort.at(-1)[1] : false]);
  return { limit, offset, sort, filters };
}

/** The query string of a request, as its [key, value] pairs in order, repeats kept. */
export function queryPairs(req) {
  const at = req.originalUrl.indexOf('?');
  return at === -1 ? [] : [...new URLSearchParams(req.originalUrl.slice(at + 1))];
}

/** The list's OpenAPI query parameters: paging, sorting and each filter. */
export function listParameters(filterable, sortable) {
  const parameters = [
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
    { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
    {
      name: 'sort',
      in: 'query',
      description: `Comma list of fields, '-' first for descending: ${sortable.join(', ')}`,
      schema: { type: 'string' },
    },
  ];
  for (const field of filterable) {
    for (const operator of field.operators) {
      parameters.push({
        name: operator === 'eq' ? field.name : `${field.name}__${operator}`,
        in: 'query',
        description: `${field.name} ${OPERATORS[operator]}`,
        schema: { type: 'string' },
      });
    }
  }
  return parameters;
}
