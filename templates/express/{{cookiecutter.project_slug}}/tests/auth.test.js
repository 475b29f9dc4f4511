import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyless, expectError, login, PASSWORD, register, setup, uniqueEmail } from './helpers.js';

test('when a user registers, then 201 with the user and credentials, not cached', async (t) => {
  const { api } = await setup(t);

  const { response } = await register(api, { email: uniqueEmail('Reg.Ister') });

  assert.equal(response.headers['cache-control'], 'no-store');
{%- if cookiecutter.auth == "jwt" %}
  assert.deepEqual(Object.keys(response.body).sort(), ['access_token', 'expires_in', 'token_type', 'user']);
  assert.equal(response.body.token_type, 'bearer');
  assert.equal(response.body.expires_in, 900);
{%- else %}
  assert.deepEqual(Object.keys(response.body), ['user']);
  assert.equal(response.headers['set-cookie'].length, 1);
{%- endif %}
});

test('when a user logs in with the email in any case, then 200 and the same user', async (t) => {
  const { api } = await setup(t);
  const account = await register(api);

  const response = await api.post('/api/auth/login').send({ email: account.email.toUpperCase(), password: PASSWORD });

  assert.equal(response.status, 200);
  assert.deepEqual(response.body.user, account.user);
});

test('when a login fails, then an unknown email and a wrong password answer alike', async (t) => {
  const { api } = await setup(t);
  const account = await register(api);

  const wrong = await api.post('/api/auth/login').send({ email: account.email, password: 'not the password' });
  const unknown = await api.post('/api/auth/login').send({ email: uniqueEmail(), password: 'not the password' });

  expectError(wrong, 401, 'invalid_credentials');
  assert.deepEqual(wrong.body, unknown.body);
});

test('when signed in, then me answers the user; without credentials, 401', async (t) => {
  const { api } = await setup(t);
  const account = await register(api);

  const me = await api.get('/api/auth/me').set(account.headers);

  assert.equal(me.status, 200);
  assert.deepEqual(me.body, account.user);
  expectError(await api.get('/api/auth/me'), 401, 'unauthorized');
  expectError(await api.post('/api/auth/logout'), 401, 'unauthorized');
});

test('when a user logs out, then those credentials stop at once and others live on', async (t) => {
  const { api } = await setup(t);
  const account = await register(api);
  const other = await login(api, account);

  await api.post('/api/auth/logout').set(account.headers).type('json').expect(204);

  expectError(await api.get('/api/auth/me').set(account.headers), 401, 'unauthorized');
  expectError(await api.get('/api/users').set(account.headers), 401, 'unauthorized');
  assert.equal((await api.get('/api/auth/me').set(other.headers)).status, 200);
});

test('when logout has no JSON Content-Type, with no body, then 415 and the credentials still work', async (t) => {
  const { app, api } = await setup(t);
  const account = await register(api);

  // What a cross-site form or a no-cors fetch can send: no type, or one of these three.
  expectError(await bodyless(app, 'POST', '/api/auth/logout', account.headers), 415, 'unsupported_media_type');
  expectError(await api.post('/api/auth/logout').set(account.headers), 415, 'unsupported_media_type');
  for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
    const logout = bodyless(app, 'POST', '/api/auth/logout', { ...account.headers, 'Content-Type': type });
    expectError(await logout, 415, 'unsupported_media_type', type);
  }

  await api.get('/api/auth/me').set(account.headers).expect(200);
});

test('when logout says application/json and has no body, then 204', async (t) => {
  const { app, api } = await setup(t);
  const account = await register(api);
  const type = { 'Content-Type': 'application/json; charset=utf-8' };

  const response = await bodyless(app, 'POST', '/api/auth/logout', { ...account.headers, ...type });

  assert.equal(response.status, 204);
  assert.equal(response.body, undefined);
  expectError(await api.get('/api/auth/me').set(account.headers), 401, 'unauthorized');
});

test('when a user deletes itself, then all its credentials are 401', async (t) => {
  const { api } = await setup(t);
  const account = await register(api);
  const second = await login(api, account);

  await api.delete(`/api/users/${account.user.id}`).set(account.headers).expect(204);

  for (const credentials of [account.headers, second.headers]) {
    expectError(await api.get('/api/auth/me').set(credentials), 401, 'unauthorized');
  }
});

test('when the password changes, then only the new one signs in', async (t) => {
  const { api } = await setup(t);
  const account = await register(api);

  await api.patch(`/api/users/${account.user.id}`).set(account.headers).send({ password: 'a new passphrase' }).expect(200);

  expectError(await api.post('/api/auth/login').send({ email: account.email, password: PASSWORD }), 401, 'invalid_credentials');
  await api.post('/api/auth/login').send({ email: account.email, password: 'a new passphrase' }).expect(200);
});
