/** What both entry points (`npm start`, `npm run migrate`) do first: read the configuration, open the database and prepare it. */
import { ConfigError, loadConfig } from './config.js';
{%- if cookiecutter.database == "mongodb" %}
import { ensureCollections } from './db/collections.js';
import { openDatabase } from './db/index.js';
{%- else %}
import { openDatabase } from './db/index.js';
import { migrate } from './db/migrate.js';
{%- endif %}
import { createLogger } from './logger.js';

/**
 * Returns { config, logger }, or null once what is wrong with the environment has been logged
 * as one fatal line (a stack trace would tell whoever set the variables nothing more).
 */
export function configure() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger().fatal(error.message);
    return null;
  }
  return { config, logger: createLogger(config) };
}

/**
{%- if cookiecutter.database == "mongodb" %}
 * Open the configured database and make its indexes and validators, at every start in every
 * APP_ENV: they must exist before the first write. Returns { db }, or null once `failure` and
 * its reason have been logged as one fatal line and the database closed again.
 */
export async function openPreparedDatabase(config, logger, { failure }) {
{%- else %}
 * Open the configured database and, when `migrations` is true, apply the pending migrations.
 * Returns { db, applied } (the versions applied now), or null once `failure` and its reason
 * have been logged as one fatal line and the database closed again.
 */
export async function openPreparedDatabase(config, logger, { failure, migrations = true }) {
{%- endif %}
  let db;
  try {
    db = await openDatabase(config.databaseUrl, { logger });
{%- if cookiecutter.database == "mongodb" %}
    await ensureCollections(db, { logger });
    return { db };
{%- else %}
    const applied = migrations ? await migrate(db, { logger }) : [];
    return { db, applied };
{%- endif %}
  } catch (error) {
    logger.fatal({ reason: error.cause?.message ?? error.message }, failure);
    await db?.close();
    return null;
  }
}
