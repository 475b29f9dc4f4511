/** Registering, signing in and out, and asking who is signed in. */
import { Router } from 'express';
import { InvalidCredentialsError, ValidationError } from '../errors.js';
{%- if cookiecutter.auth == "session" %}
import { clearSessionCookie, SESSION_COOKIE, sessionCookie } from '../http/authenticate.js';
{%- endif %}
import { jsonBody, jsonType } from '../http/body.js';
import { clientAddress } from '../http/client.js';
import { methodNotAllowed } from '../http/methods.js';
import { validate } from '../http/validate.js';
import { loginRequest, userCreate, userOut } from '../schemas.js';

{%- if cookiecutter.auth == "jwt" %}

export function authRouter({ users, auth, loginLimit, tokens, requireAuth }) {
  const router = Router();

  function signedIn(res, user, status) {
    res.status(status).json({
      user: userOut(user),
      access_token: tokens.issue(user),
      token_type: 'bearer',
      expires_in: tokens.expiresIn,
    });
  }
{%- else %}

export function authRouter({ users, auth, loginLimit, sessions, requireAuth, config }) {
  const router = Router();

  async function signedIn(res, user, status) {
    // Always a new id, whatever cookie came in: a planted session id is never adopted.
    res.cookie(SESSION_COOKIE, await sessions.start(user), sessionCookie(config));
    res.status(status).json({ user: userOut(user) });
  }
{%- endif %}

  // The peer, or what a proxy in TRUSTED_PROXIES forwarded: never what a client merely says.
  const clientOf = (req) => clientAddress(req) ?? 'unknown';

  async function limitFailedLogins(req, res, next) {
    await loginLimit.ensureAllowed(clientOf(req));
    next();
  }

  router
    .route('/register')
    .post(jsonBody, async (req, res) => {
      const user = await users.create(validate(userCreate, req.body));
      await signedIn(res, user, 201);
    })
    .all(methodNotAllowed('POST'));

  router
    .route('/login')
    .post(limitFailedLogins, jsonBody, async (req, res) => {
      let user;
      try {
        const { email, password } = validate(loginRequest, req.body);
        user = await auth.authenticate(email, password);
      } catch (error) {
        // A wrong password and a malformed attempt both count toward the limit.
        if (error instanceof InvalidCredentialsError || error instanceof ValidationError) {
          await loginLimit.recordFailure(clientOf(req));
        }
        throw error;
      }
      await signedIn(res, user, 200);
    })
    .all(methodNotAllowed('POST'));

  router
    .route('/me')
    .get(requireAuth, (req, res) => {
      res.json(userOut(req.user));
    })
    .all(methodNotAllowed('GET', 'HEAD'));

  router
    .route('/logout')
    // No body, but JSON all the same: a cross-site form cannot sign anyone out.
    .post(requireAuth, jsonType, async (req, res) => {
{%- if cookiecutter.auth == "jwt" %}
      await tokens.revoke(req.tokenClaims);
{%- else %}
      await sessions.end(req.session);
      clearSessionCookie(res, config);
{%- endif %}
      res.status(204).end();
    })
    .all(methodNotAllowed('POST'));

  return router;
}
