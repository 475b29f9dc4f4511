import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, DEFAULT_DATABASE_URL, loadConfig } from '../src/config.js';

const STRONG = 'a-strong-random-secret-of-more-than-32-chars';

test('when nothing is set but a secret, then the contract defaults apply', () => {
  const config = loadConfig({ env: { SECRET_KEY: 'dev' }, envFile: null });

  assert.equal(config.appEnv, 'development');
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 3000);
  assert.equal(config.databaseUrl, DEFAULT_DATABASE_URL);
  assert.deepEqual(config.corsOrigins, []);
  assert.deepEqual(config.trustedProxies, []);
{%- if cookiecutter.auth == "jwt" %}
  assert.equal(config.accessTokenExpires, 900);
{%- elif cookiecutter.auth == "session" %}
  assert.equal(config.sessionExpires, 86400);
{%- endif %}
{%- if cookiecutter.auth != "none" %}
  assert.equal(config.loginRateLimit, 5);
{%- endif %}
  assert.equal(config.logLevel, 'info');
});

test('when production gets a short, placeholder or missing secret, then it refuses to start', () => {
  for (const secret of ['too-short', 'change-me-change-me-change-me-change-me', '']) {
    assert.throws(
      () => loadConfig({ env: { APP_ENV: 'production', SECRET_KEY: secret }, envFile: null }),
      ConfigError,
      secret,
    );
  }
  assert.equal(loadConfig({ env: { APP_ENV: 'production', SECRET_KEY: STRONG }, envFile: null }).isProduction, true);
});

test('when a value is malformed, then ConfigError names it in one line', () => {
  assert.throws(
    () => loadConfig({ env: { SECRET_KEY: STRONG, PORT: 'eighty' }, envFile: null }),
    (error) => error instanceof ConfigError && /PORT/.test(error.message) && !error.message.includes('\n'),
  );
  assert.throws(() => loadConfig({ env: { SECRET_KEY: STRONG, LOG_LEVEL: 'loud' }, envFile: null }), ConfigError);
  assert.throws(() => loadConfig({ env: { SECRET_KEY: STRONG, DATABASE_URL: 'mysql://x' }, envFile: null }), ConfigError);
{%- if cookiecutter.database == "mongodb" %}
  for (const url of ['mongodb://localhost:27017', 'mongodb://localhost:27017/', 'mongodb://localhost/a.b']) {
    assert.throws(() => loadConfig({ env: { SECRET_KEY: STRONG, DATABASE_URL: url }, envFile: null }), ConfigError, url);
  }
{%- endif %}
});

test('when TRUSTED_PROXIES lists addresses and CIDR networks, then it holds each one', () => {
  const config = loadConfig({
    env: { SECRET_KEY: STRONG, TRUSTED_PROXIES: ' 10.0.0.1, 10.0.0.0/8,::1 , fd00::/8,192.168.1.0/24 ' },
    envFile: null,
  });

  assert.deepEqual(config.trustedProxies, ['10.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', '192.168.1.0/24']);
});

test('when TRUSTED_PROXIES has an entry that is not an address or a network, then it refuses to start', () => {
  for (const entry of ['proxy.local', '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/8', '012.0.0.1', '10.1', 'fe80::1%eth0', '*']) {
    assert.throws(
      () => loadConfig({ env: { SECRET_KEY: STRONG, TRUSTED_PROXIES: `10.0.0.1, ${entry}` }, envFile: null }),
      (error) => error instanceof ConfigError && /TRUSTED_PROXIES/.test(error.message),
      entry,
    );
  }
});

test('when .env and the environment both set a variable, then the environment wins', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'config-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const envFile = join(dir, '.env');
  await writeFile(envFile, `SECRET_KEY=${STRONG}\nPORT=4000\nLOG_LEVEL=DEBUG\nCORS_ORIGINS=\n`);

  const config = loadConfig({ env: { PORT: '5000', CORS_ORIGINS: 'https://a.example, https://b.example' }, envFile });

  assert.equal(config.secretKey, STRONG);
  assert.equal(config.port, 5000);
  assert.equal(config.logLevel, 'debug');
  assert.deepEqual(config.corsOrigins, ['https://a.example', 'https://b.example']);
});
{%- if cookiecutter.database == "mongodb" %}

test('when DATABASE_URL names a MongoDB database, then it is taken as given', () => {
  for (const url of [
    'mongodb://localhost:27017/shop',
    'mongodb://user:p%40ss@db1:27017,db2:27017/shop?replicaSet=rs0&authSource=admin',
    'mongodb+srv://cluster0.example.net/shop?retryWrites=true',
  ]) {
    assert.equal(loadConfig({ env: { SECRET_KEY: STRONG, DATABASE_URL: url }, envFile: null }).databaseUrl, url);
  }
});
{%- endif %}
