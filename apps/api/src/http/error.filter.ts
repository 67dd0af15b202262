import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { ErrorBody as ContractErrorBody } from '@serat/contract';
import type { NextFunction, Request, Response } from 'express';
import { DOMAIN_ERRORS, DomainError, isTransactionConflict } from '@serat/domain';
import { ZodValidationException } from 'nestjs-zod';
import { ApiError } from './api-error';
import { z } from 'zod';
import { ErrorCode, FIELD_PROBLEMS, fieldProblemText, Language, languageOf, messageFor, SCHEMA_MESSAGES_ID } from './messages';

/** The contract's error body, with a code the api knows. */
type ErrorBody = ContractErrorBody & { error: { code: ErrorCode } };

type ZodIssue = z.core.$ZodIssue;
const ZOD_EN = z.locales.en();
const ZOD_ID = z.locales.id();

/**
 * A field problem in the reader's language: zod's own wording is given in Bahasa Indonesia
 * when that is the reader's language, and so are the problems Serat names by code
 * (FIELD_PROBLEMS) and the api's own schema messages (SCHEMA_MESSAGES_ID).
 */
function problemText(issue: ZodIssue, language: Language): string {
  const own = (issue as { params?: { problem?: unknown } }).params?.problem;
  if (typeof own === 'string' && own in FIELD_PROBLEMS) return fieldProblemText(own, language);
  if (language !== 'id') return issue.message;
  if (Object.hasOwn(SCHEMA_MESSAGES_ID, issue.message)) return SCHEMA_MESSAGES_ID[issue.message];
  const english = ZOD_EN.localeError(issue as never);
  const isDefault = (typeof english === 'string' ? english : english?.message) === issue.message;
  const indonesian = ZOD_ID.localeError(issue as never);
  return isDefault ? (typeof indonesian === 'string' ? indonesian : (indonesian?.message ?? issue.message)) : issue.message;
}

/**
 * The database is down, restarting or gone (as opposed to a query that is wrong): connection
 * refused or reset, server shutting down (57P0x), connection exceptions (08xxx), database missing.
 */
function isDatabaseUnavailable(exception: unknown): boolean {
  const err = exception as { code?: string; message?: string; driverError?: { code?: string } };
  const code = err?.code ?? err?.driverError?.code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '3D000', '57P01', '57P02', '57P03'].includes(code) ||
    code.startsWith('08') ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(err?.message ?? '')
  );
}

/** Writes the error body every failure gets: code, message in the reader's language, request id. */
export function sendError(request: Request, response: Response, status: number, code: ErrorCode, details?: unknown): void {
  const body: ErrorBody = {
    error: { code, message: messageFor(code, languageOf(request), details), requestId: String(request.id ?? ''), ...(details === undefined ? {} : { details }) },
  };
  const retryAfterS = (details as { retryAfterS?: number } | undefined)?.retryAfterS;
  if (status === HttpStatus.TOO_MANY_REQUESTS && retryAfterS) response.setHeader('Retry-After', String(retryAfterS));
  response.status(status).type('application/json').json(body);
}

/**
 * Body-parser failures happen before Nest routes the request, so they are answered here, in the
 * same shape as every other error. Every failure of the client's body is answered, none passed
 * on: past this point an error on /api reaches the static files' error handler, which answers
 * 404 (a gzip body that does not inflate made POST /api/auth/login "not found").
 */
export function bodyErrorMiddleware(error: { type?: string; status?: number; encoding?: string }, req: Request, res: Response, next: NextFunction): void {
  if (error?.type === 'entity.parse.failed') return sendError(req, res, HttpStatus.BAD_REQUEST, 'MALFORMED_JSON');
  if (error?.type === 'entity.too.large') return sendError(req, res, HttpStatus.PAYLOAD_TOO_LARGE, 'PAYLOAD_TOO_LARGE');
  if (error?.type === 'encoding.unsupported') {
    return sendError(req, res, HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'ENCODING_UNSUPPORTED', {
      encoding: String(error.encoding ?? req.headers['content-encoding'] ?? '').slice(0, 40),
    });
  }
  if (error?.type === 'charset.unsupported') return sendError(req, res, HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'VALIDATION_FAILED');
  // The rest of the parser's 4xx: a body that does not inflate (zlib's errors), is cut short or is not the length it said.
  if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500) return sendError(req, res, HttpStatus.BAD_REQUEST, 'BODY_UNREADABLE');
  next(error);
}

/**
 * The one place where failures become HTTP answers: a code, a message in the reader's language,
 * the request id, and never a stack trace or SQL.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { status, code, details } = this.classify(exception, languageOf(request));
    if (status >= 500 && !(exception instanceof ApiError)) {
      this.logger.error({ err: exception, requestId: request.id }, `request failed: ${request.method} ${request.originalUrl}`);
    }
    sendError(request, response, status, code, details);
  }

  private classify(exception: unknown, language: Language): { status: number; code: ErrorCode; details?: unknown } {
    if (exception instanceof ApiError) return { status: exception.status, code: exception.code, details: exception.details };
    // Each feature's table gives the status of its codes.
    if (exception instanceof DomainError) return { status: DOMAIN_ERRORS[exception.code].status, code: exception.code, details: exception.details };
    if (exception instanceof ZodValidationException) {
      const issues = exception.getZodError() as { issues: ZodIssue[] };
      return {
        status: HttpStatus.BAD_REQUEST,
        code: 'VALIDATION_FAILED',
        details: issues.issues.map((issue) => ({ field: issue.path.map(String).join('.'), problem: problemText(issue, language) })),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === HttpStatus.NOT_FOUND) return { status, code: 'NOT_FOUND' };
      if (status === HttpStatus.PAYLOAD_TOO_LARGE) return { status, code: 'PAYLOAD_TOO_LARGE' };
      if (status < 500) return { status, code: 'VALIDATION_FAILED', details: exception.message };
    }
    // Still in each other's way after the retries (inTransaction): a conflict to try again, not a fault.
    if (isTransactionConflict(exception)) return { status: HttpStatus.CONFLICT, code: 'WRITE_CONFLICT' };
    if (isDatabaseUnavailable(exception)) return { status: HttpStatus.SERVICE_UNAVAILABLE, code: 'DATABASE_UNAVAILABLE' };
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL' };
  }
}
