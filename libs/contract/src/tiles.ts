/**
 * The map reads the network a tile at a time (GET /api/map/tiles/{z}/{x}/{y}): the tiles of the
 * Web Mercator grid (the XYZ scheme of OpenStreetMap's tiles), each drawn `TILE_PIXELS` wide, so
 * the detail in a tile is that of zoom z + DETAIL_ZOOM_OFFSET. Pure arithmetic shared by the api
 * (which cuts and simplifies for a tile) and the web app (which asks for the tiles of its view).
 * A tile holds whole features, not clipped ones: a segment crossing four tiles comes in each, the
 * same bytes every time, and the map keeps one copy by id.
 */
import type { BBox, NodeFeature, SegmentFeature, SiteFeature } from './map';
import type { NodeKind, SegmentTier, SiteKind } from '../../vocabulary/src/network-vocabulary';

/** A tile covers what 4 × 4 standard 256-pixel tiles cover: fewer requests, each fuller. */
export const TILE_PIXELS = 1024;
export const DETAIL_ZOOM_OFFSET = 2;
/** The deepest tile zoom the api answers; closer views reuse these tiles (full detail). */
export const MAX_TILE_ZOOM = 16;

/**
 * How many features of a layer one tile holds at most. When a tile would hold more, it leaves out
 * whole groups of lesser features (drops before distribution before backbone), never a random part.
 */
export const TILE_BUDGET = { segments: 3000, nodes: 3000, sites: 1500 } as const;

/** The groups of each layer, most important first: a tile takes groups while they fit its budget. */
export const SEGMENT_TILE_GROUPS: readonly (readonly SegmentTier[])[] = [['backbone'], ['distribution'], ['drop']];
export const NODE_TILE_GROUPS: readonly (readonly NodeKind[])[] = [
  ['noc', 'olt', 'odc'],
  ['odp', 'joint_closure', 'handhole', 'pole', 'termination'],
];
export const SITE_TILE_GROUPS: readonly (readonly SiteKind[])[] = [
  ['sopd', 'kantor_kecamatan'],
  ['kantor_desa', 'puskesmas'],
  ['sekolah', 'other'],
];

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/** One layer of a tile: its features, and whether every group fitted. */
export interface TileLayer<F> {
  features: F[];
  /** How many of the layer's groups (SEGMENT_TILE_GROUPS, …) the tile holds, in order. */
  groups: number;
  /** False when some features of this layer in the tile were left out (closer in, they come). */
  complete: boolean;
}

/** GET /api/map/tiles/{z}/{x}/{y}. */
export interface MapTile extends TileAddress {
  /** [minLon, minLat, maxLon, maxLat] of the tile. */
  bbox: BBox;
  segments: TileLayer<SegmentFeature>;
  nodes: TileLayer<NodeFeature>;
  sites: TileLayer<SiteFeature>;
}

const lonOf = (x: number, z: number) => (x / 2 ** z) * 360 - 180;
const latOf = (y: number, z: number) => {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
  return (180 / Math.PI) * Math.atan(Math.sinh(n));
};

/** Whether z/x/y names a tile of the grid this api answers. */
export function isTile({ z, x, y }: TileAddress): boolean {
  const size = 2 ** z;
  return [z, x, y].every(Number.isInteger) && z >= 0 && z <= MAX_TILE_ZOOM && x >= 0 && x < size && y >= 0 && y < size;
}

/** The tile's [minLon, minLat, maxLon, maxLat]. */
export function tileBbox({ z, x, y }: TileAddress): BBox {
  return [lonOf(x, z), latOf(y + 1, z), lonOf(x + 1, z), latOf(y, z)];
}

const MAX_LAT = 85.0511287798;
const tileX = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
const tileY = (lat: number, z: number) => {
  const clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const r = (clamped * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};

/** The tile zoom whose detail suits a map drawn at `viewZoom`. */
export function tileZoomFor(viewZoom: number): number {
  return Math.max(0, Math.min(MAX_TILE_ZOOM, Math.floor(viewZoom) - DETAIL_ZOOM_OFFSET));
}

/** The tiles at zoom z that cover this box, nearest the centre first. */
export function tilesCovering(bbox: BBox, z: number): TileAddress[] {
  const last = 2 ** z - 1;
  const clamp = (v: number) => Math.max(0, Math.min(last, v));
  const [minX, maxX] = [clamp(tileX(bbox[0], z)), clamp(tileX(bbox[2], z))];
  const [minY, maxY] = [clamp(tileY(bbox[3], z)), clamp(tileY(bbox[1], z))];
  const [cx, cy] = [(minX + maxX) / 2, (minY + maxY) / 2];
  const tiles: TileAddress[] = [];
  for (let x = minX; x <= maxX; x += 1) for (let y = minY; y <= maxY; y += 1) tiles.push({ z, x, y });
  return tiles.sort((a, b) => Math.hypot(a.x - cx, a.y - cy) - Math.hypot(b.x - cx, b.y - cy) || a.x - b.x || a.y - b.y);
}

export const tileKey = ({ z, x, y }: TileAddress) => `${z}/${x}/${y}`;

/** Decimals of a point's coordinates in every tile (1 cm): a node or site is where it is at any zoom, so near-me and the forms measure from it. */
export const POINT_DIGITS = 7;

/** From this tile zoom on (a map zoomed to a town and closer), lines keep at least 6 decimals (10 cm), so distances to them read true to the metre. */
const METRE_TILE_ZOOM = 10;

/**
 * How finely a tile's lines are drawn: the degrees below which a bend is dropped (half a pixel at
 * the tile's detail zoom; 0 at full detail) and the decimals of its coordinates (a quarter pixel,
 * and 10 cm or finer from tile zoom 10 on).
 */
export function tileDetail(z: number): { toleranceDeg: number; digits: number } {
  const detailZoom = z + DETAIL_ZOOM_OFFSET;
  const pixelDeg = 360 / (256 * 2 ** detailZoom);
  const digits = Math.max(z >= METRE_TILE_ZOOM ? 6 : 4, Math.min(POINT_DIGITS, Math.ceil(Math.log10(4 / pixelDeg))));
  return { toleranceDeg: z >= MAX_TILE_ZOOM ? 0 : pixelDeg / 2, digits };
}
