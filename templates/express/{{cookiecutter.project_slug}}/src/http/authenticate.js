/** Who is calling: the middleware that lets only signed-in requests through. */
{%- if cookiecutter.auth == "jwt" %}
import { UnauthorizedError } from '../errors.js';

/** Answers 401 unless the request carries `Authorization: Bearer <valid token>`. */
export function requireToken(tokens) {
  return async function requireAuth(req, res, next) {
    const [scheme, token, ...rest] = (req.get('Authorization') ?? '').split(' ');
    if (scheme.toLowerCase() !== 'bearer' || !token || rest.length > 0) throw new UnauthorizedError();
    const { user, claims } = await tokens.authenticate(token);
    req.user = user;
    req.tokenClaims = claims;
    next();
  };
}
{%- else %}

export const SESSION_COOKIE = 'session_id';

/** Answers 401 unless the request carries the cookie of a live session. */
export function requireSession(sessions) {
  return async function requireAuth(req, res, next) {
    const { user, session } = await sessions.authenticate(req.cookies?.[SESSION_COOKIE]);
    req.user = user;
    req.session = session;
    next();
  };
}

/** The session cookie's attributes: script-proof, same-site, HTTPS-only in production. */
export function sessionCookie({ isProduction, sessionExpires }) {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: isProduction, maxAge: sessionExpires * 1000 };
}

export function clearSessionCookie(res, config) {
  const { maxAge, ...attributes } = sessionCookie(config);
  res.clearCookie(SESSION_COOKIE, attributes);
}
{%- endif %}
