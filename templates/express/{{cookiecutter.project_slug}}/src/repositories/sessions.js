{% if cookiecutter.database == "mongodb" -%}
/** Queries on the sessions collection; a TTL index on expires_at removes expired ones. */
import { toObjectId } from '../db/mongodb.js';

function toSession(document) {
  if (!document) return null;
  return { id: document._id, userId: document.user_id.toHexString(), expiresAt: document.expires_at };
}

export function createSessionRepository(db) {
  const sessions = db.collection('sessions');
  return {
    async insert({ id, userId, createdAt, expiresAt }) {
      await sessions.insertOne({ _id: id, user_id: toObjectId(userId), created_at: createdAt, expires_at: expiresAt });
    },
    async find(id) {
      return toSession(await sessions.findOne({ _id: id }));
    },
    async remove(id) {
      await sessions.deleteOne({ _id: id });
    },
    // The TTL index (src/db/collections.js) does this on the server; the service still
    // refuses a session past its date in the minute before the server gets to it.
    async removeExpired() {},
  };
}
{% else -%}
/** Queries on the sessions table. */

function toSession(row) {
  if (!row) return null;
  return { id: row.id, userId: Number(row.user_id), expiresAt: new Date(row.expires_at) };
}

export function createSessionRepository(db) {
  return {
    async insert({ id, userId, createdAt, expiresAt }) {
      await db.run('INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [
        id,
        userId,
        createdAt.toISOString(),
        expiresAt.toISOString(),
      ]);
    },
    async find(id) {
      return toSession(await db.one('SELECT id, user_id, expires_at FROM sessions WHERE id = ?', [id]));
    },
    async remove(id) {
      await db.run('DELETE FROM sessions WHERE id = ?', [id]);
    },
    async removeExpired(now) {
      await db.run('DELETE FROM sessions WHERE expires_at <= ?', [now.toISOString()]);
    },
  };
}
{% endif -%}
