-- The initial tables. Applied once by `npm run migrate` (and on start in development);
-- to change the schema, add 0002_<what>.sql rather than editing this file.
{%- if cookiecutter.database == "postgres" %}

CREATE TABLE users (
  id BIGINT GENERATED ALWAYS AS IDENTITY,
  email VARCHAR(254) NOT NULL,
  username VARCHAR(80) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  CONSTRAINT pk_users PRIMARY KEY (id),
  CONSTRAINT uq_users_email UNIQUE (email),
  CONSTRAINT uq_users_username UNIQUE (username)
);
{%- if cookiecutter.auth == "session" %}

-- A signed-in browser; the id is a keyed hash of the cookie, never the cookie.
CREATE TABLE sessions (
  id VARCHAR(64) NOT NULL,
  user_id BIGINT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  CONSTRAINT pk_sessions PRIMARY KEY (id),
  CONSTRAINT fk_sessions_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_sessions_user_id ON sessions (user_id);
CREATE INDEX ix_sessions_expires_at ON sessions (expires_at);
{%- elif cookiecutter.auth == "jwt" %}

-- A logged-out JWT, kept until it would have expired anyway.
CREATE TABLE revoked_tokens (
  jti VARCHAR(64) NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  CONSTRAINT pk_revoked_tokens PRIMARY KEY (jti)
);
CREATE INDEX ix_revoked_tokens_expires_at ON revoked_tokens (expires_at);
{%- endif %}
{%- if cookiecutter.auth != "none" %}

-- One failed login, kept for the rate limit that every process shares.
CREATE TABLE login_failures (
  id BIGINT GENERATED ALWAYS AS IDENTITY,
  client VARCHAR(64) NOT NULL,
  failed_at TIMESTAMPTZ NOT NULL,
  CONSTRAINT pk_login_failures PRIMARY KEY (id)
);
CREATE INDEX ix_login_failures_client_at ON login_failures (client, failed_at);
{%- endif %}
{%- else %}
-- Timestamps are ISO 8601 text in UTC (2026-01-01T00:00:00.000Z), which sorts in time order.

-- AUTOINCREMENT: an id is never handed out twice, not even after its user is deleted.
CREATE TABLE users (
  id INTEGER NOT NULL CONSTRAINT pk_users PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL CONSTRAINT uq_users_email UNIQUE,
  username TEXT NOT NULL CONSTRAINT uq_users_username UNIQUE,
  password_hash TEXT NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
{%- if cookiecutter.auth == "session" %}

-- A signed-in browser; the id is a keyed hash of the cookie, never the cookie.
CREATE TABLE sessions (
  id TEXT NOT NULL CONSTRAINT pk_sessions PRIMARY KEY,
  user_id INTEGER NOT NULL CONSTRAINT fk_sessions_user_id_users REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX ix_sessions_user_id ON sessions (user_id);
CREATE INDEX ix_sessions_expires_at ON sessions (expires_at);
{%- elif cookiecutter.auth == "jwt" %}

-- A logged-out JWT, kept until it would have expired anyway.
CREATE TABLE revoked_tokens (
  jti TEXT NOT NULL CONSTRAINT pk_revoked_tokens PRIMARY KEY,
  expires_at TEXT NOT NULL
);
CREATE INDEX ix_revoked_tokens_expires_at ON revoked_tokens (expires_at);
{%- endif %}
{%- if cookiecutter.auth != "none" %}

-- One failed login, kept for the rate limit that every process shares.
CREATE TABLE login_failures (
  id INTEGER NOT NULL CONSTRAINT pk_login_failures PRIMARY KEY AUTOINCREMENT,
  client TEXT NOT NULL,
  failed_at TEXT NOT NULL
);
CREATE INDEX ix_login_failures_client_at ON login_failures (client, failed_at);
{%- endif %}
{%- endif %}
