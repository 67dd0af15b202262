import * as turf from '@turf/turf';
import type { Position } from 'geojson';
import { serpentine, spiral, star, windingRoute } from './geometry-fixtures.testing';
import { orientation } from './orientation';
import { findSelfIntersections, SelfIntersection } from './self-intersections';

// Module-level aliases: looking up the global Math in a hot loop is slow in some hosts (jest's vm contexts).
const { min, max, abs, hypot } = Math;

const find = (positions: Position[], limit = 5) => findSelfIntersections(positions, limit);

/** Whether p lies on the closed segment a–b, exactly. */
const onSegment = (a: Position, b: Position, p: Position) =>
  orientation(a[0], a[1], b[0], b[1], p[0], p[1]) === 0 && min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1]);

/**
 * The rule for one pair, written plainly: segments i < j meet where they may not when they share
 * a point, except consecutive segments (and the first and last of a closed route) at their
 * common position, unless the far end of one lies on the other.
 */
function breaksRule(p: Position[], i: number, j: number, closed = isClosed(p)): boolean {
  const [a, b, c, d] = [p[i], p[i + 1], p[j], p[j + 1]];
  if (j === i + 1) return onSegment(a, b, d) || onSegment(c, d, a);
  if (closed && i === 0 && j === p.length - 2) return onSegment(a, b, c) || onSegment(c, d, b);
  const o1 = orientation(a[0], a[1], b[0], b[1], c[0], c[1]);
  const o2 = orientation(a[0], a[1], b[0], b[1], d[0], d[1]);
  const o3 = orientation(c[0], c[1], d[0], d[1], a[0], a[1]);
  const o4 = orientation(c[0], c[1], d[0], d[1], b[0], b[1]);
  return (o1 * o2 < 0 && o3 * o4 < 0) || onSegment(a, b, c) || onSegment(a, b, d) || onSegment(c, d, a) || onSegment(c, d, b);
}

const isClosed = (p: Position[]) => p.length > 2 && p[0][0] === p.at(-1)![0] && p[0][1] === p.at(-1)![1];

/** Whether any pair breaks the rule, trying every pair (O(n²): small routes only). */
function anyPairBreaksRule(p: Position[]): boolean {
  const closed = isClosed(p);
  for (let i = 0; i < p.length - 1; i++) {
    for (let j = i + 1; j < p.length - 1; j++) if (breaksRule(p, i, j, closed)) return true;
  }
  return false;
}

/** How far p is from the segment a–b, in the plane of the coordinates. */
function planarDistance(a: Position, b: Position, p: Position): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const t = max(0, min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
  return hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}
/** The size of the numbers, for a tolerance of rounding (1e-9 of it: 0.1 mm at 113°). */
const scale = (a: Position, b: Position) => max(1, ...a.map(abs), ...b.map(abs));

/** What is wrong with the meetings reported: each must be one the rule forbids, reported once, its point on both segments (within rounding for crossings). */
function wrongMeetings(p: Position[], found: SelfIntersection[]): string[] {
  const wrong: string[] = [];
  for (const {
    segments: [i, j],
    at,
  } of found) {
    if (!(i < j) || !breaksRule(p, i, j)) wrong.push(`segments ${i} and ${j} may meet`);
    for (const s of [i, j]) if (planarDistance(p[s], p[s + 1], at) > 1e-9 * scale(p[s], p[s + 1])) wrong.push(`${JSON.stringify(at)} is not on segment ${s}`);
  }
  if (new Set(found.map(({ segments }) => segments.join())).size !== found.length) wrong.push('a pair reported twice');
  return wrong;
}

/** A small deterministic generator (no Math.random: a failure must repeat). */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** A random route of n positions without consecutive repeats, from `pick`. */
function randomRoute(n: number, pick: () => Position): Position[] {
  const route: Position[] = [];
  while (route.length < n) {
    const next = pick();
    const previous = route.at(-1);
    if (!previous || previous[0] !== next[0] || previous[1] !== next[1]) route.push(next);
  }
  return route;
}

describe('findSelfIntersections', () => {
  describe('allowed', () => {
    it('a straight line, a bend, a line going straight on through a position', () => {
      expect(
        find([
          [0, 0],
          [1, 0],
        ]),
      ).toEqual([]);
      expect(
        find([
          [0, 0],
          [1, 0],
          [1, 1],
        ]),
      ).toEqual([]);
      expect(
        find([
          [0, 0],
          [1, 0],
          [2, 0],
          [3, 0],
        ]),
      ).toEqual([]);
      expect(
        find([
          [0, 0],
          [0, 1],
          [0, 2],
        ]),
      ).toEqual([]);
    });

    it('consecutive segments touching at their common position, however sharp the turn', () => {
      expect(
        find([
          [0, 0],
          [10, 0],
          [0, 0.000001],
        ]),
      ).toEqual([]);
      expect(
        find([
          [112.95, -2.53],
          [112.96, -2.53],
          [112.95, -2.5300001],
        ]),
      ).toEqual([]);
    });

    it('a closed ring whose first and last positions coincide: a square, a triangle, a ring drawn clockwise', () => {
      expect(
        find([
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ]),
      ).toEqual([]);
      expect(
        find([
          [0, 0],
          [2, 0],
          [1, 1],
          [0, 0],
        ]),
      ).toEqual([]);
      expect(
        find([
          [0, 0],
          [0, 1],
          [1, 1],
          [1, 0],
          [0, 0],
        ]),
      ).toEqual([]);
    });

    it('nearly parallel segments a centimetre apart that do not meet', () => {
      // About 11 km west to east, back 1e-7° (1.1 cm) further south, at a slant of 1e-13°.
      expect(
        find([
          [112.9, -2.5],
          [113.0, -2.5],
          [113.0, -2.5000001],
          [112.9, -2.5000000999999],
        ]),
      ).toEqual([]);
    });

    it('long routes: a winding one, a spiral and a serpentine of strokes side by side', () => {
      expect(find(windingRoute(50000))).toEqual([]);
      expect(find(spiral(40000))).toEqual([]);
      expect(find(serpentine(40000))).toEqual([]);
    });
  });

  describe('refused', () => {
    it('a bowtie: two segments crossing, and where', () => {
      expect(
        find([
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
        ]),
      ).toEqual([{ segments: [0, 2], at: [0.5, 0.5] }]);
    });

    it('a figure-eight: a closed route crossing itself in the middle, or passing twice through one position', () => {
      expect(
        find([
          [-1, 1],
          [-1, -1],
          [1, 1],
          [1, -1],
          [-1, 1],
        ]),
      ).toEqual([{ segments: [1, 3], at: [0, 0] }]);
      expect(
        find([
          [0, 0],
          [-1, 1],
          [-1, -1],
          [0, 0],
          [1, 1],
          [1, -1],
          [0, 0],
        ]),
      ).toEqual([{ segments: [0, 2], at: [0, 0] }]);
    });

    it('a position visited twice, not one after the other', () => {
      expect(
        find([
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
          [-1, 0],
        ]),
      ).toEqual([{ segments: [0, 2], at: [0, 0] }]);
      // The two zeros are one position (either may be named).
      const zeros = find([
        [0, 0],
        [1, 0],
        [1, 1],
        [-0, -0],
        [-1, 0],
      ]);
      expect(zeros.map(({ segments, at }) => [segments, at[0] === 0, at[1] === 0])).toEqual([[[0, 2], true, true]]);
    });

    it('a hub visited 20,000 times: five of its visits named', () => {
      const hub: Position[] = Array.from({ length: 40001 }, (_, i) => (i % 2 ? [Math.cos(i), Math.sin(i)] : [0, 0]));
      const found = find(hub);
      expect(found).toHaveLength(5);
      expect(found.every(({ at }) => at[0] === 0 && at[1] === 0)).toBe(true);
      expect(wrongMeetings(hub, found)).toEqual([]);
    });

    it('an end on another segment (a "6"), and a vertex of the route on another segment (two segments touching it)', () => {
      expect(
        find([
          [0, 0],
          [2, 0],
          [2, 1],
          [1, 1],
          [1, 0],
        ]),
      ).toEqual([{ segments: [0, 3], at: [1, 0] }]);
      expect(
        find([
          [0, 0],
          [2, 0],
          [2, 1],
          [1, 0],
          [1, -1],
        ]),
      ).toEqual([
        { segments: [0, 3], at: [1, 0] },
        { segments: [0, 2], at: [1, 0] },
      ]);
    });

    it('a route that comes back through its start and goes on', () => {
      expect(
        find([
          [1, 0],
          [2, 0],
          [2, 1],
          [0, 1],
          [0, 0],
          [1, 0],
          [1, -1],
        ]),
      ).toEqual([{ segments: [0, 4], at: [1, 0] }]);
    });

    it('collinear overlaps of segments far apart along the route, which the pairwise check let through', () => {
      const overlap: Position[] = [
        [0, 0],
        [2, 0],
        [2, 1],
        [-1, 1],
        [-1, 0],
        [1, 0],
      ];
      expect(turf.kinks(turf.lineString(overlap)).features).toEqual([]);
      const found = find(overlap);
      expect(found).toHaveLength(1);
      expect(found[0].segments).toEqual([0, 4]);
      expect(wrongMeetings(overlap, found)).toEqual([]);
      // The same, north to south.
      const vertical: Position[] = [
        [0, 0],
        [0, 2],
        [1, 2],
        [1, -1],
        [0, -1],
        [0, 1],
      ];
      expect(find(vertical).map((f) => f.segments)).toEqual([[0, 4]]);
    });

    it('a spike going back on itself: past its start, short of it, or exactly to it', () => {
      expect(
        find([
          [0, 0],
          [2, 0],
          [1, 0],
        ]),
      ).toEqual([{ segments: [0, 1], at: [1, 0] }]);
      expect(
        find([
          [1, 0],
          [2, 0],
          [0, 0],
          [0, 1],
        ]),
      ).toEqual([{ segments: [0, 1], at: [1, 0] }]);
      expect(
        find([
          [0, 0],
          [1, 1],
          [0, 0],
        ]),
      ).toEqual([{ segments: [0, 1], at: [0, 0] }]);
      expect(
        find([
          [5, 5],
          [0, 0],
          [1, 1],
          [0, 0],
        ]).length,
      ).toBe(1);
      // A closed route whose last segment comes back along its first (and whose last bend touches the first).
      const closed: Position[] = [
        [0, 0],
        [2, 0],
        [2, 1],
        [1, 0],
        [0, 0],
      ];
      expect(
        find(closed)
          .map((f) => f.segments)
          .sort(),
      ).toEqual([
        [0, 2],
        [0, 3],
      ]);
      expect(wrongMeetings(closed, find(closed))).toEqual([]);
    });

    it('nearly parallel segments crossing by 1e-13° (11 nm) are found, and touching exactly', () => {
      expect(
        find([
          [112.9, -2.5],
          [113.0, -2.5],
          [113.0, -2.5000001],
          [112.9, -2.4999999999999],
        ]).map((f) => f.segments),
      ).toEqual([[0, 2]]);
      expect(
        find([
          [112.9, -2.5],
          [113.0, -2.5],
          [113.0, -2.5000001],
          [112.95, -2.5],
        ]),
      ).toEqual([{ segments: [0, 2], at: [112.95, -2.5] }]);
      // Back to the start instead: a thin closed ring, which is allowed.
      expect(
        find([
          [112.9, -2.5],
          [113.0, -2.5],
          [113.0, -2.5000001],
          [112.9, -2.5],
        ]),
      ).toEqual([]);
    });

    it('a long route crossing itself once near its end is found, at the crossing', () => {
      const route = windingRoute(40000);
      const end = route.at(-1)!;
      route.push([end[0] + 0.001, end[1] + 0.01], [end[0] - 0.001, end[1] - 0.01]);
      const found = find(route);
      expect(found).toHaveLength(1);
      expect(wrongMeetings(route, found)).toEqual([]);
    });

    it('the 2,000-position star of the issue: five crossings named, each a real one', () => {
      const positions = star(2000);
      const found = find(positions);
      expect(found).toHaveLength(5);
      expect(wrongMeetings(positions, found)).toEqual([]);
      expect(find(positions, 1)).toHaveLength(1);
    });
  });

  it('counts no more than the limit, and none with a limit of 0', () => {
    expect(find(star(100), 3)).toHaveLength(3);
    expect(find(star(100), 0)).toEqual([]);
    expect(
      find(
        [
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
        ],
        5,
      ),
    ).toHaveLength(1);
  });

  it('refuses consecutive repeated positions (the caller drops them first)', () => {
    expect(() =>
      find([
        [0, 0],
        [1, 0],
        [1, 0],
        [2, 1],
      ]),
    ).toThrow(/positions 1 and 2 repeat/);
  });

  it('agrees with the rule pair by pair on 20,000 random routes on a small grid (collinear, touching, overlapping, revisited)', () => {
    const rand = random(8);
    let refused = 0;
    const disagreements: unknown[] = [];
    for (let trial = 0; trial < 20000; trial++) {
      const n = 3 + Math.floor(rand() * 9);
      const route = randomRoute(n, () => [Math.floor(rand() * 4), Math.floor(rand() * 4)]);
      // One in four closed.
      if (trial % 4 === 0) route.push([...route[0]]);
      if (route.at(-1)![0] === route.at(-2)![0] && route.at(-1)![1] === route.at(-2)![1]) route.pop();
      const found = find(route, 3);
      const wrong = wrongMeetings(route, found);
      if (found.length > 0 !== anyPairBreaksRule(route) || wrong.length) disagreements.push({ route, found, wrong });
      if (found.length) refused += 1;
    }
    expect(disagreements).toEqual([]);
    // Both kinds are well represented.
    expect(refused).toBeGreaterThan(2000);
    expect(refused).toBeLessThan(18000);
  });

  it('agrees with the pairwise check it replaces (turf kinks) on 3,000 random routes of real coordinates', () => {
    const rand = random(77);
    let refused = 0;
    const disagreements: unknown[] = [];
    for (let trial = 0; trial < 3000; trial++) {
      const n = 3 + Math.floor(rand() * 12);
      const route = randomRoute(n, () => [112.9 + rand() * 0.01, -2.55 + rand() * 0.01]);
      const kinks = turf.kinks(turf.lineString(route)).features.length;
      const found = find(route);
      const wrong = wrongMeetings(route, found);
      if (found.length > 0 !== kinks > 0 || wrong.length) disagreements.push({ route, found, kinks, wrong });
      if (found.length) refused += 1;
    }
    expect(disagreements).toEqual([]);
    expect(refused).toBeGreaterThan(300);
    expect(refused).toBeLessThan(2700);
  });

  it('agrees with the rule on random walks eastward that turn back about once, with many segments side by side', () => {
    const rand = random(3);
    const disagreements: unknown[] = [];
    let refused = 0;
    for (let trial = 0; trial < 200; trial++) {
      let [x, y] = [0, 0];
      const route = randomRoute(150, () => {
        x += 1 + Math.floor(rand() * 3);
        y += Math.floor(rand() * 7) - 3;
        // About once a route, back west, under or over what came before.
        if (rand() < 0.007) x -= 60 + Math.floor(rand() * 40);
        return [x, y];
      });
      const found = find(route, 5);
      const wrong = wrongMeetings(route, found);
      if (found.length > 0 !== anyPairBreaksRule(route) || wrong.length) disagreements.push({ route, found, wrong });
      if (found.length) refused += 1;
    }
    expect(disagreements).toEqual([]);
    expect([refused > 20, refused < 180]).toEqual([true, true]);
  });
});
