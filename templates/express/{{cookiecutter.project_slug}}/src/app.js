/** The application factory: a configured Express app, with no side effects on import. */
{%- if cookiecutter.auth == "session" %}
import cookieParser from 'cookie-parser';
{%- endif %}
import express from 'express';
{%- if cookiecutter.auth == "jwt" %}
import { requireToken } from './http/authenticate.js';
{%- elif cookiecutter.auth == "session" %}
import { requireSession } from './http/authenticate.js';
{%- endif %}
import { trustProxies } from './http/client.js';
import { errorHandler, notFound } from './http/errors.js';
import { corsFor, noStoreForApi, requestLogging, securityHeaders } from './http/headers.js';
import { openApiDocument } from './openapi.js';
import { resources } from './registry.js';
{%- if cookiecutter.auth != "none" %}
import { authRouter } from './routes/auth.js';
{%- endif %}
import { docsRouter } from './routes/docs.js';
import { healthRouter } from './routes/health.js';
import { usersRouter } from './routes/users.js';
import { createServices } from './services/index.js';

/**
 * Build the app. `db` is an open database (src/db); `services` default to the real ones
 * built on it, and tests may pass their own. The caller listens (src/server.js) or hands
 * the app to supertest.
 */
export function createApp({ config, db, logger, services = createServices({ config, db }) }) {
  const app = express();
  app.disable('x-powered-by');
  // req.ip (and the login limit and the access log, through clientAddress) follow it.
  app.set('trust proxy', trustProxies(config.trustedProxies));

  // First, so that every answer, errors included, carries the request id and these headers.
  app.use(requestLogging(logger));
  app.use(securityHeaders());
  app.use(noStoreForApi);
  if (config.corsOrigins.length > 0) app.use(corsFor(config.corsOrigins));
{%- if cookiecutter.auth == "session" %}
  app.use(cookieParser());
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}

  const requireAuth = requireToken(services.tokens);
{%- elif cookiecutter.auth == "session" %}

  const requireAuth = requireSession(services.sessions);
{%- endif %}

  app.use(healthRouter({ db }));
  app.use(docsRouter({ document: openApiDocument }));
{%- if cookiecutter.auth == "none" %}
  app.use('/api/users', usersRouter({ users: services.users }));
{%- elif cookiecutter.auth == "jwt" %}
  app.use('/api/users', usersRouter({ users: services.users, requireAuth }));
  app.use('/api/auth', authRouter({ ...services, requireAuth }));
{%- else %}
  app.use('/api/users', usersRouter({ users: services.users, requireAuth, config }));
  app.use('/api/auth', authRouter({ ...services, requireAuth, config }));
{%- endif %}
  for (const resource of resources) {
    app.use(resource.path, resource.router({ db, config{% if cookiecutter.auth != "none" %}, requireAuth{% endif %} }));
  }

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
