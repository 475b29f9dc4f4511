/** The users resource: list, read, {% if cookiecutter.auth == "none" %}create, {% endif %}change and delete. */
import { Router } from 'express';
{%- if cookiecutter.database != "mongodb" %}
import { {% if cookiecutter.auth != "none" %}ForbiddenError, {% endif %}NotFoundError } from '../errors.js';
{%- elif cookiecutter.auth != "none" %}
import { ForbiddenError } from '../errors.js';
{%- endif %}
{%- if cookiecutter.auth == "session" %}
import { clearSessionCookie } from '../http/authenticate.js';
{%- endif %}
import { jsonBody } from '../http/body.js';
import { methodNotAllowed } from '../http/methods.js';
import { validate } from '../http/validate.js';
import { pageQuery, parseId, {% if cookiecutter.auth == "none" %}userCreate, {% endif %}userOut, userUpdate } from '../schemas.js';

{%- if cookiecutter.auth == "none" %}

export function usersRouter({ users }) {
{%- elif cookiecutter.auth == "jwt" %}

export function usersRouter({ users, requireAuth }) {
{%- else %}

export function usersRouter({ users, requireAuth, config }) {
{%- endif %}
  const router = Router();
{%- if cookiecutter.database == "mongodb" %}

  // An id is an ObjectId's 24 hex digits; anything else names no user. The service answers
  // 404 for it after the auth check, so a signed-out caller gets 401 whatever the id.
  router.param('id', (req, res, next, value) => {
    req.userId = parseId(value);
    next();
  });
{%- else %}

  // An id is a positive integer; anything else names no user: 404, before anything else.
  router.param('id', (req, res, next, value) => {
    req.userId = parseId(value);
    next(req.userId === null ? new NotFoundError('User not found') : undefined);
  });
{%- endif %}

{%- if cookiecutter.auth == "none" %}

  /** The user with this id; without auth, anyone may change anyone. */
  const targetUser = (req) => users.get(req.userId);
{%- else %}

  /** The user with this id, if it is the caller (404 first, then 403): others may only be read. */
  async function targetUser(req) {
    const user = await users.get(req.userId);
    if (user.id !== req.user.id) throw new ForbiddenError('You may only change your own account');
    return user;
  }
{%- endif %}

  async function update(req, res) {
    const user = await targetUser(req);
    const changes = validate(userUpdate, req.body);
    res.json(userOut(await users.update(user, changes)));
  }
{%- set guard = "requireAuth, " if cookiecutter.auth != "none" else "" %}

  router
    .route('/')
    .get({{ guard }}async (req, res) => {
      const { limit, offset } = validate(pageQuery, req.query);
      const { items, total } = await users.list({ limit, offset });
      res.json({ items: items.map(userOut), total, limit, offset });
    })
{%- if cookiecutter.auth == "none" %}
    .post(jsonBody, async (req, res) => {
      const user = await users.create(validate(userCreate, req.body));
      res.status(201).location(`${req.baseUrl}/${user.id}`).json(userOut(user));
    })
    .all(methodNotAllowed('GET', 'HEAD', 'POST'));
{%- else %}
    // Accounts are made by registering (POST /api/auth/register), so POST is 405 here.
    .all(methodNotAllowed('GET', 'HEAD'));
{%- endif %}

  router
    .route('/:id')
    .get({{ guard }}async (req, res) => {
      res.json(userOut(await users.get(req.userId)));
    })
    // PUT has the same partial meaning as PATCH, as the contract asks.
    .patch({{ guard }}jsonBody, update)
    .put({{ guard }}jsonBody, update)
    .delete({{ guard }}async (req, res) => {
      await users.remove(await targetUser(req));
{%- if cookiecutter.auth == "session" %}
      clearSessionCookie(res, config);
{%- endif %}
      res.status(204).end();
    })
    .all(methodNotAllowed('GET', 'HEAD', 'PATCH', 'PUT', 'DELETE'));

  return router;
}
