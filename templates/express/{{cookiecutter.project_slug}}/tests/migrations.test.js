import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrate, MIGRATIONS_DIR, MigrationHistoryError } from '../src/db/migrate.js';
import { BOOT_TIMEOUT_MS, emptyDatabase, setup, startServer } from './helpers.js';

const WIDGETS = 'CREATE TABLE widgets (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n';
const FIRST_WIDGET = "INSERT INTO widgets (id, name) VALUES (1, 'first');\n";

/** A migrations folder of its own for test `t`, holding `files` ({ name: sql }); returns its path. */
async function migrationsDir(t, files) {
  const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await addFiles(dir, files);
  return dir;
}

async function addFiles(dir, files) {
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
}

function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

async function recorded(db) {
  return db.query('SELECT version, checksum, applied_at FROM schema_migrations ORDER BY version');
}

/** Assert that migrate() refuses with one line matching every pattern; returns the message. */
async function refused(promise, ...patterns) {
  let message;
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof MigrationHistoryError, error.stack);
    message = error.message;
    return true;
  });
  assert.doesNotMatch(message, /\n/);
  for (const pattern of patterns) assert.match(message, pattern);
  return message;
}

test('when migrations run again, then nothing is applied twice', async (t) => {
  const { db } = await setup(t);

  const again = await migrate(db);
  const versions = await db.query('SELECT version FROM schema_migrations ORDER BY version');

  assert.deepEqual(again, []);
  // Every file of migrations/: 0001_initial, then any that `scaffold add resource` wrote.
  const files = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
  assert.equal(files[0], '0001_initial.sql');
  assert.deepEqual(
    versions.map((row) => row.version),
    files.map((name) => name.replace(/\.sql$/, '')),
  );
});

test('when a folder is migrated twice, then each file is applied once, in order', async (t) => {
  const { db } = await emptyDatabase(t);
  const dir = await migrationsDir(t, { '0002_first_widget.sql': FIRST_WIDGET, '0001_widgets.sql': WIDGETS });

  const first = await migrate(db, { dir });
  const second = await migrate(db, { dir });

  assert.deepEqual(first, ['0001_widgets', '0002_first_widget']);
  assert.deepEqual(second, []);
  assert.deepEqual(await db.query('SELECT name FROM widgets'), [{ name: 'first' }]);
});

test('when a migration is applied, then its full version, the sha256 of its file and the time are recorded', async (t) => {
  const { db } = await emptyDatabase(t);
  const dir = await migrationsDir(t, { '0001_widgets.sql': WIDGETS });
  const before = new Date();

  await migrate(db, { dir });
  const [row, ...others] = await recorded(db);

  assert.deepEqual(others, []);
  assert.equal(row.version, '0001_widgets');
  assert.equal(row.checksum, sha256(WIDGETS));
  assert.ok(new Date(row.applied_at) >= new Date(before.getTime() - 1000), row.applied_at);
});

test('when two files share a number, then migrate refuses naming both and applies nothing', async (t) => {
  const { db } = await emptyDatabase(t);
  const dir = await migrationsDir(t, { '0001_widgets.sql': WIDGETS, '0002_first_widget.sql': FIRST_WIDGET });
  await migrate(db, { dir });
  await addFiles(dir, {
    '0002_gadgets.sql': 'CREATE TABLE gadgets (id INTEGER PRIMARY KEY);\n',
    '0003_sprockets.sql': 'CREATE TABLE sprockets (id INTEGER PRIMARY KEY);\n',
  });

  await refused(migrate(db, { dir }), /0002_first_widget\.sql and .*0002_gadgets\.sql share the number 0002/, /rename/, /0004/);

  assert.deepEqual(
    (await recorded(db)).map((row) => row.version),
    ['0001_widgets', '0002_first_widget'],
  );
  await assert.rejects(db.query('SELECT 1 FROM gadgets'), /gadgets/);
  await assert.rejects(db.query('SELECT 1 FROM sprockets'), /sprockets/);
});

test('when an applied file was edited, then migrate refuses naming it and applies nothing', async (t) => {
  const { db } = await emptyDatabase(t);
  const dir = await migrationsDir(t, { '0001_widgets.sql': WIDGETS });
  await migrate(db, { dir });
  await addFiles(dir, {
    '0001_widgets.sql': `${WIDGETS}ALTER TABLE widgets ADD COLUMN colour TEXT;\n`,
    '0002_first_widget.sql': FIRST_WIDGET,
  });

  await refused(migrate(db, { dir }), /0001_widgets\.sql was edited after it was applied/, /new migration, 0003_/);

  assert.deepEqual(
    (await recorded(db)).map((row) => [row.version, row.checksum]),
    [['0001_widgets', sha256(WIDGETS)]],
  );
  assert.deepEqual(await db.query('SELECT * FROM widgets'), []);
});

test('when only the line endings of an applied file change, then it is still the same migration', async (t) => {
  const { db } = await emptyDatabase(t);
  const dir = await migrationsDir(t, { '0001_widgets.sql': WIDGETS });
  await migrate(db, { dir });
  await addFiles(dir, { '0001_widgets.sql': WIDGETS.replaceAll('\n', '\r\n') });

  assert.deepEqual(await migrate(db, { dir }), []);
});

test('when an applied file is gone, then migrate refuses naming it', async (t) => {
  const { db } = await emptyDatabase(t);
  const dir = await migrationsDir(t, { '0001_widgets.sql': WIDGETS });
  await migrate(db, { dir });
  await rm(join(dir, '0001_widgets.sql'));
  // The same file renamed: applied a second time, it would fail or, worse, do its work twice.
  await addFiles(dir, { '0001_make_widgets.sql': WIDGETS });

  await refused(migrate(db, { dir }), /0001_widgets was applied to this database but .*0001_widgets\.sql is gone/);
});

test('when the record is the old one of bare numbers, then it is upgraded in place and the next start is clean', async (t) => {
  const { db } = await emptyDatabase(t);
  const dir = await migrationsDir(t, { '0001_widgets.sql': WIDGETS, '0002_first_widget.sql': FIRST_WIDGET });
  // What projects generated before checksums left behind: 0001 applied, 0002 not yet.
  await db.exec('CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  await db.exec(WIDGETS);
  await db.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', ['0001', '2025-01-02T03:04:05.000Z']);

  const upgrade = await migrate(db, { dir });
  const rows = await recorded(db);
  const next = await migrate(db, { dir });

  assert.deepEqual(upgrade, ['0002_first_widget']);
  assert.deepEqual(rows[0], { version: '0001_widgets', checksum: sha256(WIDGETS), applied_at: '2025-01-02T03:04:05.000Z' });
  assert.deepEqual(
    rows.slice(1).map((row) => [row.version, row.checksum]),
    [['0002_first_widget', sha256(FIRST_WIDGET)]],
  );
  assert.deepEqual(next, []);
  assert.deepEqual(await db.query('SELECT name FROM widgets'), [{ name: 'first' }]);
});

test('when the old record names a number no file has, then migrate refuses and leaves the record as it was', async (t) => {
  const { db } = await emptyDatabase(t);
  const dir = await migrationsDir(t, { '0001_widgets.sql': WIDGETS });
  await db.exec('CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  await db.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', ['0007', '2025-01-02T03:04:05.000Z']);

  await refused(migrate(db, { dir }), /0007 was applied to this database but no .*0007_\*\.sql is left/);

  assert.deepEqual(await db.query('SELECT * FROM schema_migrations'), [
    { version: '0007', applied_at: '2025-01-02T03:04:05.000Z' },
  ]);
});

test('when an applied migration was edited, then the development server does not start and logs one line saying so', async (t) => {
  const { db, url } = await emptyDatabase(t);
  await migrate(db);
  await db.run("UPDATE schema_migrations SET checksum = 'edited' WHERE version = '0001_initial'");

  const server = await startServer(t, ['src/server.js'], url);
  const timer = setTimeout(() => server.child.kill('SIGKILL'), BOOT_TIMEOUT_MS);
  const [code] = await server.exited;
  clearTimeout(timer);

  const { output } = server;
  assert.equal(code, 1, output);
  const lines = output.trim().split('\n');
  assert.equal(lines.length, 1, output);
  const entry = JSON.parse(lines[0]);
  assert.equal(entry.msg, 'cannot prepare the database');
  assert.match(entry.reason, /0001_initial\.sql was edited after it was applied: restore it and put the change in a new migration/);
  assert.doesNotMatch(output, /\bat .*\.js:\d+/);
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
