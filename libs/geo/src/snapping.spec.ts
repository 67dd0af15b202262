import type { Position } from 'geojson';
import { distanceM, endsWithinTolerance, firstWithin, groupEnds, withEndsOn, withinTolerance } from './snapping';

/** A position `eastM` metres east and `northM` metres north of a point near Sampit (1e-5° ≈ 1.11 m there). */
const SAMPIT: Position = [112.95, -2.53];
const near = (eastM: number, northM = 0, from: Position = SAMPIT): Position => {
  const metresPerDegree = (Math.PI / 180) * 6371008.8;
  return [from[0] + eastM / (metresPerDegree * Math.cos((from[1] * Math.PI) / 180)), from[1] + northM / metresPerDegree];
};

describe('snapping', () => {
  it('measures geodesic metres and counts the tolerance itself as within', () => {
    expect(distanceM(SAMPIT, near(25))).toBeCloseTo(25, 6);
    expect(distanceM(near(3, 4), SAMPIT)).toBeCloseTo(5, 3);
    expect(withinTolerance(near(9.99), SAMPIT, 10)).toBe(true);
    expect(withinTolerance(near(10.01), SAMPIT, 10)).toBe(false);
    const exact = distanceM(near(7), SAMPIT);
    expect(withinTolerance(near(7), SAMPIT, exact)).toBe(true);
  });

  it('takes the first candidate within the tolerance, in the order given, not the nearest', () => {
    const candidates = [
      { id: 'far', at: near(30) },
      { id: 'within', at: near(8) },
      { id: 'nearer', at: near(1) },
    ];
    expect(firstWithin(SAMPIT, candidates, (c) => c.at, 10)?.id).toBe('within');
    expect(firstWithin(SAMPIT, candidates, (c) => c.at, 0.5)).toBeUndefined();
    expect(firstWithin(SAMPIT, [], (c: Position) => c, 10)).toBeUndefined();
  });

  it('says when both ends of a route would snap to one node', () => {
    expect(endsWithinTolerance([SAMPIT, near(50, 50), near(6)], 10)).toBe(true);
    expect(endsWithinTolerance([SAMPIT, near(12)], 10)).toBe(false);
  });

  it("groups ends within the tolerance of a group's first end; that end places the node", () => {
    const ends = [SAMPIT, near(4), near(500), near(9), near(12), near(503), near(15)];
    const { at, groupOf } = groupEnds(ends, 10);
    // 12 m is beyond the first end's reach though within 8 m of the one at 4 m: a new group, and 15 m joins it.
    expect(groupOf).toEqual([0, 0, 1, 0, 2, 1, 2]);
    expect(at).toEqual([ends[0], ends[2], ends[4]]);
    for (let i = 0; i < at.length; i++) for (let j = i + 1; j < at.length; j++) expect(distanceM(at[i], at[j])).toBeGreaterThan(10);
  });

  it('finds a group across a cell border in every direction, and nothing beyond the tolerance', () => {
    // Cells are tolerance/50,000 degrees wide: put the first end just inside a corner of its cell.
    const cell = 10 / 50000;
    const corner: Position = [Math.floor(112.95 / cell) * cell + cell * 0.001, Math.floor(-2.53 / cell) * cell + cell * 0.001];
    for (const [east, north] of [
      [-6, 0],
      [0, -6],
      [-4, -4],
      [6, 6],
      [-6, 6],
    ]) {
      const { groupOf } = groupEnds([corner, near(east, north, corner)], 10);
      expect([east, north, groupOf]).toEqual([east, north, [0, 0]]);
    }
    expect(groupEnds([corner, near(-7.5, -7.5, corner)], 10).groupOf).toEqual([0, 1]);
  });

  it('joins the first group tried when an end lies within reach of two: the western cell before its own', () => {
    // An end just east of a cell border, groups 9 m west (the cell before) and 9 m east (its own
    // cell), 18 m apart: the western one is tried first, whichever was made first.
    const cell = 10 / 50000;
    const border: Position = [Math.ceil(112.95 / cell) * cell + cell * 0.001, -2.53];
    const west = near(-9, 0, border);
    const east = near(9, 0, border);
    expect(groupEnds([east, west, border], 10).groupOf).toEqual([0, 1, 1]);
    expect(groupEnds([west, east, border], 10).groupOf).toEqual([0, 1, 0]);
  });

  it('keeps a zero tolerance working (exactly equal ends share a node)', () => {
    expect(groupEnds([SAMPIT, [...SAMPIT], near(0.01)], 0).groupOf).toEqual([0, 0, 1]);
  });

  it('puts the ends of a route on its nodes without touching the route given', () => {
    const route: Position[] = [near(1), near(50, 20), near(99)];
    const from = SAMPIT;
    const to = near(100);
    const snapped = withEndsOn(route, from, to);
    expect(snapped).toEqual([from, near(50, 20), to]);
    expect(route).toEqual([near(1), near(50, 20), near(99)]);
    expect(snapped[1]).not.toBe(route[1]);
  });
});
