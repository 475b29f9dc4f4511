/**
 * The field types of resources as zod schemas: each type's rules, written once.
 *
 * Strict everywhere: a number is never read from a string, nor a string from a number. A
 * resource's schemas validate bodies with these, and src/openapi.js publishes the same
 * schemas, so what the API accepts and what the document says cannot drift apart.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { fieldErrors } from '../http/validate.js';
import { email as userEmail, MAX_INTEGER } from '../schemas.js';

export { MAX_INTEGER };
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const DATETIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|([+-])([0-9]{2}):([0-9]{2}))$/;
const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const DATETIME_RULE = 'must be an RFC 3339 time with an offset: 2026-01-31T12:00:00Z';

// Leaving a field out means "not given"; an explicit null is a mistake, and says so.
export const typed = (kind) => ({
  error: (issue) => {
    if (issue.input === undefined) return 'this field is required';
    if (issue.input === null) return 'may not be null';
    return `must be ${kind}`;
  },
});

const isLeap = (year) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether y-m-d is a day of the calendar (years 1 to 9999, as every stack reads them). */
function isDay(year, month, day) {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= DAYS[month - 1] + (month === 2 && isLeap(year) ? 1 : 0);
}

/** The YYYY-MM-DD text, or an Error saying what it should be. */
export function parseDate(text) {
  const match = DATE.exec(text);
  if (!match) return new Error('must be a date, YYYY-MM-DD');
  const [year, month, day] = match.slice(1).map(Number);
  return isDay(year, month, day) ? text : new Error('must be a real date, YYYY-MM-DD');
}

/** An RFC 3339 time with its offset, as a Date (UTC, millisecond precision), or an Error. */
export function parseDatetime(text) {
  const match = DATETIME.exec(text);
  if (!match) return new Error(DATETIME_RULE);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const millis = Number((match[7] ?? '.0').slice(1, 4).padEnd(3, '0'));
  const [, , , , , , , , , sign, offsetHours, offsetMinutes] = match;
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) : 0;
  if (!isDay(year, month, day) || hour > 23 || minute > 59 || second > 59 || Number(offsetHours ?? 0) > 23 || Number(offsetMinutes ?? 0) > 59) {
    return new Error(DATETIME_RULE);
  }
  const moment = new Date(0);
  moment.setUTCFullYear(year, month - 1, day);
  moment.setUTCHours(hour, minute - offset, second, millis);
  return moment;
}

/** A check-and-convert step: `parse(value)` returns the value or an Error whose message is the rule. */
function parsed(parse) {
  return (value, context) => {
    const result = parse(value);
    if (result instanceof Error) {
      context.addIssue({ code: 'custom', message: result.message, input: value });
      return z.NEVER;
    }
    return result;
  };
}

// Lengths count characters (code points), as every stack does, not UTF-16 units.
const length = (value) => [...value].length;

// The JSON Schema pattern of a string without NUL, as the OpenAPI document publishes it.
const NO_NUL = '^[^\\u0000]*$';

/** A string of `min` to `max` characters, none of them NUL (PostgreSQL cannot store it, so no database is asked to). */
export function text(min = 0, max = undefined) {
  let schema = z.string(typed('a string'));
  if (min > 0) schema = schema.refine((value) => length(value) >= min, `must be at least ${min} characters`);
  if (max !== undefined) schema = schema.refine((value) => length(value) <= max, `must be at most ${max} characters`);
  schema = schema.refine((value) => !value.includes('\0'), 'may not contain the NUL character');
  return schema.meta({ minLength: min, ...(max !== undefined && { maxLength: max }), pattern: NO_NUL });
}

export const int = z
  .number(typed('a whole number'))
  .int({ error: `must be a whole number from -${MAX_INTEGER} to ${MAX_INTEGER}` });
// zod refuses NaN and the infinities, which JSON cannot carry anyway.
export const float = z.number(typed('a number'));
export const bool = z.boolean(typed('true or false'));
export const json = z.record(z.string(), z.unknown(), typed('a JSON object')).meta({ additionalProperties: true });
/** The id of another resource's row. */
export const ref = z
  .number(typed('an id'))
  .int({ error: 'must be an id, a whole number from 1' })
  .min(1, 'must be an id, a whole number from 1');
export const date = z
  .string(typed('a string, e.g. 2026-01-31'))
  .transform(parsed(parseDate))
  .meta({ format: 'date' });
/** Answered in UTC with milliseconds and `Z`, whatever offset it was given with. */
export const datetime = z
  .string(typed('a string, e.g. 2026-01-31T12:00:00Z'))
  .transform(parsed(parseDatetime))
  .meta({ format: 'date-time' });
export const uuid = z
  .string(typed('a string, e.g. 0b6f1a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b'))
  .regex(UUID, 'must be a lower-case UUID with dashes')
  .meta({ format: 'uuid' });
/** The same rule as users' emails: stored lower-case. */
export const email = userEmail;

function isHttpUrl(value) {
  try {
    const url = new URL(value);
    // No spaces or control characters (NUL among them), which the URL parser would quietly encode.
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && !/[\s\p{Cc}]/u.test(value);
  } catch {
    return false;
  }
}

/** An http or https URL, stored as given, never rewritten. */
export const url = z
  .string(typed('a string'))
  .refine((value) => length(value) <= 2048, 'must be at most 2048 characters')
  .refine(isHttpUrl, 'must be an http or https URL')
  .meta({ format: 'uri', maxLength: 2048 });

/** One of `choices`. */
export function oneOf(choices) {
  return z.enum(choices, typed(`one of ${choices.join(', ')}`));
}

/** The canonical text of a valid decimal: `scale` digits after the point. */
export function fixed(text, scale) {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace(/^-/, '').split('.');
  const digits = `${whole.replace(/^0+(?=.)/, '')}${scale ? '.' : ''}${fraction.padEnd(scale, '0')}`;
  return negative && /[1-9]/.test(digits) ? `-${digits}` : digits;
}

/**
 * A decimal carried as a string ("12.50"), exact, with at most `precision` digits of which
 * `scale` follow the point; answered with `scale` of them.
 */
export function decimal(precision, scale) {
  const wholeDigits = precision - scale;
  const example = `1${scale ? `.${'0'.repeat(scale)}` : ''}`;
  const rule = `must be a decimal as a string, e.g. "${example}"`;
  const check = (value) => {
    if (!DECIMAL.test(value)) return new Error(rule);
    const [whole, fraction = ''] = value.replace(/^-/, '').split('.');
    if (fraction.length > scale) return new Error(`may have at most ${scale} digits after the point`);
    if (whole.replace(/^0+/, '').length > wholeDigits) return new Error(`may have at most ${wholeDigits} digits before the point`);
    return fixed(value, scale);
  };
  const point = scale ? `(\\.[0-9]{1,${scale}})?` : '';
  return z
    .string(typed(`a decimal as a string, e.g. "${example}"`))
    .transform(parsed(check))
    .meta({ format: 'decimal', pattern: `^-?[0-9]{1,${Math.max(wholeDigits, 1)}}${point}$` });
}

/** What the API writes for every resource: ids, and the server's timestamps. */
export const id = z.number().int();
export const timestamp = z.string().meta({ format: 'date-time' });

/** A value of `schema`, or null: how an answer shows an optional field. */
export const nullable = (schema) => z.union([schema, z.null()]);

/**
 * The body as `schema` reads it, or ValidationError naming each offending field.
 *
 * The fields the server sets (`server`) are refused by name: "is set by the server". Only the
 * `nullable` fields take null, which then needs no check; a field left out takes its value
 * from `defaults` (checked like any other). The schema itself states each field's rules once,
 * and is what the OpenAPI document publishes.
 */
export function validateBody(schema, data, { server = [], nullable = [], defaults = {} } = {}) {
  // Maps, since a body may hold "__proto__"; fromEntries then makes it an own (unknown) field.
  const refused = new Map();
  const nulls = {};
  const rest = new Map();
  for (const [key, value] of Object.entries({ ...defaults, ...data })) {
    if (server.includes(key)) refused.set(key, 'is set by the server');
    else if (value === null && nullable.includes(key)) nulls[key] = null;
    else rest.set(key, value);
  }
  const result = schema.safeParse(Object.fromEntries(rest));
  if (refused.size === 0 && result.success) return { ...result.data, ...nulls };
  const fields = { ...Object.fromEntries(refused), ...(result.success ? {} : fieldErrors(result.error)) };
  throw new ValidationError(undefined, { fields });
}
