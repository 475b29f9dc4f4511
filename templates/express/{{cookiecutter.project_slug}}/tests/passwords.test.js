import assert from 'node:assert/strict';
import { test } from 'node:test';
{%- if cookiecutter.database == "mongodb" %}
import { ObjectId } from 'mongodb';
{%- endif %}
import request from 'supertest';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
{%- if cookiecutter.auth != "none" %}
import { createServices } from '../src/services/index.js';
{%- endif %}
import { createPasswordHasher } from '../src/services/passwords.js';
import { cheapPasswords, PASSWORD, testDatabase, uniqueEmail } from './helpers.js';

// OWASP's floor for Argon2id: 19 MiB and 2 passes; production uses more than both.
const MIN_MEMORY_KIB = 19456;
const MIN_PASSES = 2;

/** The Argon2id costs in a PHC string: $argon2id$v=19$m=65536,t=3,p=4$... */
function costs(hash) {
  const [, m, t, p] = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash) ?? [];
  return { memory: Number(m), passes: Number(t), lanes: Number(p) };
}

async function storedHash(db, id) {
{%- if cookiecutter.database == "mongodb" %}
  const row = await db.collection('users').findOne({ _id: ObjectId.createFromHexString(id) });
{%- else %}
  const row = await db.one('SELECT password_hash FROM users WHERE id = ?', [id]);
{%- endif %}
  return row.password_hash;
}

test('when the app is built the normal way with APP_ENV=test, then it stores a production-strength Argon2id hash', async (t) => {
  const { db, config } = await testDatabase(t);
  // No services passed in: the ones createApp builds itself, as in production.
  const api = request(createApp({ config, db, logger: createLogger({ enabled: false }) }));

  const response = await api
    .post('{% if cookiecutter.auth == "none" %}/api/users{% else %}/api/auth/register{% endif %}')
    .send({ email: uniqueEmail(), password: PASSWORD })
    .expect(201);
  const hash = await storedHash(db, response.body{% if cookiecutter.auth != "none" %}.user{% endif %}.id);

  assert.equal(config.appEnv, 'test');
  assert.match(hash, /^\$argon2id\$/);
  const { memory, passes } = costs(hash);
  assert.ok(memory >= MIN_MEMORY_KIB, `m=${memory}`);
  assert.ok(passes >= MIN_PASSES, `t=${passes}`);
});

test('when a hasher is made without costs, then it is RFC 9106 low-memory Argon2id: 64 MiB, 3 passes, 4 lanes', async () => {
  const hash = await createPasswordHasher().hash(PASSWORD);

  assert.match(hash, /^\$argon2id\$/);
  assert.deepEqual(costs(hash), { memory: 65536, passes: 3, lanes: 4 });
});

test('when a hash is checked, then only its own password matches, and a malformed hash matches none', async () => {
  const hash = await cheapPasswords.hash(PASSWORD);

  assert.equal(await cheapPasswords.verify(hash, PASSWORD), true);
  assert.equal(await cheapPasswords.verify(hash, 'not the password'), false);
  assert.equal(await cheapPasswords.verify('not a hash', PASSWORD), false);
});

test('when a hash has other costs than the hasher, then it needs a rehash', async () => {
  const strong = createPasswordHasher();

  assert.equal(strong.needsRehash(await cheapPasswords.hash(PASSWORD)), true);
  assert.equal(strong.needsRehash(await strong.hash(PASSWORD)), false);
  assert.equal(strong.needsRehash('$argon2i$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaA'), true);
  assert.equal(strong.needsRehash('not a hash'), true);
});
{%- if cookiecutter.auth != "none" %}

test('when a user with a cheaper hash signs in, then the stored hash is upgraded to the strong costs', async (t) => {
  const { db, config } = await testDatabase(t);
  const old = createServices({ config, db, passwords: cheapPasswords });
  const user = await old.users.create({ email: uniqueEmail(), password: PASSWORD });
  const api = request(createApp({ config, db, logger: createLogger({ enabled: false }) }));

  await api.post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);

  assert.deepEqual(costs(await storedHash(db, user.id)), { memory: 65536, passes: 3, lanes: 4 });
});
{%- endif %}
