// Only the type of the composed codes: the features' tables import this folder, not the other way round at run time.
import type { DomainErrorCode } from '../domain-errors';

/**
 * Failures the rules of the domain produce. Services throw them with a code of their feature's
 * table (`<feature>.errors.ts`); the api's one exception filter answers each with the status and
 * the text in the reader's language that the table gives.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'DomainError';
  }
}
