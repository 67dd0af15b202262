import type { FeatureCollectionPage } from '@serat/contract';
import { bboxText } from '@serat/geo';
import type { FeaturePage, PageQuery } from '@serat/domain';
import type { Request } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 5000;

export const pageQuerySchema = z.object({
  bbox: bboxText.optional().describe('Only features whose bounding box meets this one: minLon,minLat,maxLon,maxLat (WGS84)'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).describe(`Page size, at most ${MAX_PAGE_SIZE}`),
  after: z.string().max(60).optional().describe('Cursor: the code of the last feature of the previous page (from `next`)'),
});

export class PageQueryDto extends createZodDto(pageQuerySchema) {}

export function toPageQuery(query: z.output<typeof pageQuerySchema>): PageQuery {
  return { bbox: query.bbox, limit: query.limit, after: query.after };
}

/** The relative URL of the next page: this request with `after` set to the cursor; null after the last page. */
export function nextPageUrl(request: Request, nextCursor: string | null, parameter: 'after' | 'before' = 'after'): string | null {
  if (nextCursor === null) return null;
  const url = new URL(request.originalUrl, 'http://serat.invalid');
  url.searchParams.set(parameter, nextCursor);
  return `${url.pathname}${url.search}`;
}

/** A GeoJSON FeatureCollection with OGC API-style paging members. */
export function toFeatureCollection<F>(page: FeaturePage<F>, request: Request): FeatureCollectionPage<F> {
  return { type: 'FeatureCollection', numberReturned: page.features.length, next: nextPageUrl(request, page.nextCursor), features: page.features };
}
