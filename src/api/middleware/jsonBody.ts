import express from 'express';
import type { RequestHandler } from 'express';
import { problem, sendProblem } from './problems.js';

/**
 * Request bodies must be JSON: anything else is 415 before it is read, and JSON is parsed into
 * `req.body` up to `limit`. A request without a body (every GET) passes straight on: the parser
 * would only find that out after a few checks of its own, on the hottest path of the service.
 */
export const jsonBody = (limit: string): RequestHandler => {
  const parse = express.json({ limit, strict: true });
  return (req, res, next) => {
    const length = req.headers['content-length'];
    const hasBody =
      (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return next();
    if (!req.is('application/json')) {
      sendProblem(
        res,
        problem(415, 'unsupported-media-type', 'Unsupported media type', 'send application/json'),
      );
      return;
    }
    parse(req, res, next);
  };
};
