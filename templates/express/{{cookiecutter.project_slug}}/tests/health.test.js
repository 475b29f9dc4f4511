import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { DatabaseUnavailableError } from '../src/db/errors.js';
{%- if cookiecutter.database == "mongodb" %}
import { openDatabase } from '../src/db/index.js';
{%- endif %}
import { createLogger } from '../src/logger.js';
import { expectError, {% if cookiecutter.database == "mongodb" %}freePort, {% endif %}setup, testConfig } from './helpers.js';

test('when the database answers, then health is 200 ok', async (t) => {
  const { api } = await setup(t);

  const response = await api.get('/health').expect(200);

  assert.deepEqual(response.body, { status: 'ok', database: 'ok' });
});

test('when the database is unreachable, then health is 503 and the API answers service_unavailable', async () => {
  const down = async () => {
    throw new DatabaseUnavailableError();
  };
  const db = { ping: down };
  const services = { users: { list: down, get: down, create: down } };
  const app = createApp({ config: testConfig(), db, services, logger: createLogger({ enabled: false }) });

  const health = await request(app).get('/health');
  const users = await request(app).post('{% if cookiecutter.auth == "none" %}/api/users{% else %}/api/auth/register{% endif %}').send({ email: 'a@example.com', password: 'long enough' });

  assert.equal(health.status, 503);
  assert.deepEqual(health.body, { status: 'error', database: 'unavailable' });
  expectError(users, 503, 'service_unavailable');
});
{%- if cookiecutter.database == "mongodb" %}

test('when MongoDB cannot be reached, then health and the API answer 503 within seconds', async (t) => {
  const db = openDatabase(`mongodb://127.0.0.1:${await freePort()}/unreachable`, { selectionTimeoutMs: 300 });
  t.after(() => db.close());
  const app = createApp({ config: testConfig(), db, logger: createLogger({ enabled: false }) });
  const started = Date.now();

  const health = await request(app).get('/health');
  const users = await request(app).post('{% if cookiecutter.auth == "none" %}/api/users{% else %}/api/auth/register{% endif %}').send({ email: 'a@example.com', password: 'long enough' });

  assert.equal(health.status, 503);
  assert.deepEqual(health.body, { status: 'error', database: 'unavailable' });
  expectError(users, 503, 'service_unavailable');
  assert.doesNotMatch(users.text, /unreachable|127\.0\.0\.1/);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
});
{%- endif %}
