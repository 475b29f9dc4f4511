{% if cookiecutter.database == "mongodb" -%}
/** Queries on the users collection; documents in, plain user objects out. */
import { toObjectId } from '../db/mongodb.js';
import { resources } from '../registry.js';

// Documents keep the SQL stacks' column names; ids leave as 24-character hex strings.
function toUser(document) {
  if (!document) return null;
  return {
    id: document._id.toHexString(),
    email: document.email,
    username: document.username,
    passwordHash: document.password_hash,
    isActive: document.is_active,
    createdAt: document.created_at,
    updatedAt: document.updated_at,
  };
}

// Every string that starts with `prefix`, as a range the unique index answers directly:
// usernames are printable ASCII (src/schemas.js), so all of them sort below prefix + DEL.
function startsWith(prefix) {
  return { $gte: prefix, $lt: `${prefix}\x7f` };
}

const WRITABLE = { email: 'email', username: 'username', passwordHash: 'password_hash' };

export function createUserRepository(db) {
  const users = db.collection('users');
{%- if cookiecutter.auth == "session" %}
  const sessions = db.collection('sessions');
{%- endif %}
  // An id that is not an ObjectId's hex names no user, so it is never sent to the server.
  const byId = (id) => {
    const _id = toObjectId(id);
    return _id && { _id };
  };

  return {
    async findById(id) {
      const filter = byId(id);
      return filter && toUser(await users.findOne(filter));
    },
    async findByEmail(email) {
      return toUser(await users.findOne({ email }));
    },
    async emailTaken(email) {
      return (await users.findOne({ email }, { projection: { _id: 1 } })) !== null;
    },
    async usernameTaken(username) {
      return (await users.findOne({ username }, { projection: { _id: 1 } })) !== null;
    },
    async usernamesStartingWith(prefix) {
      const found = await users.findMany({ username: startsWith(prefix) }, { projection: { _id: 0, username: 1 } });
      return found.map((document) => document.username);
    },
    async count() {
      return users.countDocuments({});
    },
    async page({ limit, offset }) {
      const found = await users.findMany({}, { sort: { created_at: 1, _id: 1 }, skip: offset, limit });
      return found.map(toUser);
    },
    async insert({ email, username, passwordHash }, now) {
      const document = {
        email,
        username,
        password_hash: passwordHash,
        is_active: true,
        created_at: now,
        updated_at: now,
      };
      const { insertedId } = await users.insertOne(document);
      return toUser({ ...document, _id: insertedId });
    },
    /** Change the given fields; `now` (when given) becomes updated_at. */
    async update(id, changes, now) {
      const filter = byId(id);
      if (!filter) return null;
      const set = {};
      for (const [key, field] of Object.entries(WRITABLE)) {
        if (changes[key] !== undefined) set[field] = changes[key];
      }
      if (now) set.updated_at = now;
      if (Object.keys(set).length === 0) return this.findById(id);
      return toUser(await users.findOneAndUpdate(filter, { $set: set }, { returnDocument: 'after' }));
    },
    async remove(id) {
      const filter = byId(id);
      if (!filter) return;
      await users.deleteOne(filter);
{%- if cookiecutter.auth == "session" %}
      // What ON DELETE CASCADE does on SQL: the user's sessions end with it.
      await sessions.deleteMany({ user_id: filter._id });
{%- endif %}
      // And the documents of every resource the user owns.
      for (const { name, ownerField } of resources) {
        if (ownerField) await db.collection(name).deleteMany({ [ownerField]: filter._id });
      }
    },
  };
}
{% else -%}
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
{% endif -%}
