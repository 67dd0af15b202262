/**
 * The HTTP contract with apps/api (same origin). Paginated collections are followed through
 * their `next` links until the server says there is no more.
 */
import type { Feature, FeatureCollection, Geometry, LineString, Point } from 'geojson';
import type { BBox } from './geo';

export interface TileLayerMeta {
  url: string;
  attribution: string;
  maxZoom: number;
}

export interface Meta {
  appName: string;
  region: { code: string; name: string; bbox: BBox };
  demo: boolean;
  attribution: string;
  tileLayer: TileLayerMeta | null;
}

export interface Health {
  status: 'ok' | 'degraded';
  database: { status: 'up' | 'down' };
  redis: { status: 'up' | 'down' };
}

export interface AreaProperties {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

export interface SiteProperties {
  id: string;
  code: string;
  name: string;
  shortName: string | null;
  kind: string;
  phaseId: string | null;
  phaseName: string | null;
  costIdrPerMonth: number | null;
  kecamatanCode: string | null;
  kecamatanName: string | null;
  desaCode: string | null;
  desaName: string | null;
  isDemo: boolean;
  connected: boolean;
}

export interface NodeProperties {
  id: string;
  code: string;
  name: string | null;
  kind: string;
  status: string;
  owner: string | null;
  kecamatanCode: string | null;
  desaCode: string | null;
}

export interface SegmentProperties {
  id: string;
  code: string;
  fromNodeId: string | null;
  toNodeId: string | null;
  placement: string | null;
  tier: string | null;
  cableType: string | null;
  coreCount: number | null;
  lengthM: number;
  status: string;
  phaseId: string | null;
  phaseName: string | null;
  version: number;
}

export type AreaFeature = Feature<Geometry, AreaProperties>;
export type SiteFeature = Feature<Point, SiteProperties>;
export type NodeFeature = Feature<Point, NodeProperties>;
export type SegmentFeature = Feature<LineString, SegmentProperties>;

interface Page<F> {
  type: FeatureCollection['type'];
  features: F[];
  numberReturned?: number;
  next?: string | null;
}

/** A failed API call: which endpoint, and the HTTP status when there was an answer at all. */
export class ApiError extends Error {
  constructor(
    readonly endpoint: string,
    readonly httpStatus: number | null,
    readonly reason: 'http' | 'network' | 'invalid',
  ) {
    super(`${endpoint}: ${reason === 'http' ? `HTTP ${httpStatus}` : reason}`);
    this.name = 'ApiError';
  }
}

function endpointOf(url: string): string {
  return new URL(url, window.location.href).pathname;
}

async function request(url: string, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { headers: { Accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(endpointOf(url), null, 'network');
  }
}

async function parseJson<T>(url: string, response: Response): Promise<T> {
  try {
    return (await response.json()) as T;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(endpointOf(url), response.status, 'invalid');
  }
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await request(url, signal);
  if (!response.ok) throw new ApiError(endpointOf(url), response.status, 'http');
  return parseJson<T>(url, response);
}

/** Fetches a FeatureCollection and every page after it (`next` is relative to the request). */
export async function getAllFeatures<F extends Feature>(url: string, signal?: AbortSignal): Promise<F[]> {
  const features: F[] = [];
  const seen = new Set<string>();
  let pageUrl: string | null = new URL(url, window.location.href).href;
  while (pageUrl) {
    // A server that hands out the same `next` twice would otherwise keep us here forever.
    if (seen.has(pageUrl)) break;
    seen.add(pageUrl);
    const page: Page<F> = await getJson<Page<F>>(pageUrl, signal);
    if (!page || page.type !== 'FeatureCollection' || !Array.isArray(page.features)) {
      throw new ApiError(endpointOf(pageUrl), 200, 'invalid');
    }
    features.push(...page.features);
    pageUrl = page.next ? new URL(page.next, pageUrl).href : null;
  }
  return features;
}

/**
 * Health answers 503 with the same body when something is down, so the body is read whatever
 * the status code. Returns null when there is no usable answer.
 */
export async function getHealth(): Promise<Health | null> {
  try {
    const response = await fetch('/api/health', { headers: { Accept: 'application/json' } });
    const body = (await response.json()) as Partial<Health>;
    if (!body || typeof body !== 'object' || !body.redis || !body.database) return null;
    return body as Health;
  } catch {
    return null;
  }
}

export const api = {
  meta: () => getJson<Meta>('/api/meta'),
  areas: (level: 'kabupaten' | 'kecamatan' | 'desa', bbox?: string, signal?: AbortSignal) =>
    getAllFeatures<AreaFeature>(
      `/api/areas?level=${level}${bbox ? `&bbox=${bbox}` : ''}`,
      signal,
    ),
  sites: () => getAllFeatures<SiteFeature>('/api/sites'),
  nodes: () => getAllFeatures<NodeFeature>('/api/nodes'),
  segments: () => getAllFeatures<SegmentFeature>('/api/segments'),
};
