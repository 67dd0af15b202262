import { HttpStatus } from '@nestjs/common';
import { isStorableText, storableText, TEXT_INVALID_CHARACTERS } from '@serat/domain';
import type { NextFunction, Request, Response } from 'express';
import { sendError } from './error.filter';
import { fieldProblemText, languageOf } from './messages';

/** Problems named in one answer: enough to see what is wrong, bounded whatever the body. */
const MAX_PROBLEMS = 20;

interface TextProblem {
  field: string;
  problem: string;
}

interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
}

/** The path of a visited value, its last 50 keys at most (a path nested deeper starts with "…"). */
function fieldPath(visit: Visit): string {
  const keys: string[] = [];
  let at: Visit | null = visit;
  for (; at && at.key !== null && keys.length < 50; at = at.parent) keys.push(storableText(at.key.slice(0, 100)));
  if (at && at.key !== null) keys.push('…');
  return keys.reverse().join('.');
}

/**
 * Where a value (a parsed JSON body, a parsed query) holds text PostgreSQL cannot store, keys
 * included, as field paths like zod's (`segments.0.note`). Iterative, and each value visited once
 * with a link to its parent: a 1 MiB body nested a hundred thousand deep parses fine, and must
 * neither overflow the stack here nor take quadratic time.
 */
export function unstorableTextFields(value: unknown): string[] {
  const found: string[] = [];
  const stack: Visit[] = [{ value, key: null, parent: null }];
  while (stack.length && found.length < MAX_PROBLEMS) {
    const visit = stack.pop()!;
    const current = visit.value;
    const badKey = visit.key !== null && !isStorableText(visit.key);
    if (badKey || (typeof current === 'string' && !isStorableText(current))) found.push(fieldPath(visit));
    if (current !== null && typeof current === 'object') {
      // Pushed last to first, so that fields are named in the order of the body.
      const entries = Object.entries(current as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], key: entries[i][0], parent: visit });
    }
  }
  return found.slice(0, MAX_PROBLEMS);
}

/**
 * The request's path, query and JSON body, checked once for every route before any of them runs:
 * a NUL or an unpaired surrogate anywhere (a cursor `after=%00`, a note, a key) is answered 400
 * here, never met by the database as a 500; and a path whose %-escapes do not decode is answered
 * 400, not left to the router, whose error the static files' handler would turn into a 404.
 * Uploads (multipart) are parsed later, by their routes; their text fields are checked by the
 * schemas that read them.
 */
export function requestTextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const language = languageOf(req);
  const problems: TextProblem[] = [];
  let path: string | null = null;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    problems.push({ field: 'path', problem: fieldProblemText('percent_encoding_invalid', language) });
  }
  if (path !== null && !isStorableText(path)) problems.push({ field: 'path', problem: fieldProblemText(TEXT_INVALID_CHARACTERS, language) });
  for (const field of [...unstorableTextFields(req.query), ...unstorableTextFields(req.body)]) {
    problems.push({ field, problem: fieldProblemText(TEXT_INVALID_CHARACTERS, language) });
  }
  if (problems.length) return sendError(req, res, HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', problems.slice(0, MAX_PROBLEMS));
  next();
}
