/** Builds every service from the configuration and the database: the composition root. */
{%- if cookiecutter.auth != "none" %}
import { createLoginFailureRepository } from '../repositories/login-failures.js';
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}
import { createRevokedTokenRepository } from '../repositories/revoked-tokens.js';
{%- elif cookiecutter.auth == "session" %}
import { createSessionRepository } from '../repositories/sessions.js';
{%- endif %}
import { createUserRepository } from '../repositories/users.js';
{%- if cookiecutter.auth != "none" %}
import { createAuthService } from './auth.js';
import { createLoginLimit } from './login-limit.js';
{%- endif %}
import { createPasswordHasher } from './passwords.js';
{%- if cookiecutter.auth == "jwt" %}
import { createTokenService } from './tokens.js';
{%- elif cookiecutter.auth == "session" %}
import { createSessionService } from './sessions.js';
{%- endif %}
import { createUserService } from './users.js';

/** `passwords` is the strong Argon2id hasher unless a caller (a test) passes a cheaper one. */
export function createServices({ {% if cookiecutter.auth != "none" %}config, {% endif %}db, passwords = createPasswordHasher() }) {
  const userRepository = createUserRepository(db);
  return {
    users: createUserService({ users: userRepository, passwords }),
{%- if cookiecutter.auth != "none" %}
    auth: createAuthService({ users: userRepository, passwords }),
    loginLimit: createLoginLimit({ failures: createLoginFailureRepository(db), limit: config.loginRateLimit }),
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}
    tokens: createTokenService({
      users: userRepository,
      revokedTokens: createRevokedTokenRepository(db),
      secret: config.secretKey,
      expiresIn: config.accessTokenExpires,
    }),
{%- elif cookiecutter.auth == "session" %}
    sessions: createSessionService({
      users: userRepository,
      sessions: createSessionRepository(db),
      secret: config.secretKey,
      lifetime: config.sessionExpires,
    }),
{%- endif %}
  };
}
