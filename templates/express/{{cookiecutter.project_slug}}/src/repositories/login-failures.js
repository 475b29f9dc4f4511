{% if cookiecutter.database == "mongodb" -%}
/** Queries on the login_failures collection, which the login rate limit counts. */

export function createLoginFailureRepository(db) {
  const failures = db.collection('login_failures');
  return {
    /** When `client` failed after `since`, oldest first. */
    async since(client, since) {
      const found = await failures.findMany(
        { client, failed_at: { $gt: since } },
        { sort: { failed_at: 1 }, projection: { _id: 0, failed_at: 1 } },
      );
      return found.map((document) => document.failed_at);
    },
    async record(client, at) {
      await failures.insertOne({ client, failed_at: at });
    },
    // The TTL index on failed_at (src/db/collections.js) removes them a minute after.
    async removeUntil() {},
  };
}
{% else -%}
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
{% endif -%}
