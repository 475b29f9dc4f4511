/**
 * The request rules of POST, PUT and PATCH: JSON only, with a body or without (415), at
 * most 1 MiB (413), and a JSON object where the operation takes one (400).
 */
import { isUtf8 } from 'node:buffer';
import express from 'express';
import { BadRequestError, UnsupportedMediaTypeError } from '../errors.js';

export const MAX_BODY_BYTES = 1024 * 1024;

// body-parser would read an empty body as {} and decode bad UTF-8 into U+FFFD; neither is
// the JSON the client meant, so both are refused before parsing.
function readable(req, res, raw, charset) {
  if (raw.length === 0) throw new BadRequestError('Request body is empty');
  if (charset === 'utf-8' && !isUtf8(raw)) throw new BadRequestError('Request body is not valid UTF-8');
}

// body-parser enforces the limit while reading, so a chunked body cannot slip past it,
// and reads the rest of an oversized body before answering, so the client sees the 413.
const parseJson = express.json({ limit: MAX_BODY_BYTES, type: 'application/json', verify: readable });

/** Whether Content-Type is application/json, parameters such as `; charset=utf-8` allowed. */
function isJson(req) {
  // Not req.is(), which answers null for a request without a body whatever its type.
  const [type] = (req.get('Content-Type') ?? '').split(';');
  return type.trim().toLowerCase() === 'application/json';
}

/**
 * Route middleware for endpoints that take no body: Content-Type must still be JSON, since
 * that is what a cross-site form or a no-cors fetch cannot send without a CORS preflight.
 */
export function jsonType(req, res, next) {
  next(isJson(req) ? undefined : new UnsupportedMediaTypeError());
}

/** Route middleware for endpoints that take a JSON object; it lands in `req.body`. */
export function jsonBody(req, res, next) {
  if (!isJson(req)) {
    next(new UnsupportedMediaTypeError());
    return;
  }
  parseJson(req, res, (error) => {
    if (error) {
      next(error);
    } else if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
      next(new BadRequestError());
    } else {
      next();
    }
  });
}
