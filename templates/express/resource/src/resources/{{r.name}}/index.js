{%- set S = r.Singular -%}
{%- set v = S[0] | lower ~ S[1:] -%}
{%- set signed_in = cookiecutter.auth != "none" -%}
{%- set reads_signed_in = r.access in ("owner", "private", "signed-in") -%}
{%- set writes_signed_in = r.access != "public" -%}
{%- set private = r.access == "private" -%}
{%- set checks_owner = r.access in ("owner", "public-read") -%}
{%- set read_guard = "requireAuth, " if reads_signed_in else "" -%}
{%- set write_guard = "requireAuth, " if writes_signed_in else "" -%}
{%- set one = r.singular | replace("_", " ") -%}
{%- set many = r.name | replace("_", " ") -%}
/**
 * {{ r.name | replace("_", " ") | capitalize }}: {{ {"owner": "any signed-in user reads; each row is changed only by its owner.", "private": "each signed-in user sees and changes only their own rows.", "public-read": "anyone reads; signed-in users write, each row changed only by its owner.", "signed-in": "any signed-in user reads and writes.", "public": "anyone reads and writes."}[r.access] }}
 *
 * The routes translate HTTP to the service and back. scaffold generated this folder; it is
 * yours to change. src/registry.js lists it.
 */
import { Router } from 'express';
import { ConflictError, {% if checks_owner %}ForbiddenError, {% endif %}NotFoundError, ValidationError } from '../../errors.js';
import { jsonBody } from '../../http/body.js';
import { methodNotAllowed } from '../../http/methods.js';
import { parseId } from '../../schemas.js';
import { listParameters, parseQuery, queryPairs } from '../listing.js';
import { toCreate, toUpdate, {{ v }}, {{ v }}Create, {{ v }}Page, {{ v }}Update } from './schemas.js';
import { create{{ S }}Service, FILTERABLE, SORTABLE } from './service.js';

export const name = {{ r.name | js }};
export const path = {{ r.path | js }};
export const components = { {{ S }}: {{ v }}, {{ S }}Create: {{ v }}Create, {{ S }}Update: {{ v }}Update, {{ S }}Page: {{ v }}Page };

export function router({ db{% if writes_signed_in %}, requireAuth{% endif %} }) {
  const service = create{{ S }}Service(db);
  const routes = Router();

  // An id is a positive integer; anything else names no row: 404, before anything else.
  routes.param('id', (req, res, next, value) => {
    req.rowId = parseId(value);
    next(req.rowId === null ? new NotFoundError({{ (r.singular | replace("_", " ") | capitalize ~ " not found") | js }}) : undefined);
  });

  async function update(req, res) {
    const row = await service.get(req.rowId{% if private %}, req.user.id{% endif %});
    const values = toUpdate(req.body);
    res.json(await service.update(row, values{% if checks_owner %}, req.user.id{% endif %}));
  }

  routes
    .route('/')
    .get({{ read_guard }}async (req, res) => {
      const query = parseQuery(queryPairs(req), FILTERABLE, SORTABLE);
      const { items, total } = await service.page(query{% if private %}, req.user.id{% endif %});
      res.json({ items, total, limit: query.limit, offset: query.offset });
    })
    .post({{ write_guard }}jsonBody, async (req, res) => {
      const row = await service.create(toCreate(req.body){% if r.owned %}, req.user.id{% endif %});
      res.status(201).location(`${req.baseUrl}/${row.id}`).json(row);
    })
    .all(methodNotAllowed('GET', 'HEAD', 'POST'));
  routes
    .route('/:id')
    .get({{ read_guard }}async (req, res) => {
      res.json(await service.get(req.rowId{% if private %}, req.user.id{% endif %}));
    })
    // PUT has the same partial meaning as PATCH, as for users.
    .patch({{ write_guard }}jsonBody, update)
    .put({{ write_guard }}jsonBody, update)
    .delete({{ write_guard }}async (req, res) => {
      const row = await service.get(req.rowId{% if private %}, req.user.id{% endif %});
      await service.remove(row{% if checks_owner %}, req.user.id{% endif %});
      res.status(204).end();
    })
    .all(methodNotAllowed('GET', 'HEAD', 'PATCH', 'PUT', 'DELETE'));
  return routes;
}
{%- set rsigned = ", signedIn: false" if signed_in and not reads_signed_in else "" %}
{%- set wsigned = ", signedIn: false" if signed_in and not writes_signed_in else "" %}

export function openApiPaths({ operation, answer, idParameter }) {
  const one = answer('The {{ one }}.', '{{ S }}');
  const changing = [{% if checks_owner %}ForbiddenError, {% endif %}NotFoundError, ConflictError];
  const byId = { parameters: [idParameter]{{ wsigned }} };
  return {
    [path]: {
      get: operation('list{{ r.name | title | replace("_", "") }}', 'List {{ many }}', { 200: answer('One page of {{ many }}.', '{{ S }}Page') }, [ValidationError], {
        parameters: listParameters(FILTERABLE, SORTABLE){{ rsigned }},
      }),
      post: operation('create{{ S }}', 'Create a {{ one }}', { 201: one }, [ConflictError], { body: '{{ S }}Create'{{ wsigned }} }),
    },
    [`${path}/{id}`]: {
      get: operation('get{{ S }}', 'Read a {{ one }}', { 200: one }, [NotFoundError], { parameters: [idParameter]{{ rsigned }} }),
      patch: operation('update{{ S }}', 'Change a {{ one }}', { 200: one }, changing, { body: '{{ S }}Update', ...byId }),
      put: operation('replace{{ S }}', 'Change a {{ one }} (as PATCH)', { 200: one }, changing, { body: '{{ S }}Update', ...byId }),
      delete: operation('delete{{ S }}', 'Delete a {{ one }}', { 204: answer('Deleted.') }, changing, byId),
    },
  };
}
