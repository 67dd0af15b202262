import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import { ApiError } from './api-error';
import { ERROR_MESSAGES, ErrorCode, languageOf } from './messages';

interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details?: unknown };
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
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const { status, code, details } = this.classify(exception);
    if (status >= 500) {
      this.logger.error({ err: exception, requestId: request.id }, `request failed: ${request.method} ${request.originalUrl}`);
    }
    const body: ErrorBody = {
      error: { code, message: ERROR_MESSAGES[code][languageOf(request)], requestId: String(request.id ?? ''), ...(details === undefined ? {} : { details }) },
    };
    response.status(status).type('application/json').json(body);
  }

  private classify(exception: unknown): { status: number; code: ErrorCode; details?: unknown } {
    if (exception instanceof ApiError) return { status: exception.status, code: exception.code, details: exception.details };
    if (exception instanceof ZodValidationException) {
      const issues = exception.getZodError() as { issues: { path: PropertyKey[]; message: string }[] };
      return {
        status: HttpStatus.BAD_REQUEST,
        code: 'VALIDATION_FAILED',
        details: issues.issues.map((issue) => ({ field: issue.path.map(String).join('.'), problem: issue.message })),
      };
    }
    const err = exception as { type?: string; status?: number };
    if (err?.type === 'entity.too.large') return { status: HttpStatus.PAYLOAD_TOO_LARGE, code: 'PAYLOAD_TOO_LARGE' };
    if (err?.type === 'entity.parse.failed') return { status: HttpStatus.BAD_REQUEST, code: 'MALFORMED_JSON' };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === HttpStatus.NOT_FOUND) return { status, code: 'NOT_FOUND' };
      if (status === HttpStatus.PAYLOAD_TOO_LARGE) return { status, code: 'PAYLOAD_TOO_LARGE' };
      if (status < 500) return { status, code: 'VALIDATION_FAILED', details: exception.message };
    }
    const code = (exception as { code?: string })?.code;
    if (code === 'ECONNREFUSED' || code === '57P01' || code === '57P03') {
      return { status: HttpStatus.SERVICE_UNAVAILABLE, code: 'DATABASE_UNAVAILABLE' };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL' };
  }
}
