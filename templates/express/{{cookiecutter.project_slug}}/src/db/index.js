/**
 * The data-access layer's entry point: opens the project's database.
{%- if cookiecutter.database == "mongodb" %}
 *
 * The database offers `collection(name)`, whose operations (findOne, findMany,
 * countDocuments, insertOne, updateOne, findOneAndUpdate, deleteOne, deleteMany) throw this
 * layer's errors rather than the driver's, `withDatabase(work)` for schema work,
 * `whenAvailable(listener)`, `ping()` and `close()`. Repositories speak only to it.
 */
import { openMongo } from './mongodb.js';

export function openDatabase(url, options = {}) {
  return openMongo(url, options);
}
{%- else %}
 *
 * Every driver offers the same promise-based interface, with `?` placeholders in SQL:
 * `query(sql, params)` → rows, `one(sql, params)` → row or undefined,
 * `run(sql, params)` → { changes }, `exec(script)`, `transaction(fn)`,
 * `lockForMigrations()`, `ping()` and `close()`. Repositories speak only to it.
 */
{%- endif %}
{%- if cookiecutter.database == "postgres" %}
import { openPostgres } from './postgres.js';

export function openDatabase(url, { logger } = {}) {
  return openPostgres(url, { logger });
}
{%- elif cookiecutter.database == "sqlite" %}
import { openSqlite } from './sqlite.js';

export function openDatabase(url) {
  return openSqlite(url);
}
{%- endif %}
