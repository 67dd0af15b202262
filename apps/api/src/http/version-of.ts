import { HttpStatus } from '@nestjs/common';
import { INT4_MAX } from '@serat/domain';
import { ApiError } from './api-error';

/** The version the client read: the body's version field, else the If-Match header ("3" or W/"3"). */
export function versionOf(bodyVersion: number | undefined, ifMatch: string | undefined): number {
  if (bodyVersion !== undefined) return bodyVersion;
  const match = ifMatch?.match(/^(?:W\/)?"?(\d+)"?$/);
  if (!match) throw new ApiError('VERSION_REQUIRED', HttpStatus.PRECONDITION_REQUIRED);
  // No row has a version past the integer column's range; the database would refuse to compare with one.
  const version = Number(match[1]);
  if (version < 1 || version > INT4_MAX)
    throw new ApiError('VALIDATION_FAILED', HttpStatus.BAD_REQUEST, [{ field: 'If-Match', problem: `must be a version between 1 and ${INT4_MAX}` }]);
  return version;
}
