/**
 * `npm test` runs this first: it makes sure the test database exists and can be reached.
 * When PostgreSQL is not there, the run stops at once with one line saying how to start it.
 */
import process from 'node:process';
import pg from 'pg';
import { TEST_DATABASE_URL } from './helpers.js';

const CONNECT_TIMEOUT_MS = 3000;

function where(url) {
  const { hostname, port, pathname } = new URL(url);
  return `${hostname}:${port || 5432}${pathname}`;
}

async function canConnect(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}

async function main() {
  try {
    await canConnect(TEST_DATABASE_URL);
    return 0;
  } catch (error) {
    // 3D000: the server is there but the database is not; make it.
    if (error.code === '3D000') {
      const name = new URL(TEST_DATABASE_URL).pathname.slice(1);
      const server = new URL(TEST_DATABASE_URL);
      server.pathname = '/postgres';
      const client = new pg.Client({ connectionString: server.href, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      await client.connect();
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      await client.end();
      return 0;
    }
    process.stderr.write(
      `PostgreSQL for the tests is not reachable at ${where(TEST_DATABASE_URL)} (${error.message || error.code}): ` +
        'start it with `docker compose up -d db`, or point TEST_DATABASE_URL at a server you have.\n',
    );
    return 1;
  }
}

process.exitCode = await main();
