import type { Position } from 'geojson';
import { orientation } from './orientation';
import { SweepStatus } from './sweep-status';

// Module-level aliases: looking up the global Math in a hot loop is slow in some hosts (jest's vm contexts).
const { min, max } = Math;

/** Two segments of a route (segment i joins positions i and i + 1) that meet where they may not, and a point they share. */
export interface SelfIntersection {
  segments: [number, number];
  at: Position;
}

/**
 * Where a route meets itself, at most `limit` places, in O(n log n) time and O(n) memory for n
 * positions (each place found after the first costs at most one more pass).
 *
 * A route meets itself where two of its segments share a point: a crossing, a position on
 * another segment, a position visited twice, segments running along each other. Two exceptions:
 * consecutive segments share the position between them (unless one turns back along the other,
 * a spike), and so do the first and last segments of a closed route (first position = last).
 * This is PostGIS' ST_IsSimple for a LineString, and, for lines without parallel pieces, the
 * pairwise check (turf's kinks) this replaces; that one skipped every pair of parallel or
 * consecutive segments, so it let a route run back over itself.
 *
 * How: a sweep line (Shamos and Hoey, 1976) moves over the segment ends from west to east. In
 * their order, a position visited twice shows as ends of segments not next to each other at one
 * point. With every position distinct, the sweep keeps the segments it crosses in their order
 * along it; two segments can only meet after being neighbours in that order at some moment, so
 * each pair is tested as it becomes neighbours, and the first place found ends the pass. The
 * segment found is then set aside and the pass repeated, up to `limit` places. Every test is exact
 * (see orientation.ts), so nearly parallel or touching segments are judged by what they are, not
 * by rounding.
 *
 * `positions` are finite [lon, lat] (a third number is ignored) without consecutive repeats.
 */
export function findSelfIntersections(positions: Position[], limit: number): SelfIntersection[] {
  const n = positions.length;
  for (let i = 1; i < n; i++) {
    if (samePosition(positions[i - 1], positions[i])) throw new Error(`positions ${i - 1} and ${i} repeat: drop consecutive repeats first`);
  }
  if (n < 3 || limit < 1) return [];
  const sweep = new Sweep(positions, samePosition(positions[0], positions[n - 1]));
  const revisited = sweep.revisitedPositions(limit);
  return revisited.length ? revisited : sweep.run(limit);
}

const samePosition = (a: Position, b: Position): boolean => a[0] === b[0] && a[1] === b[1];

class Sweep {
  /** Segment s runs from (leftX, leftY) to (rightX, rightY), its ends ordered west to east, then south to north. */
  private readonly leftX: Float64Array;
  private readonly leftY: Float64Array;
  private readonly rightX: Float64Array;
  private readonly rightY: Float64Array;
  /** Whether segment s runs west to east (its left end is position s). */
  private readonly forward: Uint8Array;
  /** 2s: segment s starts (its left end), 2s + 1: it ends; in sweep order. */
  private readonly events: Int32Array;
  private readonly setAside: Uint8Array;
  private readonly lastSegment: number;

  constructor(
    private readonly positions: Position[],
    private readonly closed: boolean,
  ) {
    const count = positions.length - 1;
    this.lastSegment = count - 1;
    this.leftX = new Float64Array(count);
    this.leftY = new Float64Array(count);
    this.rightX = new Float64Array(count);
    this.rightY = new Float64Array(count);
    this.forward = new Uint8Array(count);
    // The point of each event, for the sort.
    const x = new Float64Array(2 * count);
    const y = new Float64Array(2 * count);
    for (let s = 0; s < count; s++) {
      const [ax, ay] = positions[s];
      const [bx, by] = positions[s + 1];
      const forward = ax < bx || (ax === bx && ay < by);
      this.forward[s] = forward ? 1 : 0;
      x[2 * s] = this.leftX[s] = forward ? ax : bx;
      y[2 * s] = this.leftY[s] = forward ? ay : by;
      x[2 * s + 1] = this.rightX[s] = forward ? bx : ax;
      y[2 * s + 1] = this.rightY[s] = forward ? by : ay;
    }
    this.setAside = new Uint8Array(count);
    this.events = new Int32Array(2 * count).map((_, i) => i);
    // At one point, segments ending there leave before those starting there arrive: with every
    // position distinct, two segments that end and start at one point are consecutive, and may.
    this.events.sort((a, b) => x[a] - x[b] || y[a] - y[b] || (b & 1) - (a & 1));
  }

  /**
   * Positions visited twice (the closing position of a closed route excepted): the segment
   * leaving the earlier visit and the one arriving at the later. The ends of segments at one
   * point are next to each other in sweep order; they should all belong to one position.
   */
  revisitedPositions(limit: number): SelfIntersection[] {
    const found: SelfIntersection[] = [];
    const last = this.positions.length - 1;
    const positionOf = (event: number): number => {
      const s = event >> 1;
      // The left end of a segment running west to east is its first position.
      const index = (event & 1) !== this.forward[s] ? s : s + 1;
      return this.closed && index === last ? 0 : index;
    };
    const x = (event: number) => (event & 1 ? this.rightX[event >> 1] : this.leftX[event >> 1]);
    const y = (event: number) => (event & 1 ? this.rightY[event >> 1] : this.leftY[event >> 1]);
    const events = this.events;
    // Each event against the first of its run of events at one point.
    let runStart = 0;
    for (let e = 1; e < events.length && found.length < limit; e++) {
      if (x(events[e]) !== x(events[runStart]) || y(events[e]) !== y(events[runStart])) {
        runStart = e;
        continue;
      }
      const a = positionOf(events[runStart]);
      const b = positionOf(events[e]);
      const [earlier, later] = [min(a, b), max(a, b)];
      if (a !== b && !found.some(({ segments }) => segments[0] === earlier && segments[1] === later - 1)) {
        found.push({ segments: [earlier, later - 1], at: [x(events[e]), y(events[e])] });
      }
    }
    return found;
  }

  run(limit: number): SelfIntersection[] {
    const found: SelfIntersection[] = [];
    while (found.length < limit) {
      const meeting = this.pass();
      if (!meeting) break;
      found.push(meeting);
      this.setAside[meeting.segments[1]] = 1;
    }
    return found;
  }

  /** One sweep over the segments not set aside: the first meeting found, or null. */
  private pass(): SelfIntersection | null {
    const status = new SweepStatus();
    for (let e = 0; e < this.events.length; e++) {
      const event = this.events[e];
      const s = event >> 1;
      if (this.setAside[s]) continue;
      if (event & 1) {
        const node = status.nodeOf(s)!;
        const below = status.below(node);
        const above = status.above(node);
        status.remove(node);
        const meeting = below !== null && above !== null ? this.meet(below, above) : null;
        if (meeting) return meeting;
        continue;
      }
      const px = this.leftX[s];
      const py = this.leftY[s];
      const placed = status.insert(s, (u) => {
        const side = orientation(this.leftX[u], this.leftY[u], this.rightX[u], this.rightY[u], px, py);
        if (side !== 0) return side;
        // The new segment starts on u (u spans this point of the sweep). Where u starts there too,
        // the two are consecutive (positions are distinct): their other ends decide, and if
        // those are in line too, one runs along the other.
        if (this.leftX[u] === px && this.leftY[u] === py) return orientation(px, py, this.rightX[u], this.rightY[u], this.rightX[s], this.rightY[s]);
        return 0;
      });
      if ('stoppedAt' in placed) {
        // The test below always finds this meeting; the fallback names the point the search stopped at.
        const u = placed.stoppedAt;
        return this.meet(u, s) ?? { segments: [min(u, s), max(u, s)], at: [px, py] };
      }
      const below = status.below(placed.node);
      const above = status.above(placed.node);
      const meeting = (below !== null ? this.meet(below, s) : null) ?? (above !== null ? this.meet(s, above) : null);
      if (meeting) return meeting;
    }
    return null;
  }

  /** Whether two segments meet where they may not (see findSelfIntersections), and where. */
  private meet(a: number, b: number): SelfIntersection | null {
    const i = min(a, b);
    const j = max(a, b);
    const p = this.positions;
    if (j === i + 1) return this.turnsBack(i, j, p[j], p[i], p[j + 1]);
    if (this.closed && i === 0 && j === this.lastSegment) return this.turnsBack(i, j, p[0], p[1], p[j]);
    return crossing(i, j, p[i], p[i + 1], p[j], p[j + 1]);
  }

  /** Segments sharing the position `shared`, their other ends `a` and `c`: they meet elsewhere only when c lies back along a (a spike). */
  private turnsBack(i: number, j: number, shared: Position, a: Position, c: Position): SelfIntersection | null {
    if (orientation(shared[0], shared[1], a[0], a[1], c[0], c[1]) !== 0) return null;
    const aBefore = before(a, shared);
    if (aBefore !== before(c, shared)) return null;
    // Both on one side, in line: the nearer of the two lies on the other segment.
    const cNearer = before(c, a) !== aBefore;
    const at = cNearer ? c : a;
    return { segments: [i, j], at: [at[0], at[1]] };
  }
}

/** West of, or due south of: the sweep's order of points. */
const before = (a: Position, b: Position): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** Whether segments p1–p2 and q1–q2 (not consecutive) share a point, and one such point. */
function crossing(i: number, j: number, p1: Position, p2: Position, q1: Position, q2: Position): SelfIntersection | null {
  const d1 = orientation(p1[0], p1[1], p2[0], p2[1], q1[0], q1[1]);
  const d2 = orientation(p1[0], p1[1], p2[0], p2[1], q2[0], q2[1]);
  const d3 = orientation(q1[0], q1[1], q2[0], q2[1], p1[0], p1[1]);
  const d4 = orientation(q1[0], q1[1], q2[0], q2[1], p2[0], p2[1]);
  const segments: [number, number] = [i, j];
  if (d1 * d2 < 0 && d3 * d4 < 0) return { segments, at: crossingPoint(p1, p2, q1, q2) };
  // An end on the other segment: a touch, or the start of an overlap.
  if (d1 === 0 && within(p1, p2, q1)) return { segments, at: [q1[0], q1[1]] };
  if (d2 === 0 && within(p1, p2, q2)) return { segments, at: [q2[0], q2[1]] };
  if (d3 === 0 && within(q1, q2, p1)) return { segments, at: [p1[0], p1[1]] };
  if (d4 === 0 && within(q1, q2, p2)) return { segments, at: [p2[0], p2[1]] };
  return null;
}

/** For c in line with a–b: whether it lies between them (inclusive). */
const within = (a: Position, b: Position, c: Position): boolean => min(a[0], b[0]) <= c[0] && c[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= c[1] && c[1] <= max(a[1], b[1]);

/** Where two properly crossing segments cross, in floating point (to show a person; the decision was exact). */
function crossingPoint(p1: Position, p2: Position, q1: Position, q2: Position): Position {
  const rx = p2[0] - p1[0];
  const ry = p2[1] - p1[1];
  const sx = q2[0] - q1[0];
  const sy = q2[1] - q1[1];
  const t = ((q1[0] - p1[0]) * sy - (q1[1] - p1[1]) * sx) / (rx * sy - ry * sx);
  const along = Number.isFinite(t) ? min(1, max(0, t)) : 0.5;
  return [p1[0] + along * rx, p1[1] + along * ry];
}
