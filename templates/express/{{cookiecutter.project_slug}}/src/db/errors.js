/** Errors of the data-access layer, the same whichever database is behind it. */
import { ServiceUnavailableError } from '../errors.js';

/** Raised when a write breaks a unique constraint; services turn it into a conflict. */
export class UniqueViolationError extends Error {
  name = 'UniqueViolationError';
}

/** Raised when a write breaks a foreign key: a row still refers to the one deleted, or to none. */
export class ForeignKeyViolationError extends Error {
  name = 'ForeignKeyViolationError';
}

/** Raised when the database cannot be reached or is not answering; the client sees 503. */
export class DatabaseUnavailableError extends ServiceUnavailableError {}
