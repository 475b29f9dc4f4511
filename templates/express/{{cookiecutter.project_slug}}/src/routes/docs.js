/** The OpenAPI document and a page to browse it. */
import { createHash } from 'node:crypto';
import { Router } from 'express';
import helmet from 'helmet';
import { methodNotAllowed } from '../http/methods.js';

const SWAGGER_UI = 'https://cdn.jsdelivr.net/npm/swagger-ui-dist@5';
const INIT_SCRIPT = 'window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });';

// Swagger UI from a CDN keeps the project free of vendored assets.
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>API docs</title>
  <link rel="stylesheet" href="${SWAGGER_UI}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${SWAGGER_UI}/swagger-ui-bundle.js"></script>
  <script>${INIT_SCRIPT}</script>
</body>
</html>
`;

// The API's own policy loads nothing; this page may load Swagger UI (a source ending in
// "/" covers the folder) and run its one inline script, named by hash rather than
// allowing every inline script. Swagger UI sets inline styles, which are harmless.
const SWAGGER_SOURCE = `${SWAGGER_UI}/`;
const docsPolicy = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: [SWAGGER_SOURCE, `'sha256-${createHash('sha256').update(INIT_SCRIPT).digest('base64')}'`],
    styleSrc: [SWAGGER_SOURCE, "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', SWAGGER_SOURCE],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

export function docsRouter({ document }) {
  const router = Router();
  router
    .route('/openapi.json')
    .get((req, res) => res.json(document))
    .all(methodNotAllowed('GET', 'HEAD'));
  router
    .route('/docs')
    .get(docsPolicy, (req, res) => res.type('html').send(DOCS_PAGE))
    .all(methodNotAllowed('GET', 'HEAD'));
  return router;
}
