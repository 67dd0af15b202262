/** The rules every edit of a stored node, segment or site follows, whichever feature makes it. */
import { checkPoint, type Bbox } from '@serat/geo';
import type { Position } from 'geojson';
import { DomainError } from './domain-error';

/** A geometry that cannot be stored, with the problems @serat/geo found in it. */
export function geometryError(problems: unknown[]): DomainError {
  return new DomainError('GEOMETRY_INVALID', { problems });
}

/** The checked 2D position of a GeoJSON Point, or the reasons it cannot be stored. */
export function positionOrThrow(input: unknown, region: Bbox | null): Position {
  const checked = checkPoint(input, region);
  if (!checked.point) throw geometryError(checked.problems);
  return checked.point.coordinates;
}

/** The row (locked by the caller's find) if it is still at the version the client read: else 404, or 409 with the current state. */
export async function atVersion<T extends { version: number }>(found: Promise<T | null>, version: number): Promise<T> {
  const row = await found;
  if (!row) throw new DomainError('NOT_FOUND');
  if (row.version !== version) throw new DomainError('VERSION_CONFLICT', { current: row });
  return row;
}

/** Runs a write that may change a code; a code another row has is a 409 DUPLICATE_CODE, not a 500. */
export async function withUniqueCode(code: string | undefined, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new DomainError('DUPLICATE_CODE', { code });
    throw error;
  }
}
