/**
 * Failures the rules of the domain produce. Services throw them with a code; the api's one
 * exception filter maps each code to an HTTP status and a message in the reader's language.
 */
export const DOMAIN_ERROR_CODES = [
  'NOT_FOUND',
  'VERSION_CONFLICT',
  'INVALID_TRANSITION',
  'REASON_REQUIRED',
  'OUT_OF_AREA',
  'INVALID_CREDENTIALS',
  'TOO_MANY_ATTEMPTS',
  'WEAK_PASSWORD',
  'DUPLICATE_USER',
  'LAST_ADMIN',
  'GEOMETRY_INVALID',
  'DUPLICATE_CODE',
  'NODE_IN_USE',
  'NODE_TOO_FAR',
  'SPLIT_POINT_OFF_ROUTE',
  'SPLIT_POINT_AT_END',
  'EVIDENCE_REQUIRED',
  'PHOTO_INVALID',
  'PHOTO_TOO_LARGE',
  'PHOTO_NOT_USABLE',
  'IMPORT_OPTIONS_INVALID',
  'IMPORT_NOT_READY',
  'EXPORT_TOO_LARGE',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'DomainError';
  }
}
