/** Errors of the data-access layer, the same whichever database is behind it. */
import { ServiceUnavailableError } from '../errors.js';

/** Raised when a write breaks a unique constraint; services turn it into a conflict. */
export class UniqueViolationError extends Error {
  name = 'UniqueViolationError';
}

/** Raised when the database cannot be reached or is not answering; the client sees 503. */
export class DatabaseUnavailableError extends ServiceUnavailableError {}
