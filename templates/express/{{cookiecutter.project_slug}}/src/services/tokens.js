/** JWT access tokens: issuing, checking and revoking them server-side. */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { UnauthorizedError } from '../errors.js';
import { parseId } from '../schemas.js';

// Pinned: a token signed with anything else, "none" included, is refused.
const ALGORITHM = 'HS256';

// jsonwebtoken checks `exp` only when present; the contract requires every claim.
function hasRequiredClaims(claims) {
  return (
    typeof claims === 'object' &&
    typeof claims.sub === 'string' &&
    typeof claims.jti === 'string' &&
    claims.jti.length > 0 &&
    Number.isInteger(claims.iat) &&
    Number.isInteger(claims.exp)
  );
}

export function createTokenService({ users, revokedTokens, secret, expiresIn, now = () => new Date() }) {
  return {
    expiresIn,

    issue(user) {
      return jwt.sign({ sub: String(user.id), jti: randomUUID() }, secret, { algorithm: ALGORITHM, expiresIn });
    },

    /** The user a valid, unrevoked token names, with the token's claims. */
    async authenticate(token) {
      let claims;
      try {
        claims = jwt.verify(token, secret, { algorithms: [ALGORITHM] });
      } catch {
        throw new UnauthorizedError('Invalid or expired token');
      }
      if (!hasRequiredClaims(claims)) throw new UnauthorizedError('Invalid or expired token');
      if (await revokedTokens.isRevoked(claims.jti)) throw new UnauthorizedError('Token has been revoked');
      const id = parseId(claims.sub);
      const user = id === null ? null : await users.findById(id);
      if (!user || !user.isActive) throw new UnauthorizedError('Invalid or expired token');
      return { user, claims };
    },

    /** Refuse this token from now until it would have expired anyway. */
    async revoke(claims) {
      await revokedTokens.removeExpired(now());
      await revokedTokens.revoke(claims.jti, new Date(claims.exp * 1000));
    },
  };
}
