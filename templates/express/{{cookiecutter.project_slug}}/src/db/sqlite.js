/** SQLite through libsql: better-sqlite3's synchronous API, with prebuilt binaries. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import { DatabaseUnavailableError, ForeignKeyViolationError, UniqueViolationError } from './errors.js';

const UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
// A locked or unreadable database file is an outage, not a bug: 503, not 500.
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|NOTADB|CORRUPT)/;

/** The file path of a `sqlite:///relative` or `sqlite:////absolute` URL. */
export function sqlitePath(url) {
  const rest = url.replace(/^sqlite:\/\//, '');
  return rest.startsWith('/') ? rest.slice(1) : rest;
}

function translate(error) {
  const code = typeof error?.code === 'string' ? error.code : '';
  if (UNIQUE_CODES.has(code)) {
    return new UniqueViolationError(error.message, { cause: error });
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new ForeignKeyViolationError(error.message, { cause: error });
  }
  if (UNAVAILABLE_CODES.test(code)) {
    return new DatabaseUnavailableError(undefined, { cause: error });
  }
  return error;
}

// libsql aborts the whole process on a boolean or object parameter, so values are
// converted here, once, rather than trusted to every caller.
function bindable(value) {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object') {
    throw new TypeError('SQLite parameters must be strings, numbers, bigints or null');
  }
  return value;
}

// libsql adds timing metadata to every row; nothing above this layer should see it.
function plain(row) {
  if (row === undefined) return undefined;
  const { _metadata, ...values } = row;
  return values;
}

export function openSqlite(url) {
  const path = sqlitePath(url);
  let connection;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    connection = new Database(path);
    // WAL lets readers work beside the one writer; the busy timeout makes a second
    // process wait for the write lock instead of failing at once; SQLite enforces
    // foreign keys (and so ON DELETE CASCADE) only when asked to.
    connection.exec(
      'PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;',
    );
  } catch (error) {
    throw new DatabaseUnavailableError(`cannot open the SQLite database at ${path}`, { cause: error });
  }

  const statements = new Map();
  function prepare(sql) {
    let statement = statements.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  }
  function attempt(work) {
    try {
      return work();
    } catch (error) {
      throw translate(error);
    }
  }

  const database = {
    dialect: 'sqlite',
    async query(sql, params = []) {
      return attempt(() => prepare(sql).all(...params.map(bindable))).map(plain);
    },
    async one(sql, params = []) {
      return plain(attempt(() => prepare(sql).get(...params.map(bindable))));
    },
    async run(sql, params = []) {
      const result = attempt(() => prepare(sql).run(...params.map(bindable)));
      return { changes: result.changes };
    },
    async exec(script) {
      attempt(() => connection.exec(script));
    },
    // One connection serves the whole process, so a transaction must not wait on
    // anything but its own queries; it is meant for migrations and tests.
    async transaction(work) {
      attempt(() => connection.exec('BEGIN IMMEDIATE'));
      try {
        const result = await work(database);
        attempt(() => connection.exec('COMMIT'));
        return result;
      } catch (error) {
        if (connection.inTransaction) connection.exec('ROLLBACK');
        throw error;
      }
    },
    // BEGIN IMMEDIATE already holds the only write lock.
    async lockForMigrations() {},
    async ping() {
      attempt(() => prepare('SELECT 1').get());
    },
    async close() {
      if (connection.open) connection.close();
    },
  };
  return database;
}
