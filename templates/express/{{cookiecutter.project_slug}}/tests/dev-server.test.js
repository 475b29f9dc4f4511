import assert from 'node:assert/strict';
{%- if cookiecutter.database == "sqlite" %}
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
{%- else %}
import { readFile } from 'node:fs/promises';
{%- endif %}
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
{%- if cookiecutter.database == "mongodb" %}
import { openDatabase } from '../src/db/index.js';
import { BOOT_TIMEOUT_MS, freshDatabaseUrl, PROJECT_ROOT, startServer } from './helpers.js';
{%- elif cookiecutter.database == "postgres" %}
import { BOOT_TIMEOUT_MS, PROJECT_ROOT, startServer, TEST_DATABASE_URL } from './helpers.js';
{%- else %}
import { BOOT_TIMEOUT_MS, PROJECT_ROOT, startServer } from './helpers.js';
{%- endif %}

async function healthStatus(port) {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`)).status;
  } catch {
    return null;
  }
}

test('when the dev script starts, then it watches, prepares the database, listens on PORT and answers /health', async (t) => {
  const { scripts } = JSON.parse(await readFile(new URL('package.json', PROJECT_ROOT), 'utf8'));
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

  assert.equal(command, 'node');
  assert.ok(args.includes('--watch'), scripts.dev);
  const server = await startServer(t, args, databaseUrl);

  let status = null;
  for (const deadline = Date.now() + BOOT_TIMEOUT_MS; status !== 200 && Date.now() < deadline; ) {
    if (server.child.exitCode !== null) break;
    status = await healthStatus(server.port);
    if (status !== 200) await sleep(100);
  }

  assert.equal(status, 200, server.output);
{%- if cookiecutter.database == "sqlite" %}
  assert.match(server.output, /applied migration/);
{%- endif %}
});
