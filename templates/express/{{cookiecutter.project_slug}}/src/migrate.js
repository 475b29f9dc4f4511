/** `npm run migrate`: bring the database up to date; production runs this before starting. */
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { migrate } from './db/migrate.js';
import { createLogger } from './logger.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger().fatal(error.message);
    return 1;
  }
  const logger = createLogger(config);
  let db;
  try {
    db = await openDatabase(config.databaseUrl, { logger });
    const applied = await migrate(db, { logger });
    logger.info(applied.length ? `applied ${applied.join(', ')}` : 'the database schema is up to date');
    return 0;
  } catch (error) {
    logger.fatal({ reason: error.cause?.message ?? error.message }, 'migration failed');
    return 1;
  } finally {
    await db?.close();
  }
}

process.exitCode = await main();
