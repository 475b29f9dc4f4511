import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimitedError } from '../src/errors.js';
import { createLoginFailureRepository } from '../src/repositories/login-failures.js';
import { createLoginLimit } from '../src/services/login-limit.js';
import { expectError, PASSWORD, register, setup } from './helpers.js';

const failLogin = (api, account) =>
  api.post('/api/auth/login').send({ email: account.email, password: 'wrong password' });

test('when a client fails LOGIN_RATE_LIMIT times, then its next login is 429 with Retry-After', async (t) => {
  const { api } = await setup(t, { LOGIN_RATE_LIMIT: '3' });
  const account = await register(api);

  for (let n = 0; n < 3; n += 1) expectError(await failLogin(api, account), 401, 'invalid_credentials');
  const blocked = await api.post('/api/auth/login').send({ email: account.email, password: PASSWORD });

  expectError(blocked, 429, 'rate_limited');
  const retryAfter = Number(blocked.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= 60, blocked.headers['retry-after']);
});

test('when failed logins are 422s, then they count toward the limit too', async (t) => {
  const { api } = await setup(t, { LOGIN_RATE_LIMIT: '2' });
  const account = await register(api);

  expectError(await api.post('/api/auth/login').send({ email: account.email }), 422, 'validation_error');
  expectError(await failLogin(api, account), 401, 'invalid_credentials');

  expectError(await api.post('/api/auth/login').send({ email: account.email, password: PASSWORD }), 429, 'rate_limited');
});

test('when logins succeed, then they do not count toward the limit', async (t) => {
  const { api } = await setup(t, { LOGIN_RATE_LIMIT: '2' });
  const account = await register(api);

  for (let n = 0; n < 4; n += 1) {
    await api.post('/api/auth/login').send({ email: account.email, password: PASSWORD }).expect(200);
  }
});

// supertest's requests come from the loopback address: as a proxy, it is trusted or not.
const LOOPBACK = '127.0.0.1, ::1';

const loginFrom = (api, client, account, password) =>
  api.post('/api/auth/login').set('X-Forwarded-For', client).send({ email: account.email, password });

// Two failed logins forwarded for two clients, then the right password for a third: the header
// is not believed, so all three are the peer, which has used up its limit.
for (const [name, env, clients] of [
  [
    'when TRUSTED_PROXIES is empty (the default) and X-Forwarded-For changes, then only the peer counts',
    {},
    ['10.0.0.1', '10.0.0.2', '10.0.1.1'],
  ],
  [
    'when an untrusted peer sends a spoofed X-Forwarded-For, then it is limited as itself',
    { TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8' },
    ['203.0.113.1', '203.0.113.2', '203.0.113.3'],
  ],
]) {
  test(name, async (t) => {
    const { api } = await setup(t, { LOGIN_RATE_LIMIT: '2', ...env });
    const account = await register(api);
    const [first, second, third] = clients;

    for (const client of [first, second]) await loginFrom(api, client, account, 'nope nope');
    const blocked = await loginFrom(api, third, account, PASSWORD);

    expectError(blocked, 429, 'rate_limited');
  });
}

test('when a trusted proxy forwards two clients, then each has a limit of its own', async (t) => {
  const { api } = await setup(t, { LOGIN_RATE_LIMIT: '2', TRUSTED_PROXIES: LOOPBACK });
  const account = await register(api);

  for (let n = 0; n < 2; n += 1) {
    expectError(await loginFrom(api, '203.0.113.1', account, 'nope nope'), 401, 'invalid_credentials');
  }

  expectError(await loginFrom(api, '203.0.113.1', account, PASSWORD), 429, 'rate_limited');
  await loginFrom(api, '203.0.113.2', account, PASSWORD).expect(200);
  // The proxy's own address, with no client forwarded, has not failed either.
  await api.post('/api/auth/login').send({ email: account.email, password: PASSWORD }).expect(200);
});

test('when failures leave the one-minute window, then the client may try again', async (t) => {
  const { db } = await setup(t);
  let clock = new Date('2030-01-01T00:00:00.000Z');
  const limit = createLoginLimit({ failures: createLoginFailureRepository(db), limit: 2, now: () => clock });

  await limit.recordFailure('10.1.1.1');
  clock = new Date('2030-01-01T00:00:20.000Z');
  await limit.recordFailure('10.1.1.1');
  const error = await limit.ensureAllowed('10.1.1.1').catch((caught) => caught);
  await limit.ensureAllowed('10.2.2.2');
  clock = new Date('2030-01-01T00:01:00.500Z');
  await limit.ensureAllowed('10.1.1.1');

  assert.ok(error instanceof RateLimitedError);
  assert.equal(error.headers['Retry-After'], '40');
});
