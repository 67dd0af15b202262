import type { Bbox } from '@serat/geo';
import type { Feature } from 'geojson';

/** How a bounded list is asked for: an optional bbox, a page size and a keyset cursor (the last code seen). */
export interface PageQuery {
  bbox?: Bbox;
  limit: number;
  after?: string;
}

export interface FeaturePage<F = Feature> {
  features: F[];
  /** The cursor for the next page, or null when this page is the last. */
  nextCursor: string | null;
}

/**
 * Turns rows fetched with LIMIT n+1 into a page: the extra row only tells that more exist.
 * Rows carry the feature as JSON and the sort key as `cursor`.
 */
export function toFeaturePage<F>(rows: { feature: F; cursor: string }[], limit: number): FeaturePage<F> {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { features: page.map((row) => row.feature), nextCursor: more ? page[page.length - 1].cursor : null };
}

/** Bound parameters for a bbox filter: four nulls when no bbox was given. */
export function bboxParams(bbox?: Bbox): (number | null)[] {
  return bbox ? [...bbox] : [null, null, null, null];
}
