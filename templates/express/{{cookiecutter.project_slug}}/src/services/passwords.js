/** Password hashing with Argon2id. */
import argon2 from 'argon2';

// The argon2 package's defaults: Argon2id, 64 MiB, 3 passes, 4 lanes.
const STRONG = { type: argon2.argon2id, memoryCost: 65536, timeCost: 3, parallelism: 4 };
// Tests hash hundreds of passwords; Argon2's smallest parameters keep them fast. Never for real.
const CHEAP = { type: argon2.argon2id, memoryCost: 8, timeCost: 1, parallelism: 1 };

export function createPasswordHasher({ cheap = false } = {}) {
  const options = cheap ? CHEAP : STRONG;
  return {
    hash: (password) => argon2.hash(password, options),
    async verify(hash, password) {
      try {
        return await argon2.verify(hash, password);
      } catch {
        // A malformed stored hash matches no password.
        return false;
      }
    },
    needsRehash: (hash) => argon2.needsRehash(hash, options),
    /** Spend what a real check costs, so that unknown emails cannot be told apart by timing. */
    async wasteTime(password) {
      await argon2.hash(password, options);
    },
  };
}
