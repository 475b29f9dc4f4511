/** The 405 answer of a known path asked with a method it does not serve. */
import { MethodNotAllowedError } from '../errors.js';

/** Route handler for `.all()` after a path's real methods. */
export function methodNotAllowed(...allowed) {
  const allow = [...allowed, 'OPTIONS'].join(', ');
  return function rejectMethod(req, res, next) {
    res.set('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(new MethodNotAllowedError());
  };
}
