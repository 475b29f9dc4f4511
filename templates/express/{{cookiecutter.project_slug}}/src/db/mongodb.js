/** MongoDB through the official driver: one client whose sized pool fails fast when the server is away. */
import {
  MongoClient,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  ObjectId,
} from 'mongodb';
import { DatabaseUnavailableError, UniqueViolationError } from './errors.js';

const POOL_SIZE = 10;
// An unreachable server must answer 503 within seconds, never hang a request.
const SELECTION_TIMEOUT_MS = 3000;
const CONNECT_TIMEOUT_MS = 3000;
const SOCKET_TIMEOUT_MS = 15_000;
// A client that has lost every server is replaced after this long, doubling up to the maximum.
const RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 5000;
const DUPLICATE_KEY = 11000;
// Server answers that mean "not now" rather than "wrong": shutting down, stepping down,
// unreachable hosts and network timeouts on the server's side.
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 10107, 11600, 11602, 13435, 13436]);
const OBJECT_ID = /^[0-9a-f]{24}$/;

function isUnavailable(error) {
  return (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoNotConnectedError ||
    (error instanceof MongoServerError && UNAVAILABLE_CODES.has(error.code))
  );
}

function translate(error) {
  if (error instanceof DatabaseUnavailableError || error instanceof UniqueViolationError) return error;
  if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) {
    return new UniqueViolationError(error.message, { cause: error });
  }
  if (isUnavailable(error)) return new DatabaseUnavailableError(undefined, { cause: error });
  return error;
}

async function attempt(work) {
  try {
    return await work();
  } catch (error) {
    throw translate(error);
  }
}

/** The ObjectId that `id` spells (24 lower-case hex digits), or null when it names nothing. */
export function toObjectId(id) {
  return typeof id === 'string' && OBJECT_ID.test(id) ? ObjectId.createFromHexString(id) : null;
}

// The operations repositories use, each with its errors translated; `findMany` runs a
// whole query (filter, sort, skip, limit) and answers its documents. `current` gives the
// driver's collection at call time, since the client may have been replaced since.
function guarded(current) {
  const call =
    (method) =>
    (...args) =>
      attempt(() => current()[method](...args));
  return {
    findOne: call('findOne'),
    findMany: (filter, options) => attempt(() => current().find(filter, options).toArray()),
    countDocuments: call('countDocuments'),
    insertOne: call('insertOne'),
    updateOne: call('updateOne'),
    findOneAndUpdate: call('findOneAndUpdate'),
    deleteOne: call('deleteOne'),
    deleteMany: call('deleteMany'),
  };
}

/**
 * The database that `url` names (mongodb://host:27017/name). The client connects at once
 * and in the background; requests wait for it at most the server selection timeout.
 */
export function openMongo(url, { logger, selectionTimeoutMs = SELECTION_TIMEOUT_MS } = {}) {
  const options = {
    maxPoolSize: POOL_SIZE,
    serverSelectionTimeoutMS: selectionTimeoutMs,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    socketTimeoutMS: SOCKET_TIMEOUT_MS,
  };
  const onAvailable = new Set();
  let client;
  let database;
  let closed = false;
  let restartDelay = RESTART_DELAY_MS;

  // The driver reconnects to the servers it knows on its own. Two cases it never leaves:
  // a client whose first connection failed stays closed, and a replica set that has
  // dropped every member (one that answers as something else, as a server on its way
  // down may) has none left to ask. Then a new client starts over from the URL's hosts.
  function restart(stale, reason) {
    if (closed || stale !== client) return;
    logger?.warn({ reason, retryInMs: restartDelay }, 'database client lost; starting a new one');
    setTimeout(() => {
      if (closed || stale !== client) return;
      stale.close().catch(() => {});
      connect();
    }, restartDelay).unref();
    restartDelay = Math.min(restartDelay * 2, MAX_RESTART_DELAY_MS);
  }

  function connect() {
    const next = new MongoClient(url, options);
    // The driver watches each server; its verdicts are worth a log line, and a server that
    // answers again (or for the first time) is announced to whoever asked.
    next.on('serverDescriptionChanged', ({ address, previousDescription, newDescription }) => {
      const was = previousDescription.type !== 'Unknown';
      const is = newDescription.type !== 'Unknown';
      if (was && !is) logger?.warn({ address, reason: newDescription.error?.message }, 'database unreachable');
      if (!was && is) {
        restartDelay = RESTART_DELAY_MS;
        logger?.info({ address }, 'database reachable');
        for (const listener of onAvailable) listener();
      }
    });
    next.on('topologyDescriptionChanged', ({ newDescription }) => {
      if (newDescription.servers.size === 0) restart(next, 'no server left in the topology');
    });
    client = next;
    database = next.db();
    next.connect().catch((error) => restart(next, error.message));
  }
  connect();

  return {
    dialect: 'mongodb',
    name: database.databaseName,
    collection: (name) => guarded(() => database.collection(name)),
    /** Run `work` on the driver's own Db (indexes, validators), with errors translated. */
    withDatabase: (work) => attempt(() => work(database)),
    /** Call `listener` each time a server answers after being unreachable (or for the first time). */
    whenAvailable: (listener) => onAvailable.add(listener),
    ping: () => attempt(() => database.command({ ping: 1 })),
    close() {
      closed = true;
      return client.close();
    },
  };
}
