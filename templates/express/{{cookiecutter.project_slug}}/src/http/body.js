/** The request-body rules: JSON only (415), at most 1 MiB (413), and a JSON object (400). */
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

/** Route middleware for endpoints that take a JSON object; it lands in `req.body`. */
export function jsonBody(req, res, next) {
  // `req.is` is null without a body, and false for a body of another type or of no type.
  if (req.is('application/json') === false) {
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
