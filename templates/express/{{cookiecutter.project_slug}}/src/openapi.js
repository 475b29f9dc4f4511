/** The OpenAPI 3.1 document of exactly what this project serves (tests/openapi.test.js keeps it true). */
import { readFileSync } from 'node:fs';
{%- if cookiecutter.auth == "session" %}
import { SESSION_COOKIE } from './http/authenticate.js';
{%- endif %}
import { {% if cookiecutter.database == "mongodb" %}ID, {% endif %}MAX_INTEGER } from './schemas.js';

const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const ref = (schema) => ({ $ref: `#/components/schemas/${schema}` });
const json = (schema) => ({ 'application/json': { schema: typeof schema === 'string' ? ref(schema) : schema } });
const body = (schema) => ({ required: true, content: json(schema) });
const answer = (description, schema) => ({ description, ...(schema && { content: json(schema) }) });
const error = (name) => ({ $ref: `#/components/responses/${name}` });

// Every error the API can give, each with the code that the envelope carries.
const ERRORS = {
  BadRequest: [400, 'bad_request', 'The body is not valid JSON or not an object.'],
{%- if cookiecutter.auth != "none" %}
  Unauthorized: [401, 'unauthorized', 'Missing, invalid or revoked credentials.'],
  InvalidCredentials: [401, 'invalid_credentials', 'Wrong email or password.'],
  Forbidden: [403, 'forbidden', 'Signed in, but not allowed.'],
{%- endif %}
  NotFound: [404, 'not_found', 'No such resource.'],
  MethodNotAllowed: [405, 'method_not_allowed', 'The path does not serve this method.'],
  Conflict: [409, 'conflict', 'Email or username already taken.'],
  PayloadTooLarge: [413, 'payload_too_large', 'The body is over 1 MiB.'],
  UnsupportedMediaType: [415, 'unsupported_media_type', 'POST, PUT and PATCH must be application/json, even without a body.'],
  ValidationError: [422, 'validation_error', 'The input breaks the rules; `fields` says how.'],
{%- if cookiecutter.auth != "none" %}
  RateLimited: [429, 'rate_limited', 'Too many failed logins; see Retry-After.'],
{%- endif %}
  ServiceUnavailable: [503, 'service_unavailable', 'The database cannot be reached.'],
};

const email = { type: 'string', format: 'email', maxLength: 254 };
const password = { type: 'string', minLength: 8, maxLength: 128 };
const username = { type: 'string', pattern: '^[A-Za-z0-9_.-]{3,80}$' };
const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
{%- if cookiecutter.database == "mongodb" %}
  schema: { type: 'string', pattern: ID.source, description: 'An ObjectId, as 24 hex digits.' },
{%- else %}
  schema: { type: 'integer', minimum: 1, maximum: MAX_INTEGER },
{%- endif %}
};
{%- if cookiecutter.auth != "none" %}
const signedIn = [{ {% if cookiecutter.auth == "jwt" %}bearerAuth{% else %}sessionCookie{% endif %}: [] }];
{%- endif %}

const schemas = {
  User: {
    type: 'object',
    required: ['id', 'email', 'username', 'is_active', 'created_at', 'updated_at'],
    properties: {
      id: {% if cookiecutter.database == "mongodb" %}{ type: 'string', pattern: ID.source }{% else %}{ type: 'integer' }{% endif %},
      email: { type: 'string', format: 'email' },
      username: { type: 'string' },
      is_active: { type: 'boolean' },
      created_at: { type: 'string', format: 'date-time' },
      updated_at: { type: 'string', format: 'date-time' },
    },
  },
  UserPage: {
    type: 'object',
    required: ['items', 'total', 'limit', 'offset'],
    properties: {
      items: { type: 'array', items: ref('User') },
      total: { type: 'integer' },
      limit: { type: 'integer' },
      offset: { type: 'integer' },
    },
  },
  UserCreate: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'password'],
    properties: { email, password, username },
  },
  UserUpdate: {
    type: 'object',
    additionalProperties: false,
    properties: { email, password, username },
  },
{%- if cookiecutter.auth != "none" %}
  LoginRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'password'],
    properties: { email, password: { type: 'string', minLength: 1, maxLength: 128 } },
  },
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}
  TokenResponse: {
    type: 'object',
    required: ['user', 'access_token', 'token_type', 'expires_in'],
    properties: {
      user: ref('User'),
      access_token: { type: 'string' },
      token_type: { type: 'string', const: 'bearer' },
      expires_in: { type: 'integer', description: 'Seconds until the token expires.' },
    },
  },
{%- elif cookiecutter.auth == "session" %}
  SessionResponse: {
    type: 'object',
    required: ['user'],
    properties: { user: ref('User') },
  },
{%- endif %}
  Health: {
    type: 'object',
    required: ['status', 'database'],
    properties: {
      status: { type: 'string', enum: ['ok', 'error'] },
      database: { type: 'string', enum: ['ok', 'unavailable'] },
    },
  },
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string' },
          message: { type: 'string' },
          fields: {
            type: 'object',
            additionalProperties: { type: 'string' },
            description: 'Validation errors only: a message per field.',
          },
        },
      },
    },
  },
};

const responses = Object.fromEntries(
  Object.entries(ERRORS).map(([key, [status, code, description]]) => [
    key,
    { description: `${status} \`${code}\`: ${description}`, content: json('Error') },
  ]),
);

const paths = {
  '/health': {
    get: {
      tags: ['health'],
      summary: 'The service and its database',
      responses: {
        200: answer('Up, with a working database', 'Health'),
        503: answer('The database cannot be reached', 'Health'),
      },
    },
  },
  '/openapi.json': {
    get: {
      tags: ['docs'],
      summary: 'This document',
      responses: { 200: answer('OpenAPI 3.1', { type: 'object' }) },
    },
  },
  '/api/users': {
    get: {
      tags: ['users'],
      summary: 'List users, oldest first',
{%- if cookiecutter.auth != "none" %}
      security: signedIn,
{%- endif %}
      parameters: [
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
        { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, maximum: MAX_INTEGER, default: 0 } },
      ],
      responses: {
        200: answer('A page of users', 'UserPage'),
{%- if cookiecutter.auth != "none" %}
        401: error('Unauthorized'),
{%- endif %}
        422: error('ValidationError'),
      },
    },
{%- if cookiecutter.auth == "none" %}
    post: {
      tags: ['users'],
      summary: 'Create a user',
      requestBody: body('UserCreate'),
      responses: {
        201: {
          ...answer('Created', 'User'),
          headers: { Location: { description: 'The new user', schema: { type: 'string' } } },
        },
        400: error('BadRequest'),
        409: error('Conflict'),
        413: error('PayloadTooLarge'),
        415: error('UnsupportedMediaType'),
        422: error('ValidationError'),
      },
    },
{%- endif %}
  },
  '/api/users/{id}': {
    parameters: [idParameter],
    get: {
      tags: ['users'],
      summary: 'Read a user',
{%- if cookiecutter.auth != "none" %}
      security: signedIn,
{%- endif %}
      responses: {
        200: answer('The user', 'User'),
{%- if cookiecutter.auth != "none" %}
        401: error('Unauthorized'),
{%- endif %}
        404: error('NotFound'),
      },
    },
    patch: changeOperation('Change a user: email, username or password'),
    put: changeOperation('Same as PATCH: only the fields sent change'),
    delete: {
      tags: ['users'],
      summary: 'Delete a user{% if cookiecutter.auth != "none" %} (yourself only){% endif %}',
{%- if cookiecutter.auth != "none" %}
      security: signedIn,
{%- endif %}
      responses: {
        204: answer('Deleted'),
{%- if cookiecutter.auth != "none" %}
        401: error('Unauthorized'),
        403: error('Forbidden'),
{%- endif %}
        404: error('NotFound'),
      },
    },
  },
{%- if cookiecutter.auth != "none" %}
  '/api/auth/register': {
    post: {
      tags: ['auth'],
      summary: 'Create an account and sign in',
      requestBody: body('UserCreate'),
      responses: {
        201: signInAnswer('Registered and signed in'),
        400: error('BadRequest'),
        409: error('Conflict'),
        413: error('PayloadTooLarge'),
        415: error('UnsupportedMediaType'),
        422: error('ValidationError'),
      },
    },
  },
  '/api/auth/login': {
    post: {
      tags: ['auth'],
      summary: 'Sign in with email and password',
      requestBody: body('LoginRequest'),
      responses: {
        200: signInAnswer('Signed in'),
        400: error('BadRequest'),
        401: error('InvalidCredentials'),
        415: error('UnsupportedMediaType'),
        422: error('ValidationError'),
        429: error('RateLimited'),
      },
    },
  },
  '/api/auth/me': {
    get: {
      tags: ['auth'],
      summary: 'The signed-in user',
      security: signedIn,
      responses: { 200: answer('The user', 'User'), 401: error('Unauthorized') },
    },
  },
  '/api/auth/logout': {
    post: {
      tags: ['auth'],
      summary: 'Sign out: these credentials stop working at once',
      description: 'Takes no body, but `Content-Type: application/json` all the same, which no cross-site form can send.',
      security: signedIn,
      responses: { 204: answer('Signed out'), 401: error('Unauthorized'), 415: error('UnsupportedMediaType') },
    },
  },
{%- endif %}
};

function changeOperation(summary) {
  return {
    tags: ['users'],
    summary,
{%- if cookiecutter.auth != "none" %}
    security: signedIn,
{%- endif %}
    requestBody: body('UserUpdate'),
    responses: {
      200: answer('The changed user', 'User'),
      400: error('BadRequest'),
{%- if cookiecutter.auth != "none" %}
      401: error('Unauthorized'),
      403: error('Forbidden'),
{%- endif %}
      404: error('NotFound'),
      409: error('Conflict'),
      413: error('PayloadTooLarge'),
      415: error('UnsupportedMediaType'),
      422: error('ValidationError'),
    },
  };
}
{%- if cookiecutter.auth == "jwt" %}

function signInAnswer(description) {
  return answer(description, 'TokenResponse');
}
{%- elif cookiecutter.auth == "session" %}

function signInAnswer(description) {
  return {
    ...answer(description, 'SessionResponse'),
    headers: { 'Set-Cookie': { description: `${SESSION_COOKIE}=<opaque id>; HttpOnly; SameSite=Lax; Path=/`, schema: { type: 'string' } } },
  };
}
{%- endif %}

/** The document; built once, it is plain data. */
export const openApiDocument = Object.freeze({
  openapi: '3.1.0',
  info: { title: name, version },
  paths,
  components: {
    schemas,
    responses,
{%- if cookiecutter.auth == "jwt" %}
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
{%- elif cookiecutter.auth == "session" %}
    securitySchemes: { sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
{%- endif %}
  },
});
