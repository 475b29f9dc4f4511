/** Queries on the users table; rows in, plain user objects out. */

const COLUMNS = 'id, email, username, password_hash, is_active, created_at, updated_at';

// Both databases' rows become one shape: numeric ids (pg returns BIGINT as a string),
// real booleans (SQLite stores 0/1) and Date timestamps (SQLite stores ISO text).
function toUser(row) {
  if (!row) return null;
  return {
    id: Number(row.id),
    email: row.email,
    username: row.username,
    passwordHash: row.password_hash,
    isActive: Boolean(row.is_active),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

// A LIKE pattern that matches `prefix` literally.
function startsWith(prefix) {
  return `${prefix.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

const WRITABLE = { email: 'email', username: 'username', passwordHash: 'password_hash' };

export function createUserRepository(db) {
  return {
    async findById(id) {
      return toUser(await db.one(`SELECT ${COLUMNS} FROM users WHERE id = ?`, [id]));
    },
    async findByEmail(email) {
      return toUser(await db.one(`SELECT ${COLUMNS} FROM users WHERE email = ?`, [email]));
    },
    async emailTaken(email) {
      return (await db.one('SELECT 1 AS taken FROM users WHERE email = ?', [email])) !== undefined;
    },
    async usernameTaken(username) {
      return (await db.one('SELECT 1 AS taken FROM users WHERE username = ?', [username])) !== undefined;
    },
    async usernamesStartingWith(prefix) {
      const rows = await db.query("SELECT username FROM users WHERE username LIKE ? ESCAPE '\\'", [
        startsWith(prefix),
      ]);
      return rows.map((row) => row.username);
    },
    async count() {
      return Number((await db.one('SELECT COUNT(*) AS total FROM users')).total);
    },
    async page({ limit, offset }) {
      const rows = await db.query(`SELECT ${COLUMNS} FROM users ORDER BY created_at, id LIMIT ? OFFSET ?`, [
        limit,
        offset,
      ]);
      return rows.map(toUser);
    },
    async insert({ email, username, passwordHash }, now) {
      const row = await db.one(
        `INSERT INTO users (email, username, password_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
        [email, username, passwordHash, now.toISOString(), now.toISOString()],
      );
      return toUser(row);
    },
    /** Change the given fields; `now` (when given) becomes updated_at. */
    async update(id, changes, now) {
      const sets = [];
      const params = [];
      for (const [key, column] of Object.entries(WRITABLE)) {
        if (changes[key] !== undefined) {
          sets.push(`${column} = ?`);
          params.push(changes[key]);
        }
      }
      if (now) {
        sets.push('updated_at = ?');
        params.push(now.toISOString());
      }
      if (sets.length === 0) return this.findById(id);
      const row = await db.one(`UPDATE users SET ${sets.join(', ')} WHERE id = ? RETURNING ${COLUMNS}`, [
        ...params,
        id,
      ]);
      return toUser(row);
    },
    async remove(id) {
      await db.run('DELETE FROM users WHERE id = ?', [id]);
    },
  };
}
