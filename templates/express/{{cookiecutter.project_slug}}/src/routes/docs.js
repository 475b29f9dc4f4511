/** The OpenAPI document and a page to browse it. */
import { readFileSync } from 'node:fs';
import { Router } from 'express';
import { methodNotAllowed } from '../http/methods.js';

// The page loads a pinned Swagger UI by its integrity hashes and starts it from init.js, so
// its policy needs no inline script. The three files are the same in every template.
const docsFile = (name) => readFileSync(new URL(`../docs/${name}`, import.meta.url), 'utf8');

export function docsRouter({ document }) {
  const page = docsFile('docs.html');
  const init = docsFile('init.js');
  const policy = docsFile('csp.txt').trim();
  // Replaces helmet's policy of the API, which loads nothing at all.
  const withPolicy = (res) => res.set('Content-Security-Policy', policy);

  const router = Router();
  router
    .route('/openapi.json')
    .get((req, res) => res.json(document))
    .all(methodNotAllowed('GET', 'HEAD'));
  router
    .route('/docs')
    .get((req, res) => withPolicy(res).type('html').send(page))
    .all(methodNotAllowed('GET', 'HEAD'));
  router
    .route('/docs/init.js')
    .get((req, res) => withPolicy(res).set('Content-Type', 'text/javascript; charset=utf-8').send(init))
    .all(methodNotAllowed('GET', 'HEAD'));
  return router;
}
