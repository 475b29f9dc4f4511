import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openApiDocument } from '../src/openapi.js';
import { setup } from './helpers.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every (METHOD path) the app's routers serve, with `:id` spelt `{id}` as OpenAPI does. */
function servedRoutes(app) {
  const routes = new Set();
  const walk = (stack, prefix) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = `${prefix}${layer.route.path}`.replace(/\/$/, '').replace(/:(\w+)/g, '{$1}');
        for (const method of Object.keys(layer.route.methods).filter((name) => METHODS.includes(name))) {
          routes.add(`${method.toUpperCase()} ${path}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, `${prefix}${layer.rawPath ?? ''}`.replace(/\/$/, ''));
      }
    }
  };
  walk(app.router.stack, '');
  return routes;
}

function documentedRoutes(document) {
  return new Set(
    Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
}

test('when the routes are compared with openapi.json, then each one is documented and nothing more', async (t) => {
  const { app, api } = await setup(t);

  const served = await api.get('/openapi.json').expect(200);

  assert.match(served.body.openapi, /^3\./);
  assert.deepEqual([...servedRoutes(app)].sort(), [...documentedRoutes(openApiDocument)].sort());
  assert.deepEqual(served.body, JSON.parse(JSON.stringify(openApiDocument)));
});

test('when every $ref of the document is followed, then it names something that exists', () => {
  const text = JSON.stringify(openApiDocument);
  for (const [, kind, name] of text.matchAll(/"#\/components\/(\w+)\/(\w+)"/g)) {
    assert.ok(openApiDocument.components[kind]?.[name], `${kind}/${name}`);
  }
});

test('when /docs is opened, then an HTML page loads the document', async (t) => {
  const { api } = await setup(t);

  const response = await api.get('/docs').expect(200);

  assert.match(response.headers['content-type'], /^text\/html/);
  assert.match(response.text, /<html/);
  assert.match(response.text, /\/openapi\.json/);
  assert.match(response.headers['content-security-policy'], /script-src/);
});
