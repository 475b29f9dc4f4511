import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { expectError, register, SECRET_KEY, setup } from './helpers.js';

const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

function forge(header, claims, secret = SECRET_KEY, digest = 'sha256') {
  const input = `${encode(header)}.${encode(claims)}`;
  if (secret === null) return `${input}.`;
  return `${input}.${createHmac(digest, secret).update(input).digest('base64url')}`;
}

function claimsFor(id, changes = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: String(id), iat: now, exp: now + 600, jti: randomUUID(), ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete claims[key];
  return claims;
}

const HS256 = { alg: 'HS256', typ: 'JWT' };

test('when a token is issued, then it is HS256 with sub, iat, exp of the configured lifetime and a jti', async (t) => {
  const { api } = await setup(t, { ACCESS_TOKEN_EXPIRES: '120' });
  const account = await register(api);
  const [header, payload] = account.response.body.access_token.split('.').map((part, index) =>
    index < 2 ? JSON.parse(Buffer.from(part, 'base64url').toString()) : part,
  );

  assert.equal(header.alg, 'HS256');
  assert.equal(payload.sub, String(account.user.id));
  assert.equal(payload.exp - payload.iat, 120);
  assert.equal(account.response.body.expires_in, 120);
  assert.ok(payload.jti);
});

test('when a token is forged with the secret and every claim, then it is accepted', async (t) => {
  const { api } = await setup(t);
  const account = await register(api);

  const response = await api.get('/api/auth/me').set('Authorization', `Bearer ${forge(HS256, claimsFor(account.user.id))}`);

  assert.equal(response.status, 200);
});

test('when a token is not one the server would issue, then 401', async (t) => {
  const { api } = await setup(t);
  const account = await register(api);
  const id = account.user.id;
  const now = Math.floor(Date.now() / 1000);

  for (const [name, token] of Object.entries({
    'alg none': forge({ alg: 'none' }, claimsFor(id), null),
    HS512: forge({ alg: 'HS512', typ: 'JWT' }, claimsFor(id), SECRET_KEY, 'sha512'),
    'no exp': forge(HS256, claimsFor(id, { exp: undefined })),
    'no jti': forge(HS256, claimsFor(id, { jti: undefined })),
    expired: forge(HS256, claimsFor(id, { iat: now - 7200, exp: now - 3600 })),
    'wrong secret': forge(HS256, claimsFor(id), 'another secret of at least thirty-two chars'),
    'unknown user': forge(HS256, claimsFor('999999999999')),
    'not a jwt': 'abc',
  })) {
    expectError(await api.get('/api/auth/me').set('Authorization', `Bearer ${token}`), 401, 'unauthorized', name);
  }
  expectError(await api.get('/api/auth/me').set('Authorization', 'Basic dXNlcjpwYXNz'), 401, 'unauthorized');
});

test('when a token is logged out, then a forged copy of the same jti is dead too', async (t) => {
  const { api } = await setup(t);
  const account = await register(api);
  const { jti } = JSON.parse(Buffer.from(account.response.body.access_token.split('.')[1], 'base64url').toString());

  await api.post('/api/auth/logout').set(account.headers).type('json').expect(204);
  const replay = forge(HS256, claimsFor(account.user.id, { jti }));

  expectError(await api.get('/api/auth/me').set('Authorization', `Bearer ${replay}`), 401, 'unauthorized');
});
