/** Configuration from the environment and `.env`, validated once at start. */
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parse } from 'dotenv';
import { z } from 'zod';

export const MIN_SECRET_LENGTH = 32;
// Values copied from examples and docs that must never sign anything real.
const PLACEHOLDER_MARKERS = ['change-me', 'changeme', 'change_me', 'placeholder'];
{%- if cookiecutter.database == "postgres" %}
export const DEFAULT_DATABASE_URL = 'postgresql://postgres:postgres@localhost:5432/{{ cookiecutter.package_name }}';
const DATABASE_URL_PATTERN = /^postgres(ql)?:\/\//;
const DATABASE_URL_HINT = 'a postgresql:// URL';
{%- elif cookiecutter.database == "mongodb" %}
export const DEFAULT_DATABASE_URL = 'mongodb://localhost:27017/{{ cookiecutter.package_name }}';
// The database is the URL's path: mongodb://host:27017/name, or mongodb+srv://host/name.
const DATABASE_URL_PATTERN = /^mongodb(\+srv)?:\/\/[^/?#]+\/[^/?#.\s"$\\]+(\?.*)?$/;
const DATABASE_URL_HINT = 'a mongodb:// URL that names the database, such as mongodb://localhost:27017/app';
{%- else %}
export const DEFAULT_DATABASE_URL = 'sqlite:///./app.db';
const DATABASE_URL_PATTERN = /^sqlite:\/\/\/./;
const DATABASE_URL_HINT = 'a sqlite:/// URL, such as sqlite:///./app.db';
{%- endif %}

/** Raised when the environment does not make a usable configuration; the message says why. */
export class ConfigError extends Error {
  name = 'ConfigError';
}

const PREFIX_BITS = { 4: 32, 6: 128 };

/** An IPv4 or IPv6 address, or a network of them in CIDR notation (10.0.0.0/8, fd00::/8). */
function isAddressOrNetwork(entry) {
  const [address, prefix, ...rest] = entry.split('/');
  // A zone (fe80::1%eth0) names an interface of this machine, never a proxy's address.
  const family = address.includes('%') ? 0 : isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= PREFIX_BITS[family]);
}

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean),
);

const wholeNumber = (min, max) =>
  z
    .string()
    .regex(/^\d{1,15}$/, 'must be a whole number')
    .transform(Number)
    .refine((value) => value >= min && value <= max, `must be between ${min} and ${max}`);

const schema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: wholeNumber(1, 65535).default(3000),
  DATABASE_URL: z.string().regex(DATABASE_URL_PATTERN, `must be ${DATABASE_URL_HINT}`).default(DEFAULT_DATABASE_URL),
  SECRET_KEY: z.string().default(''),
{%- if cookiecutter.auth == "jwt" %}
  ACCESS_TOKEN_EXPIRES: wholeNumber(1, 10 ** 9).default(900),
{%- elif cookiecutter.auth == "session" %}
  SESSION_EXPIRES: wholeNumber(1, 10 ** 9).default(86400),
{%- endif %}
  CORS_ORIGINS: commaList.default([]),
  TRUSTED_PROXIES: commaList
    .refine((entries) => entries.every(isAddressOrNetwork), 'must be IP addresses or CIDR networks, separated by commas')
    .default([]),
{%- if cookiecutter.auth != "none" %}
  LOGIN_RATE_LIMIT: wholeNumber(1, 10 ** 6).default(5),
{%- endif %}
  LOG_LEVEL: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(['debug', 'info', 'warning', 'error']))
    .default('info'),
});

/**
 * The configuration, from `env` over the variables of `envFile` (real variables win).
 *
 * Throws ConfigError with a one-line message when a value is invalid, when SECRET_KEY is
 * missing, or when production is given a short or placeholder SECRET_KEY.
 */
export function loadConfig({ env = process.env, envFile = '.env' } = {}) {
  const fromFile = envFile && existsSync(envFile) ? parse(readFileSync(envFile)) : {};
  // An empty value means "not set", so that `CORS_ORIGINS=` in .env keeps the default.
  const merged = Object.fromEntries(
    Object.entries({ ...fromFile, ...env }).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const values = result.data;
  const isProduction = values.APP_ENV === 'production';
  checkSecret(values.SECRET_KEY, isProduction);
  return Object.freeze({
    appEnv: values.APP_ENV,
    isProduction,
    host: values.HOST,
    port: values.PORT,
    databaseUrl: values.DATABASE_URL,
    secretKey: values.SECRET_KEY,
{%- if cookiecutter.auth == "jwt" %}
    accessTokenExpires: values.ACCESS_TOKEN_EXPIRES,
{%- elif cookiecutter.auth == "session" %}
    sessionExpires: values.SESSION_EXPIRES,
{%- endif %}
    corsOrigins: values.CORS_ORIGINS,
    trustedProxies: values.TRUSTED_PROXIES,
{%- if cookiecutter.auth != "none" %}
    loginRateLimit: values.LOGIN_RATE_LIMIT,
{%- endif %}
    logLevel: values.LOG_LEVEL,
  });
}

function checkSecret(secret, isProduction) {
  if (!secret) {
    throw new ConfigError(
      "SECRET_KEY is not set: put one in .env (node -e \"console.log(require('node:crypto').randomBytes(48).toString('base64url'))\")",
    );
  }
  const placeholder = PLACEHOLDER_MARKERS.some((marker) => secret.toLowerCase().includes(marker));
  if (isProduction && (secret.length < MIN_SECRET_LENGTH || placeholder)) {
    throw new ConfigError(
      `SECRET_KEY must be a random value of at least ${MIN_SECRET_LENGTH} characters in production, not a placeholder`,
    );
  }
}
