/** Input validation: a zod schema's verdict as the contract's 422 envelope. */
import { ValidationError } from '../errors.js';

/** The parsed data, or ValidationError naming each offending field. */
export function validate(schema, data) {
  const result = schema.safeParse(data);
  if (!result.success) throw new ValidationError(undefined, { fields: fieldErrors(result.error) });
  return result.data;
}

/** One readable message per field, as the error envelope shows it. */
export function fieldErrors(error) {
  // A Map, since a field may be called "__proto__"; fromEntries then makes own properties.
  const fields = new Map();
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const name = [...issue.path, key].join('.');
        if (!fields.has(name)) fields.set(name, 'this field may not be set');
      }
      continue;
    }
    const name = issue.path.join('.') || 'body';
    if (!fields.has(name)) fields.set(name, issue.message);
  }
  return Object.fromEntries(fields);
}
