import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureCollections, INDEXES } from '../src/db/collections.js';
import { {% if cookiecutter.auth == "session" %}PASSWORD, {% endif %}{% if cookiecutter.auth != "none" %}register, {% endif %}setup } from './helpers.js';

/** The indexes of one collection, by name. */
async function indexesOf(db, name) {
  const indexes = await db.withDatabase((database) => database.collection(name).indexes());
  return Object.fromEntries(indexes.map((index) => [index.name, index]));
}

test('when the app starts, then email and username have unique indexes', async (t) => {
  const { db } = await setup(t);

  const indexes = await indexesOf(db, 'users');

  assert.deepEqual(indexes.uq_users_email.key, { email: 1 });
  assert.equal(indexes.uq_users_email.unique, true);
  assert.deepEqual(indexes.uq_users_username.key, { username: 1 });
  assert.equal(indexes.uq_users_username.unique, true);
  assert.deepEqual(indexes.ix_users_created_at.key, { created_at: 1, _id: 1 });
});
{%- if cookiecutter.auth != "none" %}

test('when the app starts, then {% if cookiecutter.auth == "jwt" %}revoked tokens{% else %}sessions{% endif %} and failed logins expire through TTL indexes', async (t) => {
  const { db } = await setup(t);
{%- if cookiecutter.auth == "jwt" %}

  const revoked = await indexesOf(db, 'revoked_tokens');
  assert.deepEqual(revoked.ttl_revoked_tokens_expires_at.key, { expires_at: 1 });
  assert.equal(revoked.ttl_revoked_tokens_expires_at.expireAfterSeconds, 0);
{%- else %}

  const sessions = await indexesOf(db, 'sessions');
  assert.deepEqual(sessions.ttl_sessions_expires_at.key, { expires_at: 1 });
  assert.equal(sessions.ttl_sessions_expires_at.expireAfterSeconds, 0);
  assert.deepEqual(sessions.ix_sessions_user_id.key, { user_id: 1 });
{%- endif %}
  const failures = await indexesOf(db, 'login_failures');
  assert.deepEqual(failures.ttl_login_failures_failed_at.key, { failed_at: 1 });
  assert.equal(failures.ttl_login_failures_failed_at.expireAfterSeconds, 60);
});
{%- endif %}

test('when the indexes are made again, then nothing fails and nothing changes', async (t) => {
  const { db } = await setup(t);
  const before = {};
  for (const name of Object.keys(INDEXES)) before[name] = await indexesOf(db, name);

  await ensureCollections(db);
  await ensureCollections(db);

  for (const name of Object.keys(INDEXES)) assert.deepEqual(await indexesOf(db, name), before[name], name);
});

test('when a document breaks the users validator, then MongoDB refuses it', async (t) => {
  const { db } = await setup(t);
  const users = db.collection('users');
  const valid = {
    email: 'valid@example.com',
    username: 'valid',
    password_hash: '$argon2id$...',
    is_active: true,
    created_at: new Date(),
    updated_at: new Date(),
  };

  for (const [field, value] of [
    ['email', 'Upper@Example.com'],
    ['username', 'has space'],
    ['is_active', 'yes'],
    ['created_at', '2030-01-01T00:00:00Z'],
    ['password_hash', undefined],
  ]) {
    const document = { ...valid, [field]: value };
    if (value === undefined) delete document[field];
    await assert.rejects(users.insertOne(document), (error) => error.code === 121, field);
  }
  await users.insertOne(valid);
});
{%- if cookiecutter.auth == "session" %}

test('when a user is deleted, then its sessions are deleted with it', async (t) => {
  const { api, db } = await setup(t);
  const account = await register(api);
  const other = await register(api);
  await api.post('/api/auth/login').send({ email: account.email, password: PASSWORD }).expect(200);
  const sessions = db.collection('sessions');

  await api.delete(`/api/users/${account.user.id}`).set(account.headers).expect(204);

  assert.equal(await sessions.countDocuments({}), 1);
  assert.equal((await sessions.findOne({})).user_id.toHexString(), other.user.id);
});
{%- elif cookiecutter.auth == "jwt" %}

test('when a token is logged out, then its jti is kept until the token would have expired', async (t) => {
  const { api, db } = await setup(t);
  const account = await register(api);
  const { jti, exp } = JSON.parse(Buffer.from(account.response.body.access_token.split('.')[1], 'base64url').toString());

  await api.post('/api/auth/logout').set(account.headers).type('json').expect(204);
  await api.post('/api/auth/logout').set(account.headers).type('json').expect(401);

  const revoked = await db.collection('revoked_tokens').findOne({ _id: jti });
  assert.equal(revoked.expires_at.getTime(), exp * 1000);
});
{%- endif %}
{%- if cookiecutter.auth != "none" %}

test('when logins fail, then the failures are kept in MongoDB, where every process sees them', async (t) => {
  const { api, db } = await setup(t);
  const account = await register(api);

  for (let n = 0; n < 2; n += 1) {
    await api.post('/api/auth/login').send({ email: account.email, password: 'wrong password' }).expect(401);
  }

  const failures = await db.collection('login_failures').findMany({}, {});
  assert.equal(failures.length, 2);
  assert.ok(failures.every((failure) => failure.failed_at instanceof Date && typeof failure.client === 'string'));
});
{%- endif %}
