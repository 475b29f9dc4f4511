import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrate } from '../src/db/migrate.js';
import { setup } from './helpers.js';

test('when migrations run again, then nothing is applied twice', async (t) => {
  const { db } = await setup(t);

  const again = await migrate(db);
  const versions = await db.query('SELECT version FROM schema_migrations ORDER BY version');

  assert.deepEqual(again, []);
  assert.deepEqual(
    versions.map((row) => row.version),
    ['0001'],
  );
});
{%- if cookiecutter.database == "sqlite" %}

test('when SQLite is opened, then WAL, a busy timeout and foreign keys are on', async (t) => {
  const { db } = await setup(t);

  assert.equal((await db.one('PRAGMA journal_mode')).journal_mode, 'wal');
  assert.equal((await db.one('PRAGMA foreign_keys')).foreign_keys, 1);
  assert.ok((await db.one('PRAGMA busy_timeout')).timeout > 0);
});
{%- else %}

test('when the schema is migrated, then ids are 64-bit identities', async (t) => {
  const { db } = await setup(t);

  const column = await db.one(
    "SELECT data_type, is_identity FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'id'",
  );

  assert.deepEqual(column, { data_type: 'bigint', is_identity: 'YES' });
});
{%- endif %}
