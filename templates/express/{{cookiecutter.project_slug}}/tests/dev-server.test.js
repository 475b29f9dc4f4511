import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
{%- if cookiecutter.database == "sqlite" %}
import { mkdtemp, readFile, rm } from 'node:fs/promises';
{%- else %}
import { readFile } from 'node:fs/promises';
{%- endif %}
import { createServer } from 'node:net';
{%- if cookiecutter.database == "sqlite" %}
import { tmpdir } from 'node:os';
import { join } from 'node:path';
{%- endif %}
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
{%- if cookiecutter.database == "mongodb" %}
import { openDatabase } from '../src/db/index.js';
import { freshDatabaseUrl, SECRET_KEY } from './helpers.js';
{%- elif cookiecutter.database == "postgres" %}
import { SECRET_KEY, TEST_DATABASE_URL } from './helpers.js';
{%- else %}
import { SECRET_KEY } from './helpers.js';
{%- endif %}

const ROOT = new URL('..', import.meta.url);
const BOOT_TIMEOUT_MS = 20_000;

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

async function healthStatus(port) {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`)).status;
  } catch {
    return null;
  }
}

test('when the dev script starts, then it watches, prepares the database, listens on PORT and answers /health', async (t) => {
  const { scripts } = JSON.parse(await readFile(new URL('package.json', ROOT), 'utf8'));
  const [command, ...args] = scripts.dev.split(' ');
{%- if cookiecutter.database == "sqlite" %}
  const dir = await mkdtemp(join(tmpdir(), 'dev-server-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // A database file that does not exist yet: the dev server must migrate it, as npm start does.
  const databaseUrl = `sqlite:///${join(dir, 'fresh.db')}`;
{%- elif cookiecutter.database == "mongodb" %}
  // A database that does not exist yet: the dev server must make its indexes, as npm start does.
  const databaseUrl = freshDatabaseUrl();
  t.after(async () => {
    const db = openDatabase(databaseUrl);
    await db.withDatabase((database) => database.dropDatabase());
    await db.close();
  });
{%- else %}
  const databaseUrl = TEST_DATABASE_URL;
{%- endif %}
  const port = await freePort();

  assert.equal(command, 'node');
  assert.ok(args.includes('--watch'), scripts.dev);
  const server = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, APP_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: databaseUrl, SECRET_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [server.stdout, server.stderr]) stream.on('data', (chunk) => (output += chunk));
  const exited = once(server, 'exit');
  t.after(async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await exited;
    }
  });

  let status = null;
  for (const deadline = Date.now() + BOOT_TIMEOUT_MS; status !== 200 && Date.now() < deadline; ) {
    if (server.exitCode !== null) break;
    status = await healthStatus(port);
    if (status !== 200) await sleep(100);
  }

  assert.equal(status, 200, output);
{%- if cookiecutter.database == "sqlite" %}
  assert.match(output, /applied migration/);
{%- endif %}
});
