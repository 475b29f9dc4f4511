/** `npm start` (and `npm run dev`, under node --watch): load the configuration, {% if cookiecutter.database == "mongodb" %}make the indexes{% else %}migrate in development{% endif %}, listen, stop cleanly on SIGTERM. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createApp } from './app.js';
{%- if cookiecutter.database == "mongodb" %}
import { ensureCollections } from './db/collections.js';
{%- endif %}
import { configure, openPreparedDatabase } from './startup.js';

// In-flight requests get this long to finish after SIGTERM; then the process gives up on them.
const SHUTDOWN_GRACE_MS = 8000;

async function main() {
  const configured = configure();
  if (!configured) return 1;
  const { config, logger } = configured;
{%- if cookiecutter.database == "mongodb" %}

  const prepared = await openPreparedDatabase(config, logger, { failure: 'cannot prepare the database' });
{%- else %}

  const prepared = await openPreparedDatabase(config, logger, {
    failure: 'cannot prepare the database',
    // Development databases follow the code; production migrates on purpose (`npm run migrate`).
    migrations: config.appEnv === 'development',
  });
{%- endif %}
  if (!prepared) return 1;
  const { db } = prepared;
{%- if cookiecutter.database == "mongodb" %}
  // A server that comes back after an outage may be a new, empty one: make the indexes again.
  db.whenAvailable(() => {
    ensureCollections(db, { logger }).catch((error) => {
      logger.warn({ reason: error.cause?.message ?? error.message }, 'cannot make the indexes');
    });
  });
{%- endif %}

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
