import { HttpStatus } from '@nestjs/common';
import type { ErrorCode } from './messages';

/** An error the API answers with a code, a status and a translated message. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: HttpStatus,
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'ApiError';
  }
}
