/** Server-side sessions, stored in the database under a keyed hash of the cookie. */
import { createHmac, randomBytes } from 'node:crypto';
import { UnauthorizedError } from '../errors.js';

const MAX_COOKIE_LENGTH = 128;

export function createSessionService({ users, sessions, secret, lifetime, now = () => new Date() }) {
  // A leaked sessions table cannot be replayed, and rotating SECRET_KEY ends every session.
  const digest = (token) => createHmac('sha256', secret).update(token).digest('hex');

  return {
    lifetime,

    /** Open a session for `user` and return the opaque id for the cookie. */
    async start(user) {
      const token = randomBytes(32).toString('base64url');
      const at = now();
      await sessions.removeExpired(at);
      await sessions.insert({
        id: digest(token),
        userId: user.id,
        createdAt: at,
        expiresAt: new Date(at.getTime() + lifetime * 1000),
      });
      return token;
    },

    /** The user behind a live session cookie, with the session itself. */
    async authenticate(token) {
      if (typeof token !== 'string' || !token || token.length > MAX_COOKIE_LENGTH) {
        throw new UnauthorizedError();
      }
      const session = await sessions.find(digest(token));
      if (!session || session.expiresAt <= now()) throw new UnauthorizedError('Session expired or signed out');
      const user = await users.findById(session.userId);
      if (!user || !user.isActive) throw new UnauthorizedError();
      return { user, session };
    },

    async end(session) {
      await sessions.remove(session.id);
    },
  };
}
