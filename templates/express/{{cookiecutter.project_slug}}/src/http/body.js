/** The request-body rules: JSON only (415), at most 1 MiB (413), and a JSON object (400). */
import express from 'express';
import { BadRequestError, UnsupportedMediaTypeError } from '../errors.js';

export const MAX_BODY_BYTES = 1024 * 1024;

// body-parser enforces the limit while reading, so a chunked body cannot slip past it,
// and reads the rest of an oversized body before answering, so the client sees the 413.
const parseJson = express.json({ limit: MAX_BODY_BYTES, type: 'application/json' });

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
