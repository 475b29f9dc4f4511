/** The one pino logger of the process; request loggers are its children. */
import pino from 'pino';

// The contract's level names, in pino's words.
const LEVELS = { debug: 'debug', info: 'info', warning: 'warn', error: 'error' };

export function createLogger({ logLevel = 'info', enabled = true } = {}) {
  return pino({
    level: LEVELS[logLevel] ?? 'info',
    enabled,
    timestamp: pino.stdTimeFunctions.isoTime,
    // Credentials never reach the log, even when a request is logged in full.
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
  });
}
