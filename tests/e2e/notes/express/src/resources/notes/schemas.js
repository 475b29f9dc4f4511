/** What a note is on the wire: the body that creates one, and the answers. */
import { z } from 'zod';
import { ID } from '../../schemas.js';

export const noteCreate = z.strictObject({ text: z.string().min(1).max(200) });
export const note = z.object({
  id: z.string().regex(ID),
  owner_id: z.string().regex(ID),
  text: z.string(),
  created_at: z.iso.datetime(),
});
export const notePage = z.object({ items: z.array(note) });
