import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { bodyless, expectError, newAccount, setup, testConfig, uniqueEmail } from './helpers.js';

const WRITE_PATH = '{% if cookiecutter.auth == "none" %}/api/users{% else %}/api/auth/register{% endif %}';
const ONE_MIB = 1024 * 1024;

const newUser = (extra = {}) => ({ email: uniqueEmail(), password: 'long enough password', ...extra });

test('when a route is unknown, then 404 in the error envelope', async (t) => {
  const { api } = await setup(t);

  for (const path of ['/no-such-page', '/api/nothing', '/api/users/1/nothing-here']) {
    expectError(await api.get(path), 404, 'not_found');
  }
});

test('when a known route gets the wrong method, then 405 with Allow', async (t) => {
  const { api } = await setup(t);

  const response = await api.delete('/api/users');

  expectError(response, 405, 'method_not_allowed');
  assert.match(response.headers.allow, /GET/);
  expectError(await api.post('/health').send({}), 405, 'method_not_allowed');
});

test('when any response is sent, then it carries the security headers and a request id', async (t) => {
  const { api } = await setup(t);

  for (const response of [await api.get('/health'), await api.get('/nothing'), await api.post(WRITE_PATH).send({})]) {
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['x-frame-options'], 'DENY');
    assert.equal(response.headers['referrer-policy'], 'no-referrer');
    assert.ok(response.headers['x-request-id']);
  }
});

test('when the client sends a sane request id, then it is echoed, and an insane one is replaced', async (t) => {
  const { api } = await setup(t);

  const sane = await api.get('/health').set('X-Request-ID', 'abc-123.DEF_456');
  const insane = await api.get('/health').set('X-Request-ID', '<script> nope');

  assert.equal(sane.headers['x-request-id'], 'abc-123.DEF_456');
  assert.ok(insane.headers['x-request-id']);
  assert.notEqual(insane.headers['x-request-id'], '<script> nope');
});

test('when a body is not application/json, or has no type at all, then 415', async (t) => {
  const { api } = await setup(t);

  const plain = await api.post(WRITE_PATH).set('Content-Type', 'text/plain').send(JSON.stringify(newUser()));
  const form = await api.post(WRITE_PATH).type('form').send({ email: 'a@example.com' });
  const untyped = await api.post(WRITE_PATH).set('Content-Type', '').send(Buffer.from(JSON.stringify(newUser())));

  expectError(plain, 415, 'unsupported_media_type');
  expectError(form, 415, 'unsupported_media_type');
  expectError(untyped, 415, 'unsupported_media_type');
});

test('when a POST, PUT or PATCH has no body and no JSON type, then 415; with the JSON type, then 400', async (t) => {
  const { app, api } = await setup(t);
  const { user, headers } = await newAccount(api);

  for (const [method, path] of [
    ['post', WRITE_PATH],
    ['patch', `/api/users/${user.id}`],
    ['put', `/api/users/${user.id}`],
  ]) {
    const what = `${method.toUpperCase()} ${path}`;
    expectError(await bodyless(app, method.toUpperCase(), path, headers), 415, 'unsupported_media_type', what);
    expectError(await api[method](path).set(headers), 415, 'unsupported_media_type', what);
    expectError(await api[method](path).set(headers).set('Content-Type', 'text/plain'), 415, 'unsupported_media_type', what);
    // The operation needs a body: a JSON request without one is still a bad request.
    expectError(await api[method](path).set(headers).type('json'), 400, 'bad_request', what);
  }
});

test('when a body is not valid JSON or not an object, then 400', async (t) => {
  const { api } = await setup(t);

  for (const body of ['{"email": ', "{'a': 1}", '[1, 2]', '"text"', '42', 'null']) {
    const response = await api.post(WRITE_PATH).set('Content-Type', 'application/json').send(body);
    expectError(response, 400, 'bad_request');
  }
});

test('when a JSON body is empty or not valid UTF-8, then 400, not a guess at what was meant', async (t) => {
  const { api } = await setup(t);
  const latin1 = Buffer.from('{"email": "j\xf6rg@example.com", "password": "long enough"}', 'latin1');

  // These bytes as they are, not serialized to JSON by supertest.
  const raw = (bytes) => api.post(WRITE_PATH).set('Content-Type', 'application/json').serialize((body) => body).send(bytes);

  const empty = await raw(Buffer.alloc(0));
  const garbled = await raw(latin1);

  expectError(empty, 400, 'bad_request');
  expectError(garbled, 400, 'bad_request');
});

test('when a body is over 1 MiB, then 413', async (t) => {
  const { api } = await setup(t);

  const response = await api.post(WRITE_PATH).send(newUser({ padding: 'x'.repeat(ONE_MIB) }));

  expectError(response, 413, 'payload_too_large');
});

test('when JSON nests very deeply, then a client error, not a crash', async (t) => {
  const { api } = await setup(t);
  const depth = 100_000;
  const body = `{"email": ${'['.repeat(depth)}${']'.repeat(depth)}, "password": "long enough password"}`;

  const response = await api.post(WRITE_PATH).set('Content-Type', 'application/json').send(body);

  assert.ok([400, 422].includes(response.status), String(response.status));
});

test('when something unexpected fails, then 500 with a generic message and no stack', async () => {
  const broken = async () => {
    throw new Error('secret detail: SELECT * FROM users');
  };
  const services = { users: { list: broken, get: broken, create: broken } };
  const app = createApp({ config: testConfig(), db: {}, services, logger: createLogger({ enabled: false }) });

  const response = await request(app).post(WRITE_PATH).send(newUser());

  expectError(response, 500, 'internal_error');
  assert.doesNotMatch(response.text, /secret detail|SELECT|at .*\.js/);
});

test('when CORS_ORIGINS lists an origin, then only that origin is answered, by name', async (t) => {
  const { api } = await setup(t, { CORS_ORIGINS: 'https://app.example, https://admin.example' });

  const allowed = await api.get('/health').set('Origin', 'https://admin.example');
  const preflight = await api
    .options(WRITE_PATH)
    .set('Origin', 'https://app.example')
    .set('Access-Control-Request-Method', 'POST');
  const stranger = await api.get('/health').set('Origin', 'https://evil.example');

  assert.equal(allowed.headers['access-control-allow-origin'], 'https://admin.example');
  assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example');
  assert.ok(preflight.status < 400);
  assert.equal(stranger.headers['access-control-allow-origin'], undefined);
});
