/**
 * The data-access layer's entry point: opens the project's database.
 *
 * Every driver offers the same promise-based interface, with `?` placeholders in SQL:
 * `query(sql, params)` → rows, `one(sql, params)` → row or undefined,
 * `run(sql, params)` → { changes }, `exec(script)`, `transaction(fn)`,
 * `lockForMigrations()`, `ping()` and `close()`. Repositories speak only to it.
 */
{%- if cookiecutter.database == "postgres" %}
import { openPostgres } from './postgres.js';

export function openDatabase(url, { logger } = {}) {
  return openPostgres(url, { logger });
}
{%- else %}
import { openSqlite } from './sqlite.js';

export function openDatabase(url) {
  return openSqlite(url);
}
{%- endif %}
