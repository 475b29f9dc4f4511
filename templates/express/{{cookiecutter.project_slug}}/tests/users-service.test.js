import assert from 'node:assert/strict';
import { test } from 'node:test';
{%- if cookiecutter.database == "mongodb" %}
import { ObjectId } from 'mongodb';
import { UniqueViolationError } from '../src/db/errors.js';
import { ConflictError, NotFoundError } from '../src/errors.js';
import { createUserRepository } from '../src/repositories/users.js';
{%- else %}
import { NotFoundError } from '../src/errors.js';
{%- endif %}
import { setup } from './helpers.js';

test('when usernames are derived from emails, then they are cleaned, padded and made unique', async (t) => {
  const { services } = await setup(t);

  const first = await services.users.create({ email: 'ada@one.example', password: 'long enough' });
  const second = await services.users.create({ email: 'ada@two.example', password: 'long enough' });
  const short = await services.users.create({ email: 'x@three.example', password: 'long enough' });
  const odd = await services.users.create({ email: 'a+b%c@four.example', password: 'long enough' });

  assert.equal(first.username, 'ada');
  assert.equal(second.username, 'ada2');
  assert.equal(short.username, 'x__');
  assert.equal(odd.username, 'abc');
});

test('when a user is created, then the password is stored only as an Argon2id hash', async (t) => {
  const { services, db } = await setup(t);

  const user = await services.users.create({ email: 'hash@example.com', password: 'my secret password' });
{%- if cookiecutter.database == "mongodb" %}
  const row = await db.collection('users').findOne({ _id: ObjectId.createFromHexString(user.id) });
{%- else %}
  const row = await db.one('SELECT password_hash FROM users WHERE id = ?', [user.id]);
{%- endif %}

  assert.match(row.password_hash, /^\$argon2id\$/);
  assert.doesNotMatch(row.password_hash, /my secret password/);
});

test('when a missing id is asked for, then NotFoundError', async (t) => {
  const { services } = await setup(t);

{%- if cookiecutter.database == "mongodb" %}

  await assert.rejects(services.users.get(new ObjectId().toHexString()), NotFoundError);
{%- else %}

  await assert.rejects(services.users.get(12345), NotFoundError);
{%- endif %}
  await assert.rejects(services.users.get(null), NotFoundError);
});
{%- if cookiecutter.database == "mongodb" %}

test('when a write breaks a unique index, then the repository says so and the service answers conflict', async (t) => {
  const { db, services } = await setup(t);
  const users = createUserRepository(db);
  const now = new Date();
  await users.insert({ email: 'one@example.com', username: 'one', passwordHash: 'x' }, now);

  await assert.rejects(users.insert({ email: 'one@example.com', username: 'other', passwordHash: 'x' }, now), UniqueViolationError);
  await assert.rejects(users.insert({ email: 'other@example.com', username: 'one', passwordHash: 'x' }, now), UniqueViolationError);
  const second = await services.users.create({ email: 'two@example.com', password: 'long enough' });
  await assert.rejects(services.users.update(second, { username: 'one' }), ConflictError);
});

test('when the same email registers many times at once, then exactly one wins and the rest are conflicts', async (t) => {
  const { services } = await setup(t);

  const results = await Promise.allSettled(
    Array.from({ length: 8 }, (_, n) =>
      services.users.create({ email: 'race@example.com', password: 'long enough', username: `racer_${n}` }),
    ),
  );

  assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
  for (const result of results.filter((each) => each.status === 'rejected')) {
    assert.ok(result.reason instanceof ConflictError, String(result.reason));
  }
});

test('when an id is not an ObjectId, then the repository finds nothing and asks nothing', async (t) => {
  const { db } = await setup(t);
  const users = createUserRepository(db);

  for (const id of ['abc', '1', 12345, null, 'ABCDEFABCDEFABCDEFABCDEF', `${'a'.repeat(24)}0`, { $ne: null }]) {
    assert.equal(await users.findById(id), null, String(id));
    assert.equal(await users.update(id, { username: 'x_y_z' }, new Date()), null, String(id));
  }
});
{%- endif %}
