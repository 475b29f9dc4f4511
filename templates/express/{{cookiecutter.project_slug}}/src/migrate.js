/** `npm run migrate`: {% if cookiecutter.database == "mongodb" %}make the indexes and validators, as the server does at every start{% else %}bring the database up to date; production runs this before starting{% endif %}. */
import { configure, openPreparedDatabase } from './startup.js';

async function main() {
  const configured = configure();
  if (!configured) return 1;
  const { config, logger } = configured;
  const prepared = await openPreparedDatabase(config, logger, { failure: 'migration failed' });
  if (!prepared) return 1;
{%- if cookiecutter.database == "mongodb" %}
  logger.info('the indexes and validators are in place');
{%- else %}
  const { applied } = prepared;
  logger.info(applied.length ? `applied ${applied.join(', ')}` : 'the database schema is up to date');
{%- endif %}
  await prepared.db.close();
  return 0;
}

process.exitCode = await main();
