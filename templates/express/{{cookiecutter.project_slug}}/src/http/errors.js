/** The one place that turns every error into the contract's JSON envelope. */
import {
  AppError,
  BadRequestError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from '../errors.js';

// body-parser's failures, by their `type`.
const BODY_ERRORS = {
  'entity.too.large': () => new PayloadTooLargeError(),
  'entity.parse.failed': () => new BadRequestError('Request body is not valid JSON'),
  'encoding.unsupported': () => new UnsupportedMediaTypeError('Unsupported content encoding'),
  'charset.unsupported': () => new UnsupportedMediaTypeError('Unsupported charset'),
  'request.aborted': () => new BadRequestError('Request body was not received in full'),
  'request.size.invalid': () => new BadRequestError('Request body size does not match Content-Length'),
};
// Other client errors that Express itself raises (a malformed %-escape in a path, ...).
const BY_STATUS = {
  400: BadRequestError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  405: MethodNotAllowedError,
  413: PayloadTooLargeError,
  415: UnsupportedMediaTypeError,
};

/** The JSON 404 for any path no route serves. */
export function notFound(req, res, next) {
  next(new NotFoundError('Route not found'));
}

function asAppError(error, log) {
  if (error instanceof AppError) {
    if (error.status >= 500) log.warn({ reason: error.cause?.message ?? error.message }, error.message);
    return error;
  }
  const fromBody = BODY_ERRORS[error?.type];
  if (fromBody) return fromBody();
  const Known = error?.expose ? BY_STATUS[error.status] : undefined;
  if (Known) return new Known();
  // The stack goes to the log only; the client gets a generic answer in every APP_ENV.
  log.error({ err: error }, 'unhandled error');
  return new AppError();
}

// Express knows an error handler by its four parameters.
export function errorHandler(error, req, res, next) {
  if (res.headersSent) {
    next(error);
    return;
  }
  const problem = asAppError(error, req.log);
  const body = { code: problem.code, message: problem.message };
  if (problem.fields) body.fields = problem.fields;
  res.status(problem.status).set(problem.headers).json({ error: body });
}
