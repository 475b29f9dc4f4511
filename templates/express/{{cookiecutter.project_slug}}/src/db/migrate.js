/** Applies the SQL files in migrations/ in order, each exactly once per database. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const MIGRATION_FILE = /^(\d+)_[\w-]+\.sql$/;

/**
 * Bring the database up to date and return the versions applied now (oldest first).
 *
 * All of it runs in one transaction under a lock, so two processes starting together
 * cannot both apply a migration, and a failed one leaves nothing half done.
 */
export async function migrate(db, { logger, dir = MIGRATIONS_DIR } = {}) {
  const files = (await readdir(dir)).filter((name) => MIGRATION_FILE.test(name)).sort();
  const applied = await db.transaction(async (tx) => {
    await tx.lockForMigrations();
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    const done = new Set((await tx.query('SELECT version FROM schema_migrations')).map((row) => row.version));
    const now = [];
    for (const file of files) {
      const version = file.match(MIGRATION_FILE)[1];
      if (done.has(version)) continue;
      await tx.exec(await readFile(join(dir, file), 'utf8'));
      await tx.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [
        version,
        new Date().toISOString(),
      ]);
      now.push(version);
    }
    return now;
  });
  for (const version of applied) logger?.info({ version }, 'applied migration');
  return applied;
}
