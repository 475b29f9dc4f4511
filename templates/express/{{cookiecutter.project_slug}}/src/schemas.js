/** What the API reads (zod schemas) and writes (the public shape of a user). */
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

const email = z
  .string(typed('a string'))
  .max(254, 'must be at most 254 characters')
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

const count = (min, max) =>
  z
    .string(typed('a whole number'))
    .regex(/^[0-9]{1,20}$/, 'must be a whole number')
    .transform(Number)
    .refine((value) => value >= min && value <= max, `must be between ${min} and ${max}`);

// Not strict: unknown query parameters are ignored, as the web usually does.
export const pageQuery = z.object({
  limit: count(1, 100).default(20),
  offset: count(0, MAX_INTEGER).default(0),
});

/** A user as the API shows it: never a password or a hash. */
export function userOut(user) {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    is_active: user.isActive,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}
