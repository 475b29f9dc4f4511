{% if cookiecutter.database == "mongodb" -%}
/** Queries on the revoked_tokens collection: the JWT ids that logged out, until they expire. */
import { UniqueViolationError } from '../db/errors.js';

export function createRevokedTokenRepository(db) {
  const revoked = db.collection('revoked_tokens');
  return {
    async revoke(jti, expiresAt) {
      try {
        await revoked.updateOne({ _id: jti }, { $setOnInsert: { expires_at: expiresAt } }, { upsert: true });
      } catch (error) {
        // Two logouts of the same token raced; it is revoked either way.
        if (!(error instanceof UniqueViolationError)) throw error;
      }
    },
    async isRevoked(jti) {
      return (await revoked.findOne({ _id: jti }, { projection: { _id: 1 } })) !== null;
    },
    // The TTL index on expires_at (src/db/collections.js) removes them on the server.
    async removeExpired() {},
  };
}
{% else -%}
/** Queries on the revoked_tokens table: the JWT ids that logged out. */

export function createRevokedTokenRepository(db) {
  return {
    async revoke(jti, expiresAt) {
      await db.run('INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING', [
        jti,
        expiresAt.toISOString(),
      ]);
    },
    async isRevoked(jti) {
      return (await db.one('SELECT 1 AS revoked FROM revoked_tokens WHERE jti = ?', [jti])) !== undefined;
    },
    async removeExpired(now) {
      await db.run('DELETE FROM revoked_tokens WHERE expires_at <= ?', [now.toISOString()]);
    },
  };
}
{% endif -%}
