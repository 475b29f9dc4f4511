/**
 * MongoDB's schema: the collections' indexes and the users validator, made at every start.
 *
 * Everything here is idempotent, so each process (and `npm run migrate`) may run it: an
 * index that exists with the same name and keys is left alone. The rules themselves live in
 * the application (src/schemas.js); the unique indexes are what makes them hold when two
 * requests race{% if cookiecutter.auth != "none" %}, and the TTL indexes let the server drop expired documents on its own{% endif %}.
 */
import { resources } from '../registry.js';
{%- if cookiecutter.auth != "none" %}

// Documents a TTL index watches are removed once the clock passes their date plus this
// many seconds (the server checks about once a minute); readers still check dates themselves.
const AT_EXPIRY = 0;
// Failed logins count for one minute (src/services/login-limit.js).
const LOGIN_FAILURE_SECONDS = 60;
{%- endif %}

// The server's answer when a collection exists already.
const NAMESPACE_EXISTS = 48;

// A second line of defence behind src/schemas.js: documents the application would never write.
const USERS_VALIDATOR = {
  $jsonSchema: {
    bsonType: 'object',
    required: ['email', 'username', 'password_hash', 'is_active', 'created_at', 'updated_at'],
    properties: {
      // Stored lower-case, so that the unique index ignores case.
      email: { bsonType: 'string', maxLength: 254, pattern: '^[^A-Z]*$' },
      username: { bsonType: 'string', pattern: '^[A-Za-z0-9_.-]{3,80}$' },
      password_hash: { bsonType: 'string', minLength: 1 },
      is_active: { bsonType: 'bool' },
      created_at: { bsonType: 'date' },
      updated_at: { bsonType: 'date' },
    },
  },
};

export const INDEXES = {
  users: [
    { key: { email: 1 }, name: 'uq_users_email', unique: true },
    { key: { username: 1 }, name: 'uq_users_username', unique: true },
    { key: { created_at: 1, _id: 1 }, name: 'ix_users_created_at' },
  ],
{%- if cookiecutter.auth == "session" %}
  sessions: [
    { key: { user_id: 1 }, name: 'ix_sessions_user_id' },
    { key: { expires_at: 1 }, name: 'ttl_sessions_expires_at', expireAfterSeconds: AT_EXPIRY },
  ],
{%- elif cookiecutter.auth == "jwt" %}
  revoked_tokens: [{ key: { expires_at: 1 }, name: 'ttl_revoked_tokens_expires_at', expireAfterSeconds: AT_EXPIRY }],
{%- endif %}
{%- if cookiecutter.auth != "none" %}
  login_failures: [
    { key: { client: 1, failed_at: 1 }, name: 'ix_login_failures_client_at' },
    { key: { failed_at: 1 }, name: 'ttl_login_failures_failed_at', expireAfterSeconds: LOGIN_FAILURE_SECONDS },
  ],
{%- endif %}
};

/** Create `name` with `validator`, or put the validator on the collection that exists. */
async function applyValidator(database, name, validator) {
  const existing = await database.listCollections({ name }, { nameOnly: true }).toArray();
  if (existing.length === 0) {
    try {
      await database.createCollection(name, { validator });
      return;
    } catch (error) {
      // Another process made it first; fall through and set the validator on it.
      if (error?.code !== NAMESPACE_EXISTS) throw error;
    }
  }
  // Documents already stored are not re-checked; only new writes are.
  await database.command({ collMod: name, validator });
}

/** Make sure the validator and every index exist; safe to run any number of times. */
export async function ensureCollections(db, { logger } = {}) {
  await db.withDatabase(async (database) => {
    await applyValidator(database, 'users', USERS_VALIDATOR);
    for (const [name, indexes] of Object.entries(INDEXES)) {
      await database.collection(name).createIndexes(indexes);
    }
    for (const resource of resources) {
      if (resource.validator) await applyValidator(database, resource.name, resource.validator);
      if (resource.indexes?.length) await database.collection(resource.name).createIndexes(resource.indexes);
    }
  });
  logger?.debug({ database: db.name }, 'the indexes and validators are in place');
}
