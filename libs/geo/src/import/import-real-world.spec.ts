import * as turf from '@turf/turf';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Feature, FeatureCollection, Geometry, LineString, Position } from 'geojson';
import { parseImportFile, type ImportedFeature } from './index';

/** Real files made by others; CI has shared/ beside the repository. */
const REAL_WORLD = path.resolve(__dirname, '../../../../../shared/data/real-world');
const read = (relative: string) => readFileSync(path.join(REAL_WORLD, relative));
const readCollection = (relative: string) => JSON.parse(read(relative).toString('utf8')) as FeatureCollection;

/** Geodesic length in metres of all line parts (points and polygons count nothing). */
function totalLengthM(geometries: Geometry[]): number {
  return geometries
    .filter((g) => g.type === 'LineString' || g.type === 'MultiLineString')
    .reduce((sum, geometry) => sum + turf.length(turf.feature(geometry), { units: 'meters' }), 0);
}
const referenceLengthM = (collection: FeatureCollection) => totalLengthM(collection.features.map((f: Feature) => f.geometry));
const importedLengthM = (features: ImportedFeature[]) => totalLengthM(features.map((f) => f.geometry));

/** One round of Chaikin corner cutting, keeping the end points. */
function chaikin(line: Position[]): Position[] {
  const out: Position[] = [line[0]];
  for (let i = 0; i < line.length - 1; i++) {
    const [[x0, y0], [x1, y1]] = [line[i], line[i + 1]];
    out.push([0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1], [0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1]);
  }
  out.push(line[line.length - 1]);
  return out;
}

function expectLengthClose(actualM: number, expectedM: number): void {
  expect(expectedM).toBeGreaterThan(0);
  expect(Math.abs(actualM - expectedM) / expectedM).toBeLessThan(0.005);
}

describe('real-world files', () => {
  it('reprojects the Long Beach shapefiles (US state plane, feet) to the WGS84 copies, one folder per layer', async () => {
    const parsed = await parseImportFile('FiberLines.zip', read('long-beach-ca/FiberLines.zip'));
    expect(parsed.format).toBe('shapefile');
    expect(parsed.sourceCrs).toBe('NAD_1983_StatePlane_California_V_FIPS_0405_Feet');
    expect(parsed.problems).toEqual([]);
    for (const layer of ['CityFiber', 'TrafSigFiber']) {
      const reference = readCollection(`long-beach-ca/${layer}.wgs84.geojson`);
      const features = parsed.features.filter((f) => f.folder.join('/') === layer);
      expect(features).toHaveLength(reference.features.length);
      expectLengthClose(importedLengthM(features), referenceLengthM(reference));
    }
    const first = parsed.features.find((f) => f.folder[0] === 'CityFiber')!;
    expect(first.sourceId).toBe('1');
    expect(first.properties).toEqual(expect.objectContaining({ STATUS: expect.stringMatching(/Existing|Proposed/) }));
  });

  it('reads the Sierra Leone KMZ: its lines and nodes match the GeoJSON copies, with folders', async () => {
    const parsed = await parseImportFile('SLE.kmz', read('watra-west-africa/SLE.kmz'));
    const lines = readCollection('watra-west-africa/SLE_lines.geojson');
    const nodes = readCollection('watra-west-africa/SLE_nodes.geojson');
    expect(parsed.format).toBe('kmz');
    expect(parsed.sourceCrs).toBe('EPSG:4326');
    expect(parsed.problems).toEqual([]);
    expect(parsed.features).toHaveLength(lines.features.length + nodes.features.length);
    const importedLines = parsed.features.filter((f) => f.geometry.type === 'LineString');
    expect(importedLines).toHaveLength(lines.features.length);
    expect(parsed.features.filter((f) => f.geometry.type === 'Point')).toHaveLength(nodes.features.length);
    expect(new Set(parsed.features.map((f) => f.folder.join('/')))).toEqual(new Set(['Sites', 'Links']));
    expect(importedLines[0].properties.name).toMatch(/^Leicester - Fourah Bay College/);
    // KML altitude is dropped.
    expect(importedLines[0].geometry).toEqual({ type: 'LineString', coordinates: expect.arrayContaining([[-13.222081, 8.478457]]) });

    // WATRA smoothed the KMZ lines once (Chaikin: n positions become 2n - 2, corners cut) before
    // writing SLE_lines.geojson, which shortens them by 0.9 %. Smoothed the same way, the lines read
    // here must have the reference's positions and length.
    const coordinatesOf = (g: Geometry) => (g as LineString).coordinates;
    importedLines.forEach((line, i) => expect(coordinatesOf(lines.features[i].geometry)).toHaveLength(2 * coordinatesOf(line.geometry).length - 2));
    const smoothed = importedLines.map((line): Geometry => ({ type: 'LineString', coordinates: chaikin(coordinatesOf(line.geometry)) }));
    expectLengthClose(totalLengthM(smoothed), referenceLengthM(lines));
    expect(Math.abs(importedLengthM(importedLines) / referenceLengthM(lines) - 1)).toBeLessThan(0.01);
  });

  it('accepts the Ghana GeoJSON with its legacy CRS84 crs member', async () => {
    const bytes = read('watra-west-africa/GHA_lines.geojson');
    const parsed = await parseImportFile('GHA_lines.geojson', bytes);
    const reference = JSON.parse(bytes.toString('utf8')) as FeatureCollection;
    expect(parsed.sourceCrs).toBe('WGS84 (legacy crs member: urn:ogc:def:crs:OGC:1.3:CRS84)');
    expect(parsed.problems).toEqual([]);
    expect(parsed.features).toHaveLength(reference.features.length);
    expectLengthClose(importedLengthM(parsed.features), referenceLengthM(reference));
    expect(parsed.features[0].properties).toEqual(expect.objectContaining({ status: 'Operational', operator_name: 'Vodafone' }));
  });

  it('reads the Kalteng cable shapefile with a compound WGS84 + EGM2008 .prj', async () => {
    const parsed = await parseImportFile('02_KABEL_BAWAH_LAUT_TANPA_Z.zip', read('kalteng-submarine-cable/02_KABEL_BAWAH_LAUT_TANPA_Z.zip'));
    const reference = readCollection('kalteng-submarine-cable/kabelbawahlaut.geojson');
    expect(parsed.format).toBe('shapefile');
    expect(parsed.sourceCrs).toBe('GCS_WGS_1984 + EGM2008_Geoid');
    expect(parsed.problems).toEqual([]);
    expect(parsed.features).toHaveLength(reference.features.length);
    expect(parsed.features[0].folder).toEqual([]);
    expectLengthClose(importedLengthM(parsed.features), referenceLengthM(reference));
    expect(parsed.features[0].properties.WADMPR).toBe('Provinsi Kalimantan Tengah');
  });
});
