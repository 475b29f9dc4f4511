/** Password hashing with Argon2id. */
import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id, by value: the package declares Algorithm as a TypeScript const enum,
// so at run time `Algorithm` is an empty object and `Algorithm.Argon2id` is undefined.
const ARGON2ID = 2;

/** RFC 9106's second recommended profile (low memory): 64 MiB, 3 passes, 4 lanes. */
const STRONG = Object.freeze({ memoryCost: 65536, timeCost: 3, parallelism: 4 });

// The parameters of a PHC string: $argon2id$v=19$m=65536,t=3,p=4$salt$hash.
const PHC = /^\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/;

/**
 * A hasher with these Argon2id costs. Production always uses STRONG; only tests pass
 * cheaper ones, through createServices({ passwords }).
 */
export function createPasswordHasher({ memoryCost, timeCost, parallelism } = STRONG) {
  const options = { algorithm: ARGON2ID, memoryCost, timeCost, parallelism };
  return {
    hash: (password) => hash(password, options),
    async verify(stored, password) {
      try {
        return await verify(stored, password);
      } catch {
        // A malformed stored hash matches no password.
        return false;
      }
    },
    /** Whether `stored` was made with other costs (or another algorithm) than this hasher's. */
    needsRehash(stored) {
      const [, m, t, p] = PHC.exec(stored) ?? [];
      return Number(m) !== memoryCost || Number(t) !== timeCost || Number(p) !== parallelism;
    },
    /** Spend what a real check costs, so that unknown emails cannot be told apart by timing. */
    async wasteTime(password) {
      await hash(password, options);
    },
  };
}
