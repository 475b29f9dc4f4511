/** Domain errors, each carrying the HTTP status and code that the error envelope shows. */

/** Raised for any failure the client should see as the JSON error envelope; 500 by default. */
export class AppError extends Error {
  static status = 500;
  static code = 'internal_error';
  static defaultMessage = 'Internal server error';

  constructor(message, { fields, headers, cause } = {}) {
    super(message ?? new.target.defaultMessage, { cause });
    this.name = new.target.name;
    this.status = new.target.status;
    this.code = new.target.code;
    this.fields = fields;
    this.headers = headers ?? {};
  }
}

/** Raised when the body is not valid JSON or not a JSON object. */
export class BadRequestError extends AppError {
  static status = 400;
  static code = 'bad_request';
  static defaultMessage = 'Request body must be a JSON object';
}

/** Raised when credentials are missing, malformed, expired or revoked. */
export class UnauthorizedError extends AppError {
  static status = 401;
  static code = 'unauthorized';
  static defaultMessage = 'Authentication required';
}

/** Raised when a login fails, whether the email or the password was wrong. */
export class InvalidCredentialsError extends AppError {
  static status = 401;
  static code = 'invalid_credentials';
  static defaultMessage = 'Invalid email or password';
}

/** Raised when a signed-in user may not do what they asked. */
export class ForbiddenError extends AppError {
  static status = 403;
  static code = 'forbidden';
  static defaultMessage = 'Not allowed';
}

/** Raised when the thing asked for does not exist. */
export class NotFoundError extends AppError {
  static status = 404;
  static code = 'not_found';
  static defaultMessage = 'Not found';
}

/** Raised when a known route is asked with a method it does not serve. */
export class MethodNotAllowedError extends AppError {
  static status = 405;
  static code = 'method_not_allowed';
  static defaultMessage = 'Method not allowed';
}

/** Raised when a unique value is already taken. */
export class ConflictError extends AppError {
  static status = 409;
  static code = 'conflict';
  static defaultMessage = 'Already exists';
}

/** Raised when a request body is over the size limit. */
export class PayloadTooLargeError extends AppError {
  static status = 413;
  static code = 'payload_too_large';
  static defaultMessage = 'Request body is larger than 1 MiB';
}

/** Raised when a POST, PUT or PATCH is not application/json, whether it has a body or not. */
export class UnsupportedMediaTypeError extends AppError {
  static status = 415;
  static code = 'unsupported_media_type';
  static defaultMessage = 'Content-Type must be application/json';
}

/** Raised when well-formed input breaks the rules; `fields` says which. */
export class ValidationError extends AppError {
  static status = 422;
  static code = 'validation_error';
  static defaultMessage = 'Request validation failed';
}

/** Raised when a client has failed too often; carries Retry-After. */
export class RateLimitedError extends AppError {
  static status = 429;
  static code = 'rate_limited';
  static defaultMessage = 'Too many failed attempts';

  constructor(retryAfterSeconds) {
    super(undefined, { headers: { 'Retry-After': String(retryAfterSeconds) } });
  }
}

/** Raised when the database cannot be reached. */
export class ServiceUnavailableError extends AppError {
  static status = 503;
  static code = 'service_unavailable';
  static defaultMessage = 'The service is temporarily unavailable';
}
