/** PostgreSQL through a sized `pg` pool that fails fast when the server is away. */
import pg from 'pg';
import { DatabaseUnavailableError, ForeignKeyViolationError, UniqueViolationError } from './errors.js';

const POOL_SIZE = 10;
// An unreachable server must answer 503 within seconds, never hang a request.
const CONNECT_TIMEOUT_MS = 3000;
const IDLE_TIMEOUT_MS = 30_000;
const QUERY_TIMEOUT_MS = 15_000;
// SQLSTATE classes of a lost or refused connection: connection exception, insufficient
// resources, operator intervention (e.g. the server shutting down), system error.
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58']);
// Any fixed number works; it names the lock every process takes while migrating.
const MIGRATION_LOCK = 727_001;

function isUnavailable(error) {
  const code = error?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return UNAVAILABLE_CLASSES.has(code.slice(0, 2));
  }
  // Without a SQLSTATE the socket itself failed (refused, reset, timed out).
  return !(error instanceof TypeError || error instanceof RangeError);
}

function translate(error) {
  if (error instanceof DatabaseUnavailableError || error instanceof UniqueViolationError) return error;
  if (error instanceof ForeignKeyViolationError) return error;
  if (error?.code === '23505') return new UniqueViolationError(error.message, { cause: error });
  if (error?.code === '23503') return new ForeignKeyViolationError(error.message, { cause: error });
  if (isUnavailable(error)) return new DatabaseUnavailableError(undefined, { cause: error });
  return error;
}

// Repositories write `?` placeholders, which pg spells $1, $2, ...
const converted = new Map();
function numbered(sql) {
  let text = converted.get(sql);
  if (text === undefined) {
    let index = 0;
    text = sql.replace(/\?/g, () => `$${++index}`);
    converted.set(sql, text);
  }
  return text;
}

function executor(client) {
  const send = async (sql, params) => {
    try {
      return await client.query(numbered(sql), params);
    } catch (error) {
      throw translate(error);
    }
  };
  return {
    dialect: 'postgres',
    async query(sql, params = []) {
      return (await send(sql, params)).rows;
    },
    async one(sql, params = []) {
      return (await send(sql, params)).rows[0];
    },
    async run(sql, params = []) {
      return { changes: (await send(sql, params)).rowCount ?? 0 };
    },
    async exec(script) {
      try {
        // Without parameters pg uses the simple protocol, which runs several statements.
        await client.query(script);
      } catch (error) {
        throw translate(error);
      }
    },
    async lockForMigrations() {
      await send(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`, []);
    },
  };
}

export function openPostgres(url, { logger } = {}) {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  // An idle connection that the server drops emits here; unheard, it would crash the process.
  pool.on('error', (error) => {
    logger?.warn({ code: error.code, reason: error.message }, 'idle database connection lost');
  });

  async function withClient(work) {
    let client;
    try {
      client = await pool.connect();
    } catch (error) {
      throw new DatabaseUnavailableError(undefined, { cause: error });
    }
    let broken;
    try {
      return await work(executor(client));
    } catch (error) {
      // A connection that failed is destroyed, not handed to the next request.
      if (error instanceof DatabaseUnavailableError) broken = error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  return {
    dialect: 'postgres',
    query: (sql, params) => withClient((db) => db.query(sql, params)),
    one: (sql, params) => withClient((db) => db.one(sql, params)),
    run: (sql, params) => withClient((db) => db.run(sql, params)),
    exec: (script) => withClient((db) => db.exec(script)),
    transaction(work) {
      return withClient(async (db) => {
        await db.exec('BEGIN');
        try {
          const result = await work(db);
          await db.exec('COMMIT');
          return result;
        } catch (error) {
          await db.exec('ROLLBACK').catch(() => {});
          throw error;
        }
      });
    },
    async lockForMigrations() {
      throw new Error('lockForMigrations() belongs inside transaction()');
    },
    ping: () => withClient((db) => db.one('SELECT 1')),
    close: () => pool.end(),
  };
}
