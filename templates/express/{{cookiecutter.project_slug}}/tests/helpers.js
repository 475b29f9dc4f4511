/** Test helpers: a fresh app on a fresh database for every test, and ready-made users. */
{%- if cookiecutter.database == "sqlite" %}
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
{%- else %}
import { randomBytes } from 'node:crypto';
{%- endif %}
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
{%- if cookiecutter.database == "mongodb" %}
import { ensureCollections } from '../src/db/collections.js';
import { openDatabase } from '../src/db/index.js';
{%- else %}
import { openDatabase } from '../src/db/index.js';
import { migrate } from '../src/db/migrate.js';
{%- endif %}
import { createLogger } from '../src/logger.js';
{%- if cookiecutter.database == "postgres" %}
import { resources } from '../src/registry.js';
{%- endif %}
import { createServices } from '../src/services/index.js';
import { createPasswordHasher } from '../src/services/passwords.js';

export const SECRET_KEY = 'test-secret-key-that-is-long-enough-0123456789';
export const PROJECT_ROOT = new URL('..', import.meta.url);
// How long a spawned server may take to answer, or to give up.
export const BOOT_TIMEOUT_MS = 20_000;
export const PASSWORD = 'correct horse battery';
// Tests hash hundreds of passwords: Argon2id at its smallest costs keeps them fast. Only
// setup() passes it in; an app built without it hashes as production does.
export const cheapPasswords = createPasswordHasher({ memoryCost: 8, timeCost: 1, parallelism: 1 });
{%- if cookiecutter.database == "postgres" %}
// Read from the real environment only, never from .env, so tests cannot touch the app's data.
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres:postgres@localhost:5432/{{ cookiecutter.package_name }}_test';
// Every table but the migration record; ids restart so each test sees the same numbers.
const TABLES = [
  ...resources.map(({ name }) => `"${name}"`),
  'users',
{%- if cookiecutter.auth == "session" %}
  'sessions',
{%- elif cookiecutter.auth == "jwt" %}
  'revoked_tokens',
{%- endif %}
{%- if cookiecutter.auth != "none" %}
  'login_failures',
{%- endif %}
];
{%- elif cookiecutter.database == "mongodb" %}
// Read from the real environment only, never from .env, so tests cannot touch the app's data.
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'mongodb://localhost:27017/{{ cookiecutter.package_name }}_test';
// MongoDB database names stop at 63 bytes; the random suffix takes 13 of them.
const NAME_ROOM = 50;

/** TEST_DATABASE_URL naming a database no other test uses: its name plus a random suffix. */
export function freshDatabaseUrl() {
  const [, server, name, query] = TEST_DATABASE_URL.match(/^(mongodb(?:\+srv)?:\/\/[^/?]+\/?)([^/?]*)(.*)$/) ?? [];
  if (server === undefined) throw new Error(`TEST_DATABASE_URL is not a mongodb:// URL: ${TEST_DATABASE_URL}`);
  const base = server.endsWith('/') ? server : `${server}/`;
  return `${base}${(name || 'test').slice(0, NAME_ROOM)}_${randomBytes(6).toString('hex')}${query}`;
}
{%- endif %}

/** A test configuration; `env` overrides single variables. */
export function testConfig(env = {}) {
  return loadConfig({ env: { APP_ENV: 'test', SECRET_KEY, ...env }, envFile: null });
}

/**
 * A test configuration and, for test `t`, {% if cookiecutter.database == "postgres" %}the emptied test database{% elif cookiecutter.database == "mongodb" %}a database of its own (dropped afterwards){% else %}its own SQLite file{% endif %}, closed when
 * the test ends. Returns { db, config }.
 */
export async function testDatabase(t, env = {}) {
{%- if cookiecutter.database == "postgres" %}
  const config = testConfig({ DATABASE_URL: TEST_DATABASE_URL, ...env });
  const db = openDatabase(config.databaseUrl);
  t.after(() => db.close());
  await migrate(db);
  await db.exec(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);
{%- elif cookiecutter.database == "mongodb" %}
  const config = testConfig({ DATABASE_URL: freshDatabaseUrl(), ...env });
  const db = openDatabase(config.databaseUrl);
  t.after(async () => {
    await db.withDatabase((database) => database.dropDatabase());
    await db.close();
  });
  await ensureCollections(db);
{%- else %}
  const dir = await mkdtemp(join(tmpdir(), 'api-test-'));
  const config = testConfig({ DATABASE_URL: `sqlite:///${join(dir, 'test.db')}`, ...env });
  const db = openDatabase(config.databaseUrl);
  t.after(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });
  await migrate(db);
{%- endif %}
  return { db, config };
}
{%- if cookiecutter.database != "mongodb" %}

/**
 * For test `t`, a database with no tables at all{% if cookiecutter.database == "postgres" %}: a schema of its own in the test database (dropped
 * afterwards), which the connections use through their search_path{% else %}, in a SQLite file of its own{% endif %}.
 * Returns { db, url }.
 */
export async function emptyDatabase(t) {
{%- if cookiecutter.database == "postgres" %}
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = openDatabase(TEST_DATABASE_URL);
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const address = new URL(TEST_DATABASE_URL);
  address.searchParams.set('options', `-c search_path=${schema}`);
  const url = address.href;
  const db = openDatabase(url);
  t.after(async () => {
    await db.close();
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  });
{%- else %}
  const dir = await mkdtemp(join(tmpdir(), 'api-test-'));
  const url = `sqlite:///${join(dir, 'test.db')}`;
  const db = openDatabase(url);
  t.after(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });
{%- endif %}
  return { db, url };
}
{%- endif %}

/**
 * A fresh app for test `t` on a fresh database (testDatabase), with the cheap password hasher.
 * Returns { app, db, config, services, api } where `api` is a supertest agent.
 */
export async function setup(t, env = {}) {
  const { db, config } = await testDatabase(t, env);
  const services = createServices({ config, db, passwords: cheapPasswords });
  const app = createApp({ config, db, services, logger: createLogger({ enabled: false }) });
  return { app, db, config, services, api: request(app) };
}

let counter = 0;
/** An address no other user in this process has. */
export function uniqueEmail(local = 'user') {
  counter += 1;
  return `${local}@example${counter}.com`;
}
{%- if cookiecutter.auth == "none" %}

/** Create a user through the API; returns { user, email, password }. */
export async function createUser(api, fields = {}) {
  const email = fields.email ?? uniqueEmail();
  const response = await api.post('/api/users').send({ email, password: PASSWORD, ...fields }).expect(201);
  return { user: response.body, email, password: fields.password ?? PASSWORD };
}
{%- else %}

/** Register through the API; returns { user, email, password, headers, response }. */
export async function register(api, fields = {}) {
  const email = fields.email ?? uniqueEmail();
  const response = await api.post('/api/auth/register').send({ email, password: PASSWORD, ...fields }).expect(201);
  return { user: response.body.user, email, password: fields.password ?? PASSWORD, headers: credentials(response), response };
}

/** Sign in again as `account`: a new, separate set of credentials. */
export async function login(api, account) {
  const response = await api
    .post('/api/auth/login')
    .send({ email: account.email, password: account.password })
    .expect(200);
  return { ...account, headers: credentials(response), response };
}

/** The request headers that carry what a register or login answer handed out. */
export function credentials(response) {
{%- if cookiecutter.auth == "jwt" %}
  return { Authorization: `Bearer ${response.body.access_token}` };
{%- else %}
  const cookies = response.headers['set-cookie'] ?? [];
  return { Cookie: cookies.map((cookie) => cookie.split(';')[0]).join('; ') };
{%- endif %}
}
{%- endif %}

/** A user made through the API, with the request headers that act as them ({} without auth). */
export async function newAccount(api) {
{%- if cookiecutter.auth == "none" %}
  return { ...(await createUser(api)), headers: {} };
{%- else %}
  return register(api);
{%- endif %}
}

/**
 * Send `method path` with no body at all, not even `Content-Length: 0` (which supertest
 * sends), as `curl -X POST` does. Returns { status, headers, body }.
 */
export async function bodyless(app, method, path, headers = {}) {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const req = httpRequest({ host: '127.0.0.1', port: server.address().port, method, path, headers, agent: false });
    req.removeHeader('Content-Length');
    req.removeHeader('Transfer-Encoding');
    req.end();
    const [res] = await once(req, 'response');
    let text = '';
    for await (const chunk of res.setEncoding('utf8')) text += chunk;
    return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  } finally {
    server.close();
  }
}

/** A local port that nothing listens on now: connections to it are refused at once. */
export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Run `node ...args` in the project's root, as the npm scripts do, in development on a free
 * port of 127.0.0.1 with `databaseUrl`; stopped with SIGTERM when test `t` ends, if it still runs.
 * Returns { child, port, exited, output }: `exited` resolves to the exit's [code, signal], and
 * `output` holds what it wrote so far to stdout and stderr.
 */
export async function startServer(t, args, databaseUrl) {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, APP_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: databaseUrl, SECRET_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = { child, port, exited: once(child, 'exit'), output: '' };
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (server.output += chunk));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await server.exited;
    }
  });
  return server;
}

/** Assert the contract's error envelope; returns the error object. */
export function expectError(response, status, code, context = '') {
  assert.equal(response.status, status, `${context} ${JSON.stringify(response.body)}`);
  assert.match(response.headers['content-type'] ?? '', /^application\/json/);
  assert.deepEqual(Object.keys(response.body), ['error']);
  assert.equal(response.body.error.code, code);
  assert.equal(typeof response.body.error.message, 'string');
  return response.body.error;
}
