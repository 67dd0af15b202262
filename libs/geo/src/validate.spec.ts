import type { Position } from 'geojson';
import { star, windingRoute } from './geometry-fixtures.testing';
import { checkLineString, MAX_LINE_POSITIONS, MAX_REPORTED_CROSSINGS, MAX_SUGGESTED_POSITIONS } from './validate';

const KOTIM: [number, number, number, number] = [111.9, -3.35, 113.45, -1.05];
const line = (coordinates: unknown[]) => ({ type: 'LineString', coordinates });
const check = (coordinates: unknown[]) => checkLineString(line(coordinates), KOTIM);

describe('checkLineString', () => {
  it('accepts a route, dropping consecutive repeated positions and third numbers', () => {
    expect(
      check([
        [112.95, -2.53, 10],
        [112.95, -2.53],
        [112.96, -2.54],
      ]),
    ).toEqual({
      line: line([
        [112.95, -2.53],
        [112.96, -2.54],
      ]),
      problems: [],
    });
  });

  it('accepts a closed ring and a line touching itself only where consecutive segments meet', () => {
    expect(
      check([
        [112.95, -2.53],
        [112.96, -2.53],
        [112.96, -2.54],
        [112.95, -2.53],
      ]).problems,
    ).toEqual([]);
    expect(
      check([
        [112.95, -2.53],
        [112.96, -2.53],
        [112.95, -2.5300001],
      ]).problems,
    ).toEqual([]);
  });

  it('refuses a bowtie, naming where it crosses itself', () => {
    expect(
      check([
        [112.95, -2.53],
        [112.96, -2.54],
        [112.96, -2.53],
        [112.95, -2.54],
      ]).problems,
    ).toEqual([{ code: 'self_intersection', at: [[112.955, -2.535]], crossingsAtLeast: 1 }]);
  });

  it('refuses a route that runs back over itself, which the pairwise check let through', () => {
    // West to east, up, back west past the start, down, and east again over the first 1.1 km.
    const problems = check([
      [112.95, -2.53],
      [112.97, -2.53],
      [112.97, -2.52],
      [112.94, -2.52],
      [112.94, -2.53],
      [112.96, -2.53],
    ]).problems;
    expect(problems).toEqual([{ code: 'self_intersection', at: [expect.any(Array)], crossingsAtLeast: 1 }]);
  });

  it(`accepts 40,000 and ${MAX_LINE_POSITIONS} positions`, () => {
    for (const n of [40000, MAX_LINE_POSITIONS]) {
      const checked = checkLineString(line(windingRoute(n)), KOTIM);
      expect([n, checked.problems, checked.line?.coordinates.length]).toEqual([n, [], n]);
    }
  });

  it('refuses more positions, with the limit, before looking at any of them', () => {
    const tooMany = windingRoute(MAX_LINE_POSITIONS + 1);
    expect(check(tooMany)).toEqual({ line: null, problems: [{ code: 'too_many_positions', maxPositions: MAX_LINE_POSITIONS }] });
    expect(check(Array.from({ length: MAX_LINE_POSITIONS + 1 }, () => 'not a position')).problems).toEqual([{ code: 'too_many_positions', maxPositions: MAX_LINE_POSITIONS }]);
    // Not a LineString at all: that is what is said.
    expect(checkLineString({ type: 'Polygon', coordinates: tooMany }, KOTIM).problems).toEqual([{ code: 'invalid_geojson' }]);
  });

  it('names at most five places of the 2,000-position star, in a few hundred bytes', () => {
    const { problems } = check(star(2000));
    expect(problems).toEqual([{ code: 'self_intersection', at: expect.any(Array), crossingsAtLeast: MAX_REPORTED_CROSSINGS }]);
    expect(problems[0].at).toHaveLength(MAX_REPORTED_CROSSINGS);
    for (const [lon, lat] of problems[0].at!) {
      // 7 decimals, within the star's circle.
      expect([Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7]).toEqual([lon, lat]);
      expect(Math.hypot(lon - 112.95, lat + 2.53)).toBeLessThan(0.01);
    }
    expect(JSON.stringify(problems).length).toBeLessThan(500);
  });

  it('suggests swapped latitude and longitude for a short line, and says so without a suggestion for a long one', () => {
    const swapped = (n: number): Position[] => windingRoute(n).map(([lon, lat]) => [lat, lon]);
    expect(check(swapped(2)).problems).toEqual([{ code: 'swapped_lat_lon', suggestion: windingRoute(2) }]);
    expect(check(swapped(MAX_SUGGESTED_POSITIONS)).problems).toEqual([{ code: 'swapped_lat_lon', suggestion: windingRoute(MAX_SUGGESTED_POSITIONS) }]);
    expect(check(swapped(40000)).problems).toEqual([{ code: 'swapped_lat_lon' }]);
  });
});
