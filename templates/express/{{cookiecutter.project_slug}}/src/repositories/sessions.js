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
