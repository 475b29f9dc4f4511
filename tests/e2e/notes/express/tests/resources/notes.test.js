import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectError, register, setup } from '../helpers.js';

test('when signed out, then notes are 401', async (t) => {
  const { api } = await setup(t);

  expectError(await api.get('/api/notes'), 401, 'unauthorized');
  expectError(await api.post('/api/notes').send({ text: 'hi' }), 401, 'unauthorized');
});

test('when a note is written, then its owner reads and lists it', async (t) => {
  const { api } = await setup(t);
  const ada = await register(api);

  const created = await api.post('/api/notes').set(ada.headers).send({ text: 'buy milk' });

  assert.equal(created.status, 201, JSON.stringify(created.body));
  const note = created.body;
  assert.equal(note.text, 'buy milk');
  assert.equal(note.owner_id, ada.user.id);
  assert.match(note.created_at, /Z$/);
  assert.equal(created.headers.location, `/api/notes/${note.id}`);
  assert.deepEqual((await api.get(created.headers.location).set(ada.headers).expect(200)).body, note);
  assert.deepEqual((await api.get('/api/notes').set(ada.headers).expect(200)).body, { items: [note] });
});

test('when another user asks, then the note is 404 and not listed', async (t) => {
  const { api } = await setup(t);
  const ada = await register(api);
  const bob = await register(api);
  const { body: note } = await api.post('/api/notes').set(ada.headers).send({ text: 'mine' }).expect(201);

  expectError(await api.get(`/api/notes/${note.id}`).set(bob.headers), 404, 'not_found');
  assert.deepEqual((await api.get('/api/notes').set(bob.headers).expect(200)).body, { items: [] });
});

test('when the text breaks the rules, then 422 names it', async (t) => {
  const { api } = await setup(t);
  const ada = await register(api);

  for (const body of [{ text: '' }, { text: 'x'.repeat(201) }, { text: 5 }, {}]) {
    const error = expectError(await api.post('/api/notes').set(ada.headers).send(body), 422, 'validation_error', JSON.stringify(body));
    assert.ok('text' in error.fields, JSON.stringify(error.fields));
  }
  expectError(await api.post('/api/notes').set(ada.headers).send({ text: 'ok', owner_id: 'x' }), 422, 'validation_error');
});

test('when the user is deleted, then their notes go too', async (t) => {
  const { api, db } = await setup(t);
  const ada = await register(api);
  const bob = await register(api);
  await api.post('/api/notes').set(ada.headers).send({ text: 'one' }).expect(201);
  await api.post('/api/notes').set(bob.headers).send({ text: 'two' }).expect(201);
  const stored = () => db.collection('notes').countDocuments({});
  assert.equal(await stored(), 2);

  await api.delete(`/api/users/${ada.user.id}`).set(ada.headers).expect(204);

  assert.equal(await stored(), 1);
  assert.equal((await api.get('/api/notes').set(bob.headers).expect(200)).body.items.length, 1);
});

test('the OpenAPI document publishes the notes operations', async (t) => {
  const { api } = await setup(t);

  const { body: document } = await api.get('/openapi.json').expect(200);

  const operations = ['/api/notes', '/api/notes/{id}'].flatMap((path) => Object.values(document.paths[path]).map((op) => op.operationId));
  assert.deepEqual(operations.sort(), ['createNote', 'getNote', 'listNotes']);
  for (const name of ['Note', 'NoteCreate', 'NotePage']) assert.ok(name in document.components.schemas, name);
});
