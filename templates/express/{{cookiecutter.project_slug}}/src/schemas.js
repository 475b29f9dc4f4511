/** What the API reads and writes, as zod schemas; src/openapi.js publishes them as they are. */
import { z } from 'zod';

{%- if cookiecutter.database == "mongodb" %}

// Offsets stay within the integers that JSON numbers carry exactly in JavaScript;
// a larger offset is refused (422).
{%- else %}

// Ids and offsets stay within the integers that JSON numbers carry exactly in JavaScript;
// a larger id names no user (404) and a larger offset is refused (422).
{%- endif %}
export const MAX_INTEGER = Number.MAX_SAFE_INTEGER;
export const USERNAME = /^[A-Za-z0-9_.-]{3,80}$/;
const EMAIL = /^[A-Za-z0-9_'+-]+(?:\.[A-Za-z0-9_'+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

{%- if cookiecutter.database == "mongodb" %}

// An ObjectId's hex form, as the API shows ids; any other spelling names no user.
export const ID = /^[0-9a-f]{24}$/;

/** The id from its text (24 lower-case hex digits), or null when the text names no possible user. */
export function parseId(text) {
  return typeof text === 'string' && ID.test(text) ? text : null;
}
{%- else %}

/** A positive integer id from its text, or null when the text names no possible user. */
export function parseId(text) {
  if (typeof text !== 'string' || !/^[1-9][0-9]{0,15}$/.test(text)) return null;
  const id = Number(text);
  return id <= MAX_INTEGER ? id : null;
}
{%- endif %}

function isEmail(value) {
  const at = value.lastIndexOf('@');
  return value.length <= 254 && at > 0 && at <= 64 && EMAIL.test(value);
}

// Leaving a field out means "not given"; an explicit null is a mistake, and says so.
const typed = (kind) => ({
  error: (issue) => {
    if (issue.input === undefined) return 'this field is required';
    if (issue.input === null) return 'may not be null';
    return `must be ${kind}`;
  },
});

// Resources' email fields follow the same rule (src/resources/fields.js).
export const email = z
  .string(typed('a string'))
  .max(254, 'must be at most 254 characters')
  .meta({ format: 'email' })
  .refine(isEmail, 'not a valid email address')
  // Emails match without regard to case everywhere, so they are stored lower-case.
  .transform((value) => value.toLowerCase());
const password = z
  .string(typed('a string'))
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters');
const username = z.string(typed('a string')).regex(USERNAME, "must be 3 to 80 letters, digits, '_', '.' or '-'");

// Strict objects: unknown fields (id, is_active, password_hash, ...) are an error, not ignored.
export const userCreate = z.strictObject({ email, password, username: username.optional() });
export const userUpdate = z.strictObject({
  email: email.optional(),
  username: username.optional(),
  password: password.optional(),
});
{%- if cookiecutter.auth != "none" %}
export const loginRequest = z.strictObject({
  email,
  password: z.string(typed('a string')).min(1, 'this field is required').max(128, 'must be at most 128 characters'),
});
{%- endif %}

// Query values are text: digits only, then a number within the bounds.
const count = (min, max) => {
  const between = `must be between ${min} and ${max}`;
  return z
    .string(typed('a whole number'))
    .regex(/^[0-9]{1,20}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int(between).min(min, between).max(max, between));
};

// Not strict: unknown query parameters are ignored, as the web usually does.
export const pageQuery = z.object({
  limit: count(1, 100).default(20),
  offset: count(0, MAX_INTEGER).default(0),
});

// What the API writes: described here for the document, built by the functions below.
const timestamp = z.string().meta({ format: 'date-time' });
const integer = z.number().int();

/** A user as the API shows it: never a password or a hash. */
export const user = z.object({
  id: {% if cookiecutter.database == "mongodb" %}z.string().regex(ID){% else %}integer{% endif %},
  email: z.string(),
  username: z.string(),
  is_active: z.boolean(),
  created_at: timestamp,
  updated_at: timestamp,
});
export const userPage = z.object({ items: z.array(user), total: integer, limit: integer, offset: integer });
{%- if cookiecutter.auth == "jwt" %}
export const tokenResponse = z.object({
  user,
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: integer.meta({ description: 'Seconds until the token expires.' }),
});
{%- elif cookiecutter.auth == "session" %}
export const sessionResponse = z.object({ user });
{%- endif %}
export const health = z.object({ status: z.enum(['ok', 'error']), database: z.enum(['ok', 'unavailable']) });
export const errorDetail = z.object({ code: z.string(), message: z.string() });
/** Every error, from every layer, answers this envelope. */
export const error = z.object({ error: errorDetail });
export const validationErrorDetail = errorDetail.extend({
  fields: z.record(z.string(), z.string()).meta({ description: 'A message per offending field.' }),
});
/** A 422: the envelope, with a message per offending field. */
export const validationError = z.object({ error: validationErrorDetail });

/** The user as `user` describes it, from a row or document. */
export function userOut(row) {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    is_active: row.isActive,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
