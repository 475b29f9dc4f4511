/** The failed-login rate limit, counted in the database so that every process shares it. */
import { RateLimitedError } from '../errors.js';

const WINDOW_MS = 60_000;

export function createLoginLimit({ failures, limit, now = () => new Date() }) {
  return {
    /** Throw RateLimitedError once `client` has failed `limit` times in the last minute. */
    async ensureAllowed(client) {
      const at = now();
      const recent = await failures.since(client, new Date(at.getTime() - WINDOW_MS));
      if (recent.length < limit) return;
      // Allowed again once enough failures have left the window to drop below the limit.
      const unblockedAt = recent[recent.length - limit].getTime() + WINDOW_MS;
      throw new RateLimitedError(Math.max(1, Math.ceil((unblockedAt - at.getTime()) / 1000)));
    },

    async recordFailure(client) {
      const at = now();
      await failures.removeUntil(new Date(at.getTime() - WINDOW_MS));
      await failures.record(client, at);
    },
  };
}
