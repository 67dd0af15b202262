import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/** A strong validator of an answer: a hash of its JSON, so it changes exactly when a figure does. */
export function entityTag(body: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 32)}"`;
}

/** Whether an If-None-Match header names this tag (a list, weak or strong, or `*`). */
export function matchesTag(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || value.replace(/^W\//, '') === tag;
  });
}

/**
 * Sends `body` with its validator and `Cache-Control: no-cache` (a cache keeps it but asks every
 * time), or a 304 without a body when the client's copy is the same: the map asks often, the
 * figures seldom change. Returns what the controller returns (nothing for a 304).
 */
export function withValidator<T>(request: Request, response: Response, body: T): T | undefined {
  const tag = entityTag(body);
  response.setHeader('ETag', tag);
  response.setHeader('Cache-Control', 'no-cache');
  if (!matchesTag(request.headers['if-none-match'], tag)) return body;
  response.status(304);
  return undefined;
}
