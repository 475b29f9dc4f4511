/** Creating, finding, changing and deleting users: the rules, free of HTTP. */
import { UniqueViolationError } from '../db/errors.js';
import { ConflictError, NotFoundError } from '../errors.js';

const USERNAME_MIN = 3;
const USERNAME_MAX = 80;

export function createUserService({ users, passwords, now = () => new Date() }) {
  async function ensureEmailFree(email) {
    if (await users.emailTaken(email)) throw new ConflictError('Email is already registered');
  }

  async function ensureUsernameFree(username) {
    if (await users.usernameTaken(username)) throw new ConflictError('Username is already taken');
  }

  // Two requests can race past the checks above; the unique indexes decide.
  async function write(operation) {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof UniqueViolationError) {
        throw new ConflictError('Email or username is already taken');
      }
      throw error;
    }
  }

  /** The email's local part, cleaned, padded to 3 and made unique with a number. */
  async function deriveUsername(email) {
    const local = email.slice(0, email.indexOf('@'));
    // Keep room for a numeric suffix within the 80-character limit.
    const base = local
      .replace(/[^A-Za-z0-9_.-]/g, '')
      .slice(0, USERNAME_MAX - 8)
      .padEnd(USERNAME_MIN, '_');
    const taken = new Set(await users.usernamesStartingWith(base));
    if (!taken.has(base)) return base;
    let suffix = 2;
    while (taken.has(`${base}${suffix}`)) suffix += 1;
    return `${base}${suffix}`;
  }

  return {
    deriveUsername,

    /** One page of users, oldest first, and how many there are in all. */
    async list({ limit, offset }) {
      const [items, total] = await Promise.all([users.page({ limit, offset }), users.count()]);
      return { items, total };
    },

    async get(id) {
      const user = id === null ? null : await users.findById(id);
      if (!user) throw new NotFoundError('User not found');
      return user;
    },

    async findByEmail(email) {
      return users.findByEmail(email.toLowerCase());
    },

    async create({ email, password, username }) {
      const address = email.toLowerCase();
      await ensureEmailFree(address);
      const name = username ?? (await deriveUsername(address));
      if (username !== undefined) await ensureUsernameFree(username);
      const passwordHash = await passwords.hash(password);
      return write(() => users.insert({ email: address, username: name, passwordHash }, now()));
    },

    /** Change what is given of email, username and password; the rest stays. */
    async update(user, { email, username, password }) {
      const changes = {};
      if (email !== undefined && email.toLowerCase() !== user.email) {
        await ensureEmailFree(email.toLowerCase());
        changes.email = email.toLowerCase();
      }
      if (username !== undefined && username !== user.username) {
        await ensureUsernameFree(username);
        changes.username = username;
      }
      if (password !== undefined) changes.passwordHash = await passwords.hash(password);
      // Nothing new: no write, and updated_at stays as it was.
      if (Object.keys(changes).length === 0) return user;
      return write(() => users.update(user.id, changes, now()));
    },

    async remove(user) {
{%- if cookiecutter.database == "mongodb" %}
      // The repository cascades the delete to everything the user owns (sessions included).
{%- else %}
      // The database cascades the delete to everything the user owns (sessions included).
{%- endif %}
      await users.remove(user.id);
    },
  };
}
