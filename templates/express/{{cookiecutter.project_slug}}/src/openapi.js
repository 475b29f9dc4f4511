/**
 * The OpenAPI 3.1 document of exactly what this project serves, derived, not written:
 * schemas from the zod schemas in src/schemas.js (z.toJSONSchema), each operation's error
 * answers from the error classes in src/errors.js. tests/openapi.test.js keeps it true.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  AppError,
  BadRequestError,
  ConflictError,
{%- if cookiecutter.auth != "none" %}
  ForbiddenError,
  InvalidCredentialsError,
{%- endif %}
  NotFoundError,
  PayloadTooLargeError,
{%- if cookiecutter.auth != "none" %}
  RateLimitedError,
{%- endif %}
  ServiceUnavailableError,
{%- if cookiecutter.auth != "none" %}
  UnauthorizedError,
{%- endif %}
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors.js';
{%- if cookiecutter.auth == "session" %}
import { SESSION_COOKIE } from './http/authenticate.js';
{%- endif %}
import { resources } from './registry.js';
import { int as resourceInteger } from './resources/fields.js';
import * as schemas from './schemas.js';

const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// The document's name for each schema; a schema used inside another becomes a $ref to it.
const COMPONENTS = {
  User: schemas.user,
  UserPage: schemas.userPage,
  UserCreate: schemas.userCreate,
  UserUpdate: schemas.userUpdate,
{%- if cookiecutter.auth != "none" %}
  LoginRequest: schemas.loginRequest,
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}
  TokenResponse: schemas.tokenResponse,
{%- elif cookiecutter.auth == "session" %}
  SessionResponse: schemas.sessionResponse,
{%- endif %}
  Health: schemas.health,
  ErrorDetail: schemas.errorDetail,
  Error: schemas.error,
  ValidationErrorDetail: schemas.validationErrorDetail,
  ValidationError: schemas.validationError,
  ...Object.assign({}, ...resources.map((resource) => resource.components)),
};
const BODY_ERRORS = [BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError];
// Any route may fail unexpectedly, or lose its database.
const SERVER_ERRORS = [AppError, ServiceUnavailableError];
{%- if cookiecutter.auth != "none" %}
// Another user's account may be read, never changed.
const MAY_CHANGE = [ForbiddenError, NotFoundError];
const signedIn = [{ {% if cookiecutter.auth == "jwt" %}bearerAuth{% else %}cookieAuth{% endif %}: [] }];
{%- else %}
const MAY_CHANGE = [NotFoundError];
{%- endif %}

const ref = (component) => ({ $ref: `#/components/schemas/${component}` });
const json = (component) => ({ 'application/json': { schema: ref(component) } });
const answer = (description, component) => ({ description, ...(component && { content: json(component) }) });

/** The schema an optional or a default wraps, or the schema itself. */
function unwrapped(schema) {
  const inner = schema._zod.def.innerType;
  return inner ? unwrapped(inner) : schema;
}

/** The components: request bodies as they are read (zod's input side), answers as they are written. */
function componentSchemas() {
  const registry = z.registry();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas: converted } = z.toJSONSchema(registry, {
    io: 'input',
    uri: (id) => ref(id).$ref,
    override: ({ zodSchema, jsonSchema }) => {
      // zod bounds every integer by JavaScript's safe range; the API's own bounds are the ones to
      // publish. A resource's int fields are checked against exactly that range, and say so.
      const safeRange = jsonSchema.minimum === Number.MIN_SAFE_INTEGER && jsonSchema.maximum === Number.MAX_SAFE_INTEGER;
      if (safeRange && unwrapped(zodSchema) !== resourceInteger) {
        delete jsonSchema.minimum;
        delete jsonSchema.maximum;
      }
      // JSON object keys are strings anyway.
      if (jsonSchema.propertyNames?.type === 'string') delete jsonSchema.propertyNames;
      // A create's default (`.meta({ default })`): zod leaves it out of a transformed field's input side.
      const meta = z.globalRegistry.get(zodSchema);
      if (meta && 'default' in meta && !('default' in jsonSchema)) jsonSchema.default = meta.default;
    },
  });
  return Object.fromEntries(Object.entries(converted).map(([id, schema]) => [id, nullsAsAnyOf(bare(schema))]));
}

/**
 * A value or null spelt one way whatever the value: zod writes `type: ['number', 'null']` for a
 * bare type, and anyOf for one with bounds; anyOf throughout, as the Python stacks do.
 */
function nullsAsAnyOf(schema) {
  if (Array.isArray(schema)) return schema.map(nullsAsAnyOf);
  if (schema === null || typeof schema !== 'object') return schema;
  const { type } = schema;
  if (Array.isArray(type) && type.length === 2 && type.includes('null') && Object.keys(schema).length === 1) {
    return { anyOf: [{ type: type.find((each) => each !== 'null') }, { type: 'null' }] };
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, nullsAsAnyOf(value)]));
}

/** A converted schema without the keywords of a standalone JSON Schema document. */
function bare(schema) {
  const copy = { ...schema };
  delete copy.$schema;
  delete copy.$id;
  return copy;
}

/** The query parameters an object schema reads, each as the number it becomes (zod's output side). */
function queryParameters(schema) {
  return Object.entries(schema.shape).map(([key, field]) => {
    // Required when leaving it out is refused.
    return { name: key, in: 'query', required: !field.safeParse(undefined).success, schema: bare(z.toJSONSchema(field, { io: 'output' })) };
  });
}

/** OpenAPI answers for these errors, and the 500 and 503 any route may give. */
function errorResponses(...errors) {
  const byStatus = new Map();
  for (const error of [...errors, ...SERVER_ERRORS]) byStatus.set(error.status, [...(byStatus.get(error.status) ?? []), error]);
  const responses = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    const description = group.map((error) => `\`${error.code}\`: ${error.defaultMessage}`).join('; ');
    // A 422 lists its fields; every other error is the plain envelope.
    responses[status] = answer(description, group.includes(ValidationError) ? 'ValidationError' : 'Error');
  }
{%- if cookiecutter.auth != "none" %}
  if (errors.includes(RateLimitedError)) {
    responses[429].headers = { 'Retry-After': { description: 'Seconds until login may be tried again.', schema: { type: 'integer' } } };
  }
{%- endif %}
  return responses;
}

function operation(operationId, summary, answers, errors, { body, {% if cookiecutter.auth != "none" %}signedIn: needsSignIn = true, {% endif %}parameters } = {}) {
  const result = { operationId, summary, ...(parameters && { parameters }) };
  let raised = errors;
  if (body) {
    result.requestBody = { required: true, content: json(body) };
    raised = [...BODY_ERRORS, ...raised];
  }
{%- if cookiecutter.auth != "none" %}
  if (needsSignIn) {
    result.security = signedIn;
    raised = [UnauthorizedError, ...raised];
  }
{%- endif %}
  result.responses = { ...errorResponses(...raised), ...answers };
  return result;
}

// `{id}` in the path, as every resource of the contract names it.
const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
{%- if cookiecutter.database == "mongodb" %}
  schema: { type: 'string', pattern: schemas.ID.source },
{%- else %}
  schema: { type: 'integer', minimum: 1 },
{%- endif %}
};
const user = answer('The user', 'User');
const noContent = answer('Done; no body');
const update = (operationId, summary) =>
  operation(operationId, summary, { 200: user }, [...MAY_CHANGE, ConflictError], { body: 'UserUpdate', parameters: [idParameter] });
{%- if cookiecutter.auth == "jwt" %}
const signInAnswer = (description) => answer(description, 'TokenResponse');
{%- elif cookiecutter.auth == "session" %}
const signInAnswer = (description) => ({
  ...answer(description, 'SessionResponse'),
  headers: { 'Set-Cookie': { description: `${SESSION_COOKIE}=<opaque id>; HttpOnly; SameSite=Lax; Path=/`, schema: { type: 'string' } } },
});
{%- endif %}

const paths = {
  '/health': {
    get: {
      operationId: 'getHealth',
      summary: 'Check the service and its database',
      responses: {
        ...errorResponses(),
        200: answer('The database answered', 'Health'),
        503: answer('The database cannot be reached', 'Health'),
      },
    },
  },
  '/api/users': {
    get: operation('listUsers', 'List users, oldest first', { 200: answer('One page of users', 'UserPage') }, [ValidationError], {
      parameters: queryParameters(schemas.pageQuery),
    }),
{%- if cookiecutter.auth == "none" %}
    post: operation(
      'createUser',
      'Create a user',
      { 201: { ...user, headers: { Location: { description: "The new user's URL", schema: { type: 'string' } } } } },
      [ConflictError],
      { body: 'UserCreate' },
    ),
{%- endif %}
  },
  '/api/users/{id}': {
    get: operation('getUser', 'Read a user', { 200: user }, [NotFoundError], { parameters: [idParameter] }),
    patch: update('updateUser', 'Change a user: email, username or password'),
    put: update('replaceUser', 'Same as PATCH: only the fields sent change'),
    delete: operation('deleteUser', 'Delete a user{% if cookiecutter.auth != "none" %} (yourself only){% endif %}', { 204: noContent }, MAY_CHANGE, {
      parameters: [idParameter],
    }),
  },
{%- if cookiecutter.auth != "none" %}
  '/api/auth/register': {
    post: operation('register', 'Create an account and sign in', { 201: signInAnswer('Registered and signed in') }, [ConflictError], {
      body: 'UserCreate',
      signedIn: false,
    }),
  },
  '/api/auth/login': {
    post: operation('login', 'Sign in with email and password', { 200: signInAnswer('Signed in') }, [InvalidCredentialsError, RateLimitedError], {
      body: 'LoginRequest',
      signedIn: false,
    }),
  },
  '/api/auth/me': {
    get: operation('getCurrentUser', 'The signed-in user', { 200: user }, []),
  },
  '/api/auth/logout': {
    // No body, yet application/json: a cross-site form cannot sign anyone out.
    post: operation('logout', 'Sign out: these credentials stop working at once', { 204: noContent }, [UnsupportedMediaTypeError]),
  },
{%- endif %}
};
for (const resource of resources) Object.assign(paths, resource.openApiPaths({ operation, answer, idParameter }));

/** The document; built once, it is plain data. */
export const openApiDocument = Object.freeze({
  openapi: '3.1.0',
  info: { title: name, version },
  paths,
  components: {
    schemas: componentSchemas(),
{%- if cookiecutter.auth == "jwt" %}
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
{%- elif cookiecutter.auth == "session" %}
    securitySchemes: { cookieAuth: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
{%- endif %}
  },
});
