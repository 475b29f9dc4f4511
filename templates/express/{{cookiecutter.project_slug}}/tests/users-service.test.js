import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotFoundError } from '../src/errors.js';
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
  const row = await db.one('SELECT password_hash FROM users WHERE id = ?', [user.id]);

  assert.match(row.password_hash, /^\$argon2id\$/);
  assert.doesNotMatch(row.password_hash, /my secret password/);
});

test('when a missing id is asked for, then NotFoundError', async (t) => {
  const { services } = await setup(t);

  await assert.rejects(services.users.get(12345), NotFoundError);
  await assert.rejects(services.users.get(null), NotFoundError);
});
