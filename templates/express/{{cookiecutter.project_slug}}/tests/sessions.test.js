import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnauthorizedError } from '../src/errors.js';
import { createSessionRepository } from '../src/repositories/sessions.js';
import { createUserRepository } from '../src/repositories/users.js';
import { createSessionService } from '../src/services/sessions.js';
import { expectError, login, PASSWORD, register, SECRET_KEY, setup } from './helpers.js';

test('when a session starts, then an HttpOnly, SameSite=Lax, root cookie holds an opaque id', async (t) => {
  const { api } = await setup(t);

  const account = await register(api, { email: 'opaque@example.com' });
  const [cookie] = account.response.headers['set-cookie'];

  assert.match(cookie, /^session_id=[A-Za-z0-9_-]{40,};/);
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Lax/);
  assert.match(cookie, /; Path=\//);
  assert.doesNotMatch(cookie, /; Secure/);
  assert.doesNotMatch(cookie, /opaque/);
});

test('when the cookie is tampered with, then 401', async (t) => {
  const { api } = await setup(t);
  const account = await register(api);
  const value = account.headers.Cookie.split('=')[1];
  const flipped = value.slice(0, -1) + (value.endsWith('A') ? 'B' : 'A');

  for (const cookie of [`session_id=${flipped}`, `session_id=${value.slice(0, 10)}`, 'session_id=', `other=${value}`]) {
    expectError(await api.get('/api/auth/me').set('Cookie', cookie), 401, 'unauthorized');
  }
});

test('when login carries a planted session id, then a new one is issued and the planted one stays dead', async (t) => {
  const { api } = await setup(t);
  const account = await register(api);
  const planted = 'session_id=attacker-chosen-session-id-0123456789';

  const response = await api.post('/api/auth/login').set('Cookie', planted).send({ email: account.email, password: PASSWORD });

  assert.equal(response.status, 200);
  assert.doesNotMatch(response.headers['set-cookie'][0], /attacker-chosen/);
  expectError(await api.get('/api/auth/me').set('Cookie', planted), 401, 'unauthorized');
});

test('when a session is logged out, then its cookie is cleared and dead; other sessions live', async (t) => {
  const { api } = await setup(t);
  const account = await register(api);
  const other = await login(api, account);

  const response = await api.post('/api/auth/logout').set(account.headers).type('json').expect(204);

  assert.match(response.headers['set-cookie'][0], /^session_id=;/);
  expectError(await api.get('/api/auth/me').set(account.headers), 401, 'unauthorized');
  await api.get('/api/auth/me').set(other.headers).expect(200);
});

test('when SESSION_EXPIRES has passed, then the session is over', async (t) => {
  const { db, services } = await setup(t);
  let clock = new Date('2030-01-01T00:00:00.000Z');
  const users = createUserRepository(db);
  const sessions = createSessionService({
    users,
    sessions: createSessionRepository(db),
    secret: SECRET_KEY,
    lifetime: 60,
    now: () => clock,
  });
  const user = await services.users.create({ email: 'clock@example.com', password: 'long enough' });

  const token = await sessions.start(user);
  clock = new Date('2030-01-01T00:00:59.000Z');
  assert.equal((await sessions.authenticate(token)).user.id, user.id);
  clock = new Date('2030-01-01T00:01:00.000Z');
  await assert.rejects(sessions.authenticate(token), UnauthorizedError);
});
