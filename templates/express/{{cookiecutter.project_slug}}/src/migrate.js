/** `npm run migrate`: {% if cookiecutter.database == "mongodb" %}make the indexes and validators, as the server does at every start{% else %}bring the database up to date; production runs this before starting{% endif %}. */
import { ConfigError, loadConfig } from './config.js';
{%- if cookiecutter.database == "mongodb" %}
import { ensureCollections } from './db/collections.js';
import { openDatabase } from './db/index.js';
{%- else %}
import { openDatabase } from './db/index.js';
import { migrate } from './db/migrate.js';
{%- endif %}
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
{%- if cookiecutter.database == "mongodb" %}
    await ensureCollections(db, { logger });
    logger.info('the indexes and validators are in place');
{%- else %}
    const applied = await migrate(db, { logger });
    logger.info(applied.length ? `applied ${applied.join(', ')}` : 'the database schema is up to date');
{%- endif %}
    return 0;
  } catch (error) {
    logger.fatal({ reason: error.cause?.message ?? error.message }, 'migration failed');
    return 1;
  } finally {
    await db?.close();
  }
}

process.exitCode = await main();
