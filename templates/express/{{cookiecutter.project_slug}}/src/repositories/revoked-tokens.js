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
