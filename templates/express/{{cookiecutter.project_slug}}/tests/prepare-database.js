{% if cookiecutter.database == "mongodb" -%}
/**
 * `npm test` runs this first: it makes sure MongoDB answers at TEST_DATABASE_URL.
 * When it does not, the run stops at once with one line saying how to start it.
 */
import process from 'node:process';
import { MongoClient } from 'mongodb';
import { TEST_DATABASE_URL } from './helpers.js';

const TIMEOUT_MS = 3000;

/** The URL without credentials, for the message. */
function where(url) {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1').replace(/\?.*$/, '');
}

async function main() {
  let client;
  try {
    client = new MongoClient(TEST_DATABASE_URL, { serverSelectionTimeoutMS: TIMEOUT_MS, connectTimeoutMS: TIMEOUT_MS });
    // Each test makes (and drops) a database of its own; this only checks the server.
    await client.db().command({ ping: 1 });
    return 0;
  } catch (error) {
    const reason = (error.message || error.name || String(error)).split('\n')[0];
    process.stderr.write(
      `MongoDB for the tests is not reachable at ${where(TEST_DATABASE_URL)} (${reason}): ` +
        'start it with `docker compose up -d mongo`, or point TEST_DATABASE_URL at a server you have.\n',
    );
    return 1;
  } finally {
    await client?.close().catch(() => {});
  }
}

process.exitCode = await main();
{% else -%}
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
{% endif -%}
