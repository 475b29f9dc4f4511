/** `npm start` (and `npm run dev`, under node --watch): load the configuration, {% if cookiecutter.database == "mongodb" %}make the indexes{% else %}migrate in development{% endif %}, listen, stop cleanly on SIGTERM. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
{%- if cookiecutter.database == "mongodb" %}
import { ensureCollections } from './db/collections.js';
import { openDatabase } from './db/index.js';
{%- else %}
import { openDatabase } from './db/index.js';
import { migrate } from './db/migrate.js';
{%- endif %}
import { createLogger } from './logger.js';

// In-flight requests get this long to finish after SIGTERM; then the process gives up on them.
const SHUTDOWN_GRACE_MS = 8000;

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
    // Every start, in every APP_ENV: the unique indexes must exist before the first write.
    await ensureCollections(db, { logger });
    // A server that comes back after an outage may be a new, empty one: make them again.
    db.whenAvailable(() => {
      ensureCollections(db, { logger }).catch((error) => {
        logger.warn({ reason: error.cause?.message ?? error.message }, 'cannot make the indexes');
      });
    });
{%- else %}
    // Development databases follow the code; production migrates on purpose (`npm run migrate`).
    if (config.appEnv === 'development') await migrate(db, { logger });
{%- endif %}
  } catch (error) {
    logger.fatal({ reason: error.cause?.message ?? error.message }, 'cannot prepare the database');
    await db?.close();
    return 1;
  }

  const server = createServer(createApp({ config, db, logger }));
  server.listen(config.port, config.host);
  try {
    await once(server, 'listening');
  } catch (error) {
    logger.fatal({ reason: error.message }, `cannot listen on ${config.host}:${config.port}`);
    await db.close();
    return 1;
  }
  logger.info(`listening on http://${config.host}:${config.port} (${config.appEnv})`);

  const shutdown = async (signal) => {
    logger.info({ signal }, 'shutting down');
    const giveUp = setTimeout(() => {
      logger.error('requests still running after the grace period; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    giveUp.unref();
    // Stop accepting, let running requests finish (idle keep-alive sockets close at once).
    server.close();
    server.closeIdleConnections();
    await once(server, 'close');
    await db.close();
    clearTimeout(giveUp);
  };
  const onSignal = (signal) =>
    shutdown(signal).catch((error) => {
      logger.error({ err: error }, 'unclean shutdown');
      process.exitCode = 1;
    });
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return 0;
}

process.exitCode = await main();
