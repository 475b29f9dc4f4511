/** Notes: short texts, each belonging to the signed-in user who wrote it. */
import { Router } from 'express';
import { toObjectId } from '../../db/mongodb.js';
import { NotFoundError } from '../../errors.js';
import { jsonBody } from '../../http/body.js';
import { methodNotAllowed } from '../../http/methods.js';
import { validate } from '../../http/validate.js';
import { ID } from '../../schemas.js';
import { note, noteCreate, notePage } from './schemas.js';

export const name = 'notes';
export const path = '/api/notes';
export const components = { Note: note, NoteCreate: noteCreate, NotePage: notePage };
// A user's notes, in the order they were written.
export const indexes = [{ key: { owner_id: 1, _id: 1 }, name: 'ix_notes_owner' }];
export const validator = {
  $jsonSchema: {
    bsonType: 'object',
    required: ['owner_id', 'text', 'created_at'],
    properties: {
      owner_id: { bsonType: 'objectId' },
      text: { bsonType: 'string', minLength: 1, maxLength: 200 },
      created_at: { bsonType: 'date' },
    },
  },
};
export const ownerField = 'owner_id';

const toJson = (document) => ({
  id: document._id.toHexString(),
  owner_id: document.owner_id.toHexString(),
  text: document.text,
  created_at: document.created_at.toISOString(),
});

export function router({ db, requireAuth }) {
  // Looked up per request: an app may be built on a stand-in database it never queries.
  const notes = () => db.collection(name);
  const routes = Router();
  routes
    .route('/')
    .get(requireAuth, async (req, res) => {
      const found = await notes().findMany({ owner_id: toObjectId(req.user.id) }, { sort: { _id: 1 } });
      res.json({ items: found.map(toJson) });
    })
    .post(requireAuth, jsonBody, async (req, res) => {
      const { text } = validate(noteCreate, req.body);
      const document = { owner_id: toObjectId(req.user.id), text, created_at: new Date() };
      const { insertedId } = await notes().insertOne(document);
      const created = toJson({ ...document, _id: insertedId });
      res.status(201).location(`${req.baseUrl}/${created.id}`).json(created);
    })
    .all(methodNotAllowed('GET', 'HEAD', 'POST'));
  routes
    .route('/:id')
    .get(requireAuth, async (req, res) => {
      const id = ID.test(req.params.id) ? toObjectId(req.params.id) : null;
      const found = id && (await notes().findOne({ _id: id, owner_id: toObjectId(req.user.id) }));
      if (!found) throw new NotFoundError('Note not found');
      res.json(toJson(found));
    })
    .all(methodNotAllowed('GET', 'HEAD'));
  return routes;
}

export function openApiPaths({ operation, answer, idParameter }) {
  const one = answer('The note', 'Note');
  return {
    '/api/notes': {
      get: operation('listNotes', 'Your notes', { 200: answer('Your notes', 'NotePage') }, []),
      post: operation('createNote', 'Write a note', { 201: one }, [], { body: 'NoteCreate' }),
    },
    '/api/notes/{id}': {
      get: operation('getNote', 'Read one of your notes', { 200: one }, [NotFoundError], { parameters: [idParameter] }),
    },
  };
}
