/** Queries on the login_failures table, which the login rate limit counts. */

export function createLoginFailureRepository(db) {
  return {
    /** When `client` failed after `since`, oldest first. */
    async since(client, since) {
      const rows = await db.query(
        'SELECT failed_at FROM login_failures WHERE client = ? AND failed_at > ? ORDER BY failed_at',
        [client, since.toISOString()],
      );
      return rows.map((row) => new Date(row.failed_at));
    },
    async record(client, at) {
      await db.run('INSERT INTO login_failures (client, failed_at) VALUES (?, ?)', [client, at.toISOString()]);
    },
    async removeUntil(cutoff) {
      await db.run('DELETE FROM login_failures WHERE failed_at <= ?', [cutoff.toISOString()]);
    },
  };
}
