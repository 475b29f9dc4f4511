/**
 * Applies the SQL files in migrations/ in order, each exactly once per database, and refuses
 * to run when that history was rewritten.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
// `0002_add_posts.sql`: the version is `0002_add_posts`, its number 2.
const MIGRATION_FILE = /^((\d+)_[\w-]+)\.sql$/;
const CREATE_TABLE =
  'CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)';
{%- if cookiecutter.database == "postgres" %}
const TABLE_COLUMNS =
  "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_migrations'";
{%- else %}
const TABLE_COLUMNS = "SELECT name FROM pragma_table_info('schema_migrations')";
{%- endif %}

/** Raised when migrations/ and the database's record of it disagree; nothing has been applied. */
export class MigrationHistoryError extends Error {
  name = 'MigrationHistoryError';
}

// Line endings are left out of the checksum (as Flyway does), so that a checkout with CRLF
// (git's autocrlf on Windows) holds the same migration, not an edited one.
function checksum(sql) {
  return createHash('sha256').update(sql.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n')).digest('hex');
}

/** The migration files of `dir`, by number: [{ version, number, prefix, path, sql, checksum }]. */
async function readMigrations(dir) {
  const migrations = [];
  for (const name of await readdir(dir)) {
    const match = name.match(MIGRATION_FILE);
    if (!match) continue;
    const [, version, prefix] = match;
    const path = join(dir, name);
    const sql = await readFile(path, 'utf8');
    migrations.push({ version, number: Number(prefix), prefix, path: shown(path), sql, checksum: checksum(sql) });
  }
  return migrations.sort((a, b) => a.number - b.number || a.version.localeCompare(b.version));
}

// npm scripts run in the project's root, where `migrations/0001_initial.sql` says enough.
function shown(path) {
  const near = relative(process.cwd(), path);
  return near.startsWith('..') || isAbsolute(near) ? path : near;
}

/** The number the next migration should take, as wide as the last one's. */
function nextNumber(migrations) {
  const last = migrations.at(-1);
  return last ? String(last.number + 1).padStart(last.prefix.length, '0') : '0001';
}

function refuse(problems) {
  throw new MigrationHistoryError(`cannot migrate: ${problems.join('; ')}`);
}

function refuseDuplicates(migrations) {
  const byNumber = Map.groupBy(migrations, (migration) => migration.number);
  const problems = [...byNumber.values()]
    .filter((group) => group.length > 1)
    .map(
      (group) =>
        `${group.map((migration) => migration.path).join(' and ')} share the number ${group[0].prefix}: ` +
        `rename the one not applied yet to the next free number, ${nextNumber(migrations)}`,
    );
  if (problems.length) refuse(problems);
}

/**
 * Create the record, or bring one made by an earlier version of this file up to date.
 *
 * That one held only each file's number (`0001`) and no checksum. Each number becomes the full
 * version of the file that has it now, and that file's checksum the recorded one: there is
 * nothing better to compare with. Returns whether it upgraded.
 */
async function prepareRecord(tx, migrations, dir) {
  const columns = new Set((await tx.query(TABLE_COLUMNS)).map((row) => row.name));
  if (columns.has('checksum')) return false;
  if (columns.size === 0) {
    await tx.exec(CREATE_TABLE);
    return false;
  }
  const old = await tx.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
  const gone = old.filter((row) => !migrations.some((migration) => migration.number === Number(row.version)));
  if (gone.length) {
    refuse(
      gone.map(
        (row) => `${row.version} was applied to this database but no ${shown(join(dir, row.version))}_*.sql is left: put the file back`,
      ),
    );
  }
  await tx.exec('DROP TABLE schema_migrations');
  await tx.exec(CREATE_TABLE);
  for (const row of old) {
    const migration = migrations.find((candidate) => candidate.number === Number(row.version));
    await tx.run('INSERT INTO schema_migrations (version, checksum, applied_at) VALUES (?, ?, ?)', [
      migration.version,
      migration.checksum,
      row.applied_at,
    ]);
  }
  return true;
}

// A renamed or deleted file is refused as well as an edited one: renamed, it would be applied
// a second time under its new name; deleted, this code would run on a schema it does not know.
function refuseRewrites(migrations, recorded, dir) {
  const byVersion = new Map(migrations.map((migration) => [migration.version, migration]));
  const next = nextNumber(migrations);
  const problems = [];
  for (const row of recorded) {
    const migration = byVersion.get(row.version);
    if (!migration) {
      problems.push(
        `${row.version} was applied to this database but ${shown(join(dir, `${row.version}.sql`))} is gone: ` +
          'put it back (to undo an applied migration, add a new one)',
      );
    } else if (migration.checksum !== row.checksum) {
      problems.push(
        `${migration.path} was edited after it was applied: restore it and put the change in a new migration, ${next}_describe_the_change.sql`,
      );
    }
  }
  if (problems.length) refuse(problems);
}

/**
 * Bring the database up to date and return the versions applied now (oldest first).
 *
 * All of it runs in one transaction under a lock, so two processes starting together
 * cannot both apply a migration, and a failed one (or a refused history) leaves nothing done.
 */
export async function migrate(db, { logger, dir = MIGRATIONS_DIR } = {}) {
  const migrations = await readMigrations(dir);
  refuseDuplicates(migrations);
  const { upgraded, applied } = await db.transaction(async (tx) => {
    await tx.lockForMigrations();
    const upgraded = await prepareRecord(tx, migrations, dir);
    const recorded = await tx.query('SELECT version, checksum FROM schema_migrations ORDER BY version');
    refuseRewrites(migrations, recorded, dir);
    const done = new Set(recorded.map((row) => row.version));
    const applied = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.run('INSERT INTO schema_migrations (version, checksum, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.checksum,
        new Date().toISOString(),
      ]);
      applied.push(migration.version);
    }
    return { upgraded, applied };
  });
  if (upgraded) logger?.info('schema_migrations now records full versions and checksums');
  for (const version of applied) logger?.info({ version }, 'applied migration');
  return applied;
}
