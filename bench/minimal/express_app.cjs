/**
 * The least Express app that serves the two reads the bench compares: Express and libsql (SQLite).
 *
 * Run with a generated Express project's node_modules (same versions):
 *   PROJECT_DIR=/path/to/project MINIMAL_DATABASE_URL=sqlite:////tmp/x.db PORT=3000 node bench/minimal/express_app.cjs
 * The SQLite file already holds a `users` table (bench_load.py seeds it).
 */
'use strict';

const path = require('node:path');
const { createRequire } = require('node:module');

const projectRequire = createRequire(path.join(process.env.PROJECT_DIR, 'package.json'));
const express = projectRequire('express');
const Database = projectRequire('libsql');

const db = new Database(process.env.MINIMAL_DATABASE_URL.replace(/^sqlite:\/\//, ''));
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
const ping = db.prepare('SELECT 1');
const byId = db.prepare(
  'SELECT id, email, username, is_active, created_at, updated_at FROM users WHERE id = ?',
);

const app = express();

app.get('/health', (req, res) => {
  ping.get();
  res.json({ status: 'ok', database: 'ok' });
});

app.get('/api/users/:id', (req, res) => {
  const id = Number.parseInt(req.params.id, 10);
  const row = Number.isSafeInteger(id) ? byId.get(id) : undefined;
  if (!row) {
    res.status(404).json({ error: { code: 'not_found', message: 'User not found' } });
    return;
  }
  res.json({ ...row, is_active: Boolean(row.is_active) });
});

const server = app.listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
