/** Checking a user's email and password. */
import { InvalidCredentialsError } from '../errors.js';

export function createAuthService({ users, passwords }) {
  return {
    /** The active user with these credentials; the same error for any mismatch. */
    async authenticate(email, password) {
      const user = await users.findByEmail(email.toLowerCase());
      if (!user) {
        await passwords.wasteTime(password);
        throw new InvalidCredentialsError();
      }
      if (!(await passwords.verify(user.passwordHash, password)) || !user.isActive) {
        throw new InvalidCredentialsError();
      }
      if (passwords.needsRehash(user.passwordHash)) {
        // Hashes made with older parameters are upgraded while the password is known;
        // no updated_at change, since nothing the user sees has changed.
        await users.update(user.id, { passwordHash: await passwords.hash(password) });
      }
      return user;
    },
  };
}
