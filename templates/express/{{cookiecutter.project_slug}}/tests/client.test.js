import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { test } from 'node:test';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { testDatabase } from './helpers.js';

// supertest's requests come from the loopback address, the proxy of these tests.
const PEER = /^(::ffff:)?127\.0\.0\.1$/;
const TRUSTED = '127.0.0.1, ::1, 10.0.0.0/8, 2001:db8::/32';

/** An app whose access log lands in `lines`, one parsed object per request. */
async function loggedApp(t, env) {
  const { db, config } = await testDatabase(t, env);
  const lines = [];
  const logger = pino({ level: 'info' }, { write: (line) => lines.push(JSON.parse(line)) });
  return { app: createApp({ config, db, logger }), lines };
}

/** The client address that the access log shows for one GET /health with these headers. */
async function loggedClient(app, lines, headers = {}) {
  await request(app).get('/health').set(headers).expect(200);
  // pino-http logs when the response finishes, which may be just after the client has read it.
  await new Promise((resolve) => setImmediate(resolve));
  return lines.filter((line) => line.req).at(-1).req.remoteAddress;
}

test('when the peer is a trusted proxy, then X-Forwarded-For is walked from the right past trusted hops', async (t) => {
  const { app, lines } = await loggedApp(t, { TRUSTED_PROXIES: TRUSTED });

  for (const [forwarded, client] of [
    ['203.0.113.9', '203.0.113.9'],
    ['198.51.100.1, 203.0.113.9, 10.0.0.2', '203.0.113.9'],
    ['198.51.100.1, 2001:db8::7, 10.0.0.2', '198.51.100.1'],
    ['2001:db9::1, 10.0.0.2', '2001:db9::1'],
    // Every hop trusted: the leftmost is the client.
    ['10.0.0.5, 10.0.0.2', '10.0.0.5'],
    // An entry that is no address stops the walk at the last good one.
    ['203.0.113.9, garbage, 10.0.0.2', '10.0.0.2'],
    ['203.0.113.9, 012.0.0.1', PEER],
    ['203.0.113.9, 10.0.0.1:8080', PEER],
    ['', PEER],
  ]) {
    const logged = await loggedClient(app, lines, { 'X-Forwarded-For': forwarded });
    if (client instanceof RegExp) assert.match(logged, client, forwarded);
    else assert.equal(logged, client, forwarded);
  }
  assert.match(await loggedClient(app, lines), PEER);
});

test('when X-Forwarded-For comes in several headers, then they are read as one list', async (t) => {
  const { app, lines } = await loggedApp(t, { TRUSTED_PROXIES: TRUSTED });
  const server = app.listen(0, '127.0.0.1');
  t.after(() => server.close());
  await once(server, 'listening');

  // Raw bytes: an HTTP client library would merge the two headers itself.
  const socket = connect(server.address().port, '127.0.0.1');
  socket.end(
    'GET /health HTTP/1.1\r\nHost: test\r\nX-Forwarded-For: 198.51.100.1, 203.0.113.9\r\n' +
      'X-Forwarded-For: 10.0.0.2\r\nConnection: close\r\n\r\n',
  );
  socket.resume();
  await once(socket, 'close');
  await new Promise((resolve) => setImmediate(resolve));

  assert.equal(lines.filter((line) => line.req).at(-1).req.remoteAddress, '203.0.113.9');
});

test('when the peer is not trusted, then X-Forwarded-For is ignored', async (t) => {
  const { app, lines } = await loggedApp(t, { TRUSTED_PROXIES: '10.0.0.0/8' });

  assert.match(await loggedClient(app, lines, { 'X-Forwarded-For': '203.0.113.9' }), PEER);
});

test('when TRUSTED_PROXIES is not set, then no proxy is trusted', async (t) => {
  const { app, lines } = await loggedApp(t, {});

  assert.match(await loggedClient(app, lines, { 'X-Forwarded-For': '203.0.113.9, 10.0.0.2' }), PEER);
});
