import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { openApiDocument } from '../src/openapi.js';
import { resources } from '../src/registry.js';
import * as schemas from '../src/schemas.js';
import { newAccount, setup } from './helpers.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
// The document itself, the docs page and its script are served, but they are no part of the API.
const UNDOCUMENTED = ['GET /openapi.json', 'GET /docs', 'GET /docs/init.js'];
// Every operation of the contract with its operationId, the same in every stack.
const OPERATION_IDS = {
  'GET /health': 'getHealth',
  'GET /api/users': 'listUsers',
{%- if cookiecutter.auth == "none" %}
  'POST /api/users': 'createUser',
{%- endif %}
  'GET /api/users/{id}': 'getUser',
  'PATCH /api/users/{id}': 'updateUser',
  'PUT /api/users/{id}': 'replaceUser',
  'DELETE /api/users/{id}': 'deleteUser',
{%- if cookiecutter.auth != "none" %}
  'POST /api/auth/register': 'register',
  'POST /api/auth/login': 'login',
  'GET /api/auth/me': 'getCurrentUser',
  'POST /api/auth/logout': 'logout',
{%- endif %}
};

/** Every operation of the document, by `METHOD path`. */
function operations(document) {
  return Object.fromEntries(
    Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => [`${method.toUpperCase()} ${path}`, item[method]]),
    ),
  );
}

/** Whether `key` (`GET /api/x`) is an operation of a registered resource, which its own tests check. */
const ofAResource = (key) => resources.some(({ path }) => key.endsWith(` ${path}`) || key.includes(` ${path}/`));

const docsFile = (name) => readFile(new URL(`../src/docs/${name}`, import.meta.url), 'utf8');

/** GET `path` of a fresh app for test `t`: it must answer src/docs/`name` as `type`, under the docs policy. */
async function expectDocsFile(t, path, name, type) {
  const { api } = await setup(t);
  const [file, policy] = await Promise.all([docsFile(name), docsFile('csp.txt')]);

  const response = await api.get(path).expect(200);

  assert.equal(response.headers['content-type'], `${type}; charset=utf-8`);
  assert.equal(response.headers['content-security-policy'], policy.trim());
  assert.equal(response.text, file);
  return response;
}

/** Every (METHOD path) the app's routers serve, with `:id` spelt `{id}` as OpenAPI does. */
function servedRoutes(app) {
  const routes = new Set();
  const walk = (stack, prefix) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = `${prefix}${layer.route.path}`.replace(/\/$/, '').replace(/:(\w+)/g, '{$1}');
        for (const method of Object.keys(layer.route.methods).filter((name) => METHODS.includes(name))) {
          routes.add(`${method.toUpperCase()} ${path}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, `${prefix}${layer.rawPath ?? ''}`.replace(/\/$/, ''));
      }
    }
  };
  walk(app.router.stack, '');
  return routes;
}

function documentedRoutes(document) {
  return new Set(
    Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
}

test('when the routes are compared with openapi.json, then each API route is documented and nothing more', async (t) => {
  const { app, api } = await setup(t);

  const served = await api.get('/openapi.json').expect(200);

  assert.match(served.body.openapi, /^3\./);
  const routes = [...servedRoutes(app)].filter((route) => !UNDOCUMENTED.includes(route));
  assert.deepEqual(routes.sort(), [...documentedRoutes(openApiDocument)].sort());
  assert.deepEqual(served.body, JSON.parse(JSON.stringify(openApiDocument)));
});

test('when the operations are read, then each has the contract operationId and its error answers', () => {
  const found = operations(openApiDocument);

  const contract = Object.entries(found).filter(([key]) => !ofAResource(key));
  assert.deepEqual(Object.fromEntries(contract.map(([key, op]) => [key, op.operationId])), OPERATION_IDS);
  for (const [key, op] of Object.entries(found)) {
    const statuses = Object.keys(op.responses);
    assert.ok(statuses.includes('500') && statuses.includes('503'), key);
    assert.ok(!statuses.includes('default'), key);
    if (op.requestBody) for (const status of ['400', '413', '415', '422']) assert.ok(statuses.includes(status), `${key} ${status}`);
    if (op.security) assert.equal(op.responses[401].content['application/json'].schema.$ref, '#/components/schemas/Error', key);
    if (op.responses[422]) assert.equal(op.responses[422].content['application/json'].schema.$ref, '#/components/schemas/ValidationError', key);
  }
});

test('when the schemas are read, then they are the zod schemas that validate, as JSON Schema', () => {
  const { components } = openApiDocument;

  assert.deepEqual(components.schemas.UserCreate.required, ['email', 'password']);
  assert.equal(components.schemas.UserCreate.additionalProperties, false);
  assert.deepEqual(components.schemas.UserCreate.properties.password, { type: 'string', minLength: 8, maxLength: 128 });
  assert.deepEqual(components.schemas.UserUpdate.properties.username, { type: 'string', pattern: schemas.USERNAME.source });
  assert.deepEqual(components.schemas.User.properties.id, {% if cookiecutter.database == "mongodb" %}{ type: 'string', pattern: schemas.ID.source }{% else %}{ type: 'integer' }{% endif %});
  const offset = openApiDocument.paths['/api/users'].get.parameters.find((parameter) => parameter.name === 'offset');
  assert.deepEqual(offset, { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, maximum: schemas.MAX_INTEGER, default: 0 } });
});

test('when a user and an error are answered, then they match the schemas the document publishes', async (t) => {
  const { api } = await setup(t);
  const { user, headers } = await newAccount(api);

  const invalid = await api.get('/api/users?limit=0').set(headers).expect(422);
  const missing = await api.get('/api/users/{% if cookiecutter.database == "mongodb" %}000000000000000000000000{% else %}999999{% endif %}').set(headers).expect(404);

  assert.deepEqual(schemas.user.strict().parse(user), user);
  assert.deepEqual(schemas.validationError.strict().parse(invalid.body), invalid.body);
  assert.deepEqual(schemas.error.strict().parse(missing.body), missing.body);
});

test('when every $ref of the document is followed, then it names something that exists', () => {
  const text = JSON.stringify(openApiDocument);
  for (const [, kind, name] of text.matchAll(/"#\/components\/(\w+)\/(\w+)"/g)) {
    assert.ok(openApiDocument.components[kind]?.[name], `${kind}/${name}`);
  }
});

test('when /docs is opened, then the shared page answers under the shared Content-Security-Policy', async (t) => {
  const response = await expectDocsFile(t, '/docs', 'docs.html', 'text/html');

  // Swagger UI is pinned to one version and loaded only if its bytes match the hashes.
  assert.match(response.text, /swagger-ui-dist@\d+\.\d+\.\d+\//);
  assert.equal(response.text.match(/integrity="sha384-/g)?.length, 2);
  assert.doesNotMatch(response.text, /<script>/);
  assert.equal(response.headers['x-frame-options'], 'DENY');
});

test('when /docs/init.js is asked for, then the script that starts Swagger UI answers as JavaScript', async (t) => {
  const response = await expectDocsFile(t, '/docs/init.js', 'init.js', 'text/javascript');

  assert.match(response.text, /\/openapi\.json/);
});

test('when anything but the docs answers, then it keeps the API policy that loads nothing', async (t) => {
  const { api } = await setup(t);

  for (const path of ['/health', '/openapi.json', '/no-such-page']) {
    assert.equal((await api.get(path)).headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'", path);
  }
});

test('when openapi.json is read, then neither docs route is in it', () => {
  for (const route of UNDOCUMENTED) assert.ok(!documentedRoutes(openApiDocument).has(route), route);
  assert.ok(!Object.keys(openApiDocument.paths).some((path) => path.startsWith('/docs')));
});
