/** Headers on every response: security headers, request ids (with logging), caching and CORS. */
import { randomUUID } from 'node:crypto';
import cors from 'cors';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { clientAddress } from './client.js';

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Logs each request once, with an id the client may choose (if sane) echoed in X-Request-ID. */
export function requestLogging(logger) {
  return pinoHttp({
    logger,
    genReqId(req, res) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-ID', id);
      return id;
    },
    // req.log binds only the id, so every line of a request carries it without bulk.
    quietReqLogger: true,
    customLogLevel: (req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req) => ({ id: req.id, method: req.method, url: req.url, remoteAddress: clientAddress(req.raw) }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  });
}

/** helmet, tightened for a JSON API: no framing, no referrer, no content to load. */
export function securityHeaders() {
  return helmet({
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
  });
}

/** Answers that carry users or credentials must never sit in a cache. */
export function noStoreForApi(req, res, next) {
  if (req.path.startsWith('/api/')) res.set('Cache-Control', 'no-store');
  next();
}

/** CORS for the listed origins only, each answered by name, never `*`. */
export function corsFor(origins) {
  const allowed = new Set(origins);
  return cors({
    origin: (origin, callback) => callback(null, allowed.has(origin)),
    credentials: true,
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-ID'],
    exposedHeaders: ['Location', 'Retry-After', 'X-Request-ID'],
    maxAge: 600,
  });
}
