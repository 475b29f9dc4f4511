import assert from 'node:assert/strict';
import { test } from 'node:test';
{%- if cookiecutter.auth == "none" %}
import { createUser as make, expectError, setup, uniqueEmail } from './helpers.js';

const auth = () => ({});
{%- else %}
import { expectError, register as make, setup, uniqueEmail } from './helpers.js';

const auth = (account) => account.headers;
{%- endif %}

const USER_FIELDS = ['created_at', 'email', 'id', 'is_active', 'updated_at', 'username'];

test('when a user is created, then its public fields answer and the email is lower-cased', async (t) => {
  const { api } = await setup(t);

  const { user{% if cookiecutter.auth != "none" %}, response{% endif %} } = await make(api, { email: 'Ada.Lovelace@Example.COM' });

  assert.deepEqual(Object.keys(user).sort(), USER_FIELDS);
  assert.equal(user.email, 'ada.lovelace@example.com');
  assert.equal(user.username, 'ada.lovelace');
  assert.equal(user.is_active, true);
  assert.match(user.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
{%- if cookiecutter.auth != "none" %}
  assert.equal(response.headers['cache-control'], 'no-store');
{%- endif %}
});
{%- if cookiecutter.auth == "none" %}

test('when a user is created, then Location names it', async (t) => {
  const { api } = await setup(t);

  const response = await api.post('/api/users').send({ email: uniqueEmail(), password: 'long enough password' });

  assert.equal(response.status, 201);
  assert.equal(response.headers.location, `/api/users/${response.body.id}`);
  assert.deepEqual((await api.get(response.headers.location).expect(200)).body, response.body);
});
{%- else %}

test('when a signed-in user posts to /api/users, then 405: accounts come from register', async (t) => {
  const { api } = await setup(t);
  const account = await make(api);

  const response = await api.post('/api/users').set(auth(account)).send({ email: uniqueEmail(), password: 'long enough' });

  expectError(response, 405, 'method_not_allowed');
});

test('when not signed in, then reading users is 401', async (t) => {
  const { api } = await setup(t);

  expectError(await api.get('/api/users'), 401, 'unauthorized');
  expectError(await api.get('/api/users/1'), 401, 'unauthorized');
});
{%- endif %}

test('when users are listed, then pages follow limit and offset, oldest first', async (t) => {
  const { api } = await setup(t);
  const accounts = [];
  for (let n = 0; n < 3; n += 1) accounts.push(await make(api));

  const first = await api.get('/api/users').set(auth(accounts[0])).expect(200);
  const second = await api.get('/api/users?limit=2&offset=1').set(auth(accounts[0])).expect(200);

  assert.deepEqual(
    first.body.items.map((user) => user.id),
    accounts.map((account) => account.user.id),
  );
  assert.deepEqual({ ...first.body, items: undefined }, { items: undefined, total: 3, limit: 20, offset: 0 });
  assert.deepEqual(
    second.body.items.map((user) => user.id),
    accounts.slice(1).map((account) => account.user.id),
  );
});

test('when paging parameters are out of range, then 422 naming the parameter', async (t) => {
  const { api } = await setup(t);
  const account = await make(api);

  for (const [query, field] of [
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['offset=-1', 'offset'],
    ['offset=99999999999999999999', 'offset'],
  ]) {
    const error = expectError(await api.get(`/api/users?${query}`).set(auth(account)), 422, 'validation_error');
    assert.ok(error.fields[field], query);
  }
});

test('when an id is unknown or of the wrong shape, then 404', async (t) => {
  const { api } = await setup(t);
  const account = await make(api);

{%- if cookiecutter.database == "mongodb" %}

  const unknown = '0123456789abcdef01234567';
  const shapes = ['999', 'abc', '1.5', '0x1f', '-1', account.user.id.toUpperCase(), `${account.user.id}0`, 'z'.repeat(24), '%7B%22%24ne%22%3Anull%7D'];

  for (const id of [unknown, ...shapes]) {
    expectError(await api.get(`/api/users/${id}`).set(auth(account)), 404, 'not_found', id);
    expectError(await api.patch(`/api/users/${id}`).set(auth(account)).send({ username: 'x_y_z' }), 404, 'not_found', id);
    expectError(await api.delete(`/api/users/${id}`).set(auth(account)), 404, 'not_found', id);
  }
  assert.match(account.user.id, /^[0-9a-f]{24}$/);
{%- else %}

  for (const id of ['999', 'abc', '1.5', '0x1f', '-1', '99999999999999999999999']) {
    expectError(await api.get(`/api/users/${id}`).set(auth(account)), 404, 'not_found');
  }
{%- endif %}
});

test('when only the username is sent with PATCH or PUT, then only the username changes', async (t) => {
  const { api } = await setup(t);
  const account = await make(api);

  for (const method of ['patch', 'put']) {
    const username = `renamed_${method}`;
    const response = await api[method](`/api/users/${account.user.id}`).set(auth(account)).send({ username });

    assert.equal(response.status, 200);
    assert.equal(response.body.username, username);
    assert.equal(response.body.email, account.user.email);
    assert.equal(response.body.created_at, account.user.created_at);
  }
});

test('when a change breaks a rule, then 422 naming the field and nothing changes', async (t) => {
  const { api } = await setup(t);
  const account = await make(api);
  const path = `/api/users/${account.user.id}`;

  for (const [body, field] of [
    [{ email: 'not-an-email' }, 'email'],
    [{ password: 'short' }, 'password'],
    [{ password: 'p'.repeat(129) }, 'password'],
    [{ username: 'has space' }, 'username'],
    [{ username: null }, 'username'],
    [{ is_active: false }, 'is_active'],
    [{ id: 7 }, 'id'],
  ]) {
    const error = expectError(await api.patch(path).set(auth(account)).send(body), 422, 'validation_error');
    assert.ok(error.fields[field], JSON.stringify(body));
  }
  assert.deepEqual((await api.get(path).set(auth(account))).body, account.user);
});

test('when a new user breaks a rule or sets a field it may not, then 422 naming the field', async (t) => {
  const { api } = await setup(t);
  const path = '{% if cookiecutter.auth == "none" %}/api/users{% else %}/api/auth/register{% endif %}';
  const valid = { email: uniqueEmail(), password: 'long enough password' };

  for (const [changes, field] of [
    [{ email: undefined }, 'email'],
    [{ email: 'a'.repeat(250) + '@x.io' }, 'email'],
    [{ password: 12345678 }, 'password'],
    [{ username: 'ab' }, 'username'],
    [{ created_at: '2020-01-01T00:00:00Z' }, 'created_at'],
    [{ password_hash: 'x' }, 'password_hash'],
  ]) {
    const error = expectError(await api.post(path).send({ ...valid, ...changes }), 422, 'validation_error');
    assert.ok(error.fields[field], field);
  }
});

test('when an email or username is taken, whatever the case, then 409', async (t) => {
  const { api } = await setup(t);
  const taken = await make(api, { email: 'Taken@Example.com', username: 'taken_name' });
  const other = await make(api);
  const path = '{% if cookiecutter.auth == "none" %}/api/users{% else %}/api/auth/register{% endif %}';

  expectError(await api.post(path).send({ email: 'TAKEN@example.com', password: 'long enough' }), 409, 'conflict');
  expectError(
    await api.post(path).send({ email: uniqueEmail(), password: 'long enough', username: 'taken_name' }),
    409,
    'conflict',
  );
  const change = await api.patch(`/api/users/${other.user.id}`).set(auth(other)).send({ email: taken.email });
  expectError(change, 409, 'conflict');
});

test('when a user is deleted, then it is gone and its id is never given again', async (t) => {
  const { api } = await setup(t);
  const witness = await make(api);
  const gone = await make(api);

  await api.delete(`/api/users/${gone.user.id}`).set(auth(gone)).expect(204);
  const successor = await make(api);

  expectError(await api.get(`/api/users/${gone.user.id}`).set(auth(witness)), 404, 'not_found');
{%- if cookiecutter.database == "mongodb" %}
  assert.notEqual(successor.user.id, gone.user.id);
{%- else %}
  assert.ok(successor.user.id > gone.user.id);
{%- endif %}
});
{%- if cookiecutter.database == "mongodb" %}

test('when the same email is sent by many requests at once, then one 201 and the rest 409, never a 500', async (t) => {
  const { api } = await setup(t);
  const path = '{% if cookiecutter.auth == "none" %}/api/users{% else %}/api/auth/register{% endif %}';
  const email = uniqueEmail('racer');

  const responses = await Promise.all(
    Array.from({ length: 6 }, (_, n) => api.post(path).send({ email, password: 'long enough', username: `racer_${n}` })),
  );

  assert.deepEqual(responses.map((response) => response.status).sort(), [201, 409, 409, 409, 409, 409]);
  for (const response of responses.filter((each) => each.status === 409)) expectError(response, 409, 'conflict');
});
{%- endif %}
{%- if cookiecutter.auth != "none" %}

test('when a user changes or deletes another user, then 403 and nothing changes', async (t) => {
  const { api } = await setup(t);
  const mallory = await make(api);
  const victim = await make(api);
  const path = `/api/users/${victim.user.id}`;

  expectError(await api.patch(path).set(auth(mallory)).send({ username: 'owned' }), 403, 'forbidden');
  expectError(await api.delete(path).set(auth(mallory)), 403, 'forbidden');
  expectError(await api.patch('/api/users/999').set(auth(mallory)).send({ username: 'x_y_z' }), 404, 'not_found');
  assert.deepEqual((await api.get(path).set(auth(victim))).body, victim.user);
});
{%- endif %}
