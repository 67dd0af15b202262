import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

const WELL_FORMED = /^[A-Za-z0-9._-]{8,100}$/;

/**
 * Gives every request an id before anything else runs (body parsing included): a well-formed
 * incoming x-request-id is kept, else a new one is made. Logs and error bodies carry it.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  req.id = typeof incoming === 'string' && WELL_FORMED.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', req.id);
  next();
}
