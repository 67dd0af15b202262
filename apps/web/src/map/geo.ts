/**
 * The one place where GeoJSON's [lon, lat] (WGS84, SRID 4326) meets Leaflet's [lat, lng].
 * Every L.geoJSON layer is given `toLatLng` as its `coordsToLatLng`, and everything else that
 * turns coordinates into LatLngs (region bbox, label points) calls it too.
 */
import type { Geometry } from 'geojson';
import * as L from 'leaflet';

export type Position = [number, number] | number[];
/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

export function toLatLng(position: Position): L.LatLng {
  return L.latLng(position[1], position[0]);
}

export function bboxToBounds(bbox: BBox): L.LatLngBounds {
  return L.latLngBounds(toLatLng([bbox[0], bbox[1]]), toLatLng([bbox[2], bbox[3]]));
}

/** The `bbox=` query value for a map view: minLon,minLat,maxLon,maxLat, 5 decimals (~1 m). */
export function boundsToBboxParam(bounds: L.LatLngBounds): string {
  const sw = bounds.getSouthWest();
  const ne = bounds.getNorthEast();
  return [sw.lng, sw.lat, ne.lng, ne.lat].map((v) => v.toFixed(5)).join(',');
}

type Ring = number[][];

function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return Math.abs(sum / 2);
}

/**
 * A point well inside a polygon for placing its label, in [lon, lat]. The centroid of a
 * concave shape can fall outside it, so this scans a few horizontal lines across the largest
 * part and takes the middle of the widest run that lies inside (holes and all).
 */
export function labelPosition(geometry: Geometry): { position: number[]; area: number } | null {
  let polygons: Ring[][];
  if (geometry.type === 'Polygon') polygons = [geometry.coordinates];
  else if (geometry.type === 'MultiPolygon') polygons = geometry.coordinates;
  else return null;

  let best: Ring[] | null = null;
  let bestArea = -1;
  let totalArea = 0;
  for (const polygon of polygons) {
    if (!polygon.length) continue;
    const area = ringArea(polygon[0]);
    totalArea += area;
    if (area > bestArea) {
      best = polygon;
      bestArea = area;
    }
  }
  if (!best) return null;

  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const [, lat] of best[0]) {
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }

  let bestRun: { lon: number; lat: number; width: number } | null = null;
  for (const fraction of [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74]) {
    const lat = minLat + (maxLat - minLat) * fraction;
    const crossings: number[] = [];
    for (const ring of best) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [x1, y1] = ring[j];
        const [x2, y2] = ring[i];
        if (y1 > lat !== y2 > lat) crossings.push(x1 + ((lat - y1) / (y2 - y1)) * (x2 - x1));
      }
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Prefer runs near the vertical middle: a slight penalty keeps labels central.
      const width = (crossings[k + 1] - crossings[k]) * (1 - Math.abs(fraction - 0.5) * 0.6);
      if (!bestRun || width > bestRun.width) {
        bestRun = { lon: (crossings[k] + crossings[k + 1]) / 2, lat, width };
      }
    }
  }
  if (!bestRun) return null;
  return { position: [bestRun.lon, bestRun.lat], area: totalArea };
}

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres between two [lon, lat] positions (WGS84, haversine). */
export function distanceM(a: Position, b: Position): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLon = (b[0] - a[0]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Distance in metres from a [lon, lat] point to a line of [lon, lat] positions. Uses a flat
 * projection around the point (equirectangular), which is well within a metre at the few
 * kilometres that matter for "near me"; farther away it only has to rank, not measure.
 */
export function distanceToLineM(point: Position, line: Position[]): number {
  if (line.length === 0) return Infinity;
  if (line.length === 1) return distanceM(point, line[0]);
  const kx = Math.cos(point[1] * RAD) * RAD * EARTH_RADIUS_M;
  const ky = RAD * EARTH_RADIUS_M;
  const xy = (p: Position): [number, number] => [(p[0] - point[0]) * kx, (p[1] - point[1]) * ky];
  let best = Infinity;
  for (let i = 1; i < line.length; i++) {
    const [ax, ay] = xy(line[i - 1]);
    const [bx, by] = xy(line[i]);
    const dx = bx - ax;
    const dy = by - ay;
    const lengthSq = dx * dx + dy * dy;
    // The point is the origin: project it onto the piece from a to b.
    const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / lengthSq));
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}

/**
 * Where to send a technician who navigates to a feature: a point itself; on a line, the vertex
 * nearest to `from` (the technician) when known, else the vertex in the middle of the line.
 */
export function navigationTarget(geometry: Geometry | null | undefined, from: Position | null = null): Position | null {
  if (!geometry) return null;
  if (geometry.type === 'Point') return geometry.coordinates;
  if (geometry.type !== 'LineString' || !geometry.coordinates.length) return null;
  const line = geometry.coordinates;
  if (!from) return line[Math.floor(line.length / 2)];
  return line.reduce((best, vertex) => (distanceM(from, vertex) < distanceM(from, best) ? vertex : best));
}

/**
 * A `geo:` URI (RFC 5870, latitude first) that a phone opens in its map app; the `q` repeats
 * the place so that Android's apps drop a pin there instead of only centring on it.
 */
export function geoUri(position: Position): string {
  const lat = position[1].toFixed(6);
  const lon = position[0].toFixed(6);
  return `geo:${lat},${lon}?q=${lat},${lon}`;
}
