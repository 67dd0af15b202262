/**
 * The report's map as vectors: the kecamatan outlines and the SOPD, projected into a box of the
 * page (equirectangular, scaled by the cosine of the middle latitude, north up), for the HTML's
 * SVG and the PDF's paths alike.
 */
import type { AreaGeometry } from '@serat/contract';

export interface MapBox {
  width: number;
  height: number;
  padding: number;
}

export interface ProjectedMap {
  /** Each area's rings in page coordinates (y down). */
  areas: { code: string; rings: [number, number][][] }[];
  project(lon: number, lat: number): [number, number];
  width: number;
  height: number;
}

function ringsOf(geometry: AreaGeometry): number[][][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

export function projectMap(outlines: readonly { code: string; geometry: AreaGeometry }[], box: MapBox): ProjectedMap {
  let minLon = Infinity;
  let maxLon = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const outline of outlines) {
    for (const ring of ringsOf(outline.geometry)) {
      for (const [lon, lat] of ring) {
        minLon = Math.min(minLon, lon);
        maxLon = Math.max(maxLon, lon);
        minLat = Math.min(minLat, lat);
        maxLat = Math.max(maxLat, lat);
      }
    }
  }
  if (!Number.isFinite(minLon)) {
    return { areas: [], project: () => [box.width / 2, box.height / 2], width: box.width, height: box.height };
  }
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * kx, 1e-9);
  const spanY = Math.max(maxLat - minLat, 1e-9);
  const scale = Math.min((box.width - 2 * box.padding) / spanX, (box.height - 2 * box.padding) / spanY);
  // Centred in the box.
  const offsetX = (box.width - spanX * scale) / 2;
  const offsetY = (box.height - spanY * scale) / 2;
  const project = (lon: number, lat: number): [number, number] => [offsetX + (lon - minLon) * kx * scale, offsetY + (maxLat - lat) * scale];
  const areas = outlines.map((outline) => ({ code: outline.code, rings: ringsOf(outline.geometry).map((ring) => ring.map(([lon, lat]) => project(lon, lat))) }));
  return { areas, project, width: box.width, height: box.height };
}

/** An SVG path of rings (each closed), to 0.1 of a unit. */
export function svgPath(rings: readonly (readonly [number, number])[][]): string {
  return rings.map((ring) => `M${ring.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join('L')}Z`).join('');
}
