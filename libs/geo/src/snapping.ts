import * as turf from '@turf/turf';
import type { Position } from 'geojson';

/**
 * Snapping: joining the ends of cable routes to the nodes of the network. Pure judgements on
 * points already at hand; finding the candidates among all stored nodes is a spatial query of the
 * repositories (PostGIS, with its index), whose answer is judged here.
 *
 * Distances are geodesic metres on turf's mean-radius sphere (6371008.8 m), as for lengths
 * (lineLengthM); positions are WGS84 [lon, lat]. "Within the tolerance" includes the tolerance.
 *
 * The editor and the import resolve ends with these same pieces, in two orders that differ on
 * purpose:
 * - The editor, one route at a time: each end in turn goes to the node named for it (which must
 *   lie within the tolerance), else to the nearest stored node within it, else to a new node stored
 *   at once, so the second end can meet the node just made for the first (and the route is then
 *   refused, one node at both ends). A redrawn route keeps the node of an end while that end stays
 *   within the tolerance of it, even when another node lies nearer.
 * - The import, thousands of routes at once: every end of a batch is matched to the stored nodes
 *   in one query, and only the ends that meet none are grouped among themselves (groupEnds), one
 *   new node per group. A stored node therefore wins over a new one, and the ends of one file meet
 *   without a round trip per end.
 */

/** Geodesic distance in metres between two positions. */
export function distanceM(a: Position, b: Position): number {
  return turf.distance(a, b, { units: 'meters' });
}

/** Whether `point` lies within the tolerance (metres) of `end`. */
export function withinTolerance(point: Position, end: Position, toleranceM: number): boolean {
  return distanceM(point, end) <= toleranceM;
}

/** The first of the candidates, in their order, within the tolerance (metres) of `end`; undefined when none is. */
export function firstWithin<T>(end: Position, candidates: Iterable<T>, positionOf: (candidate: T) => Position, toleranceM: number): T | undefined {
  for (const candidate of candidates) {
    if (withinTolerance(positionOf(candidate), end, toleranceM)) return candidate;
  }
  return undefined;
}

/** Whether both ends of a route lie within the tolerance of each other: they would snap to one node, so it cannot be a span. */
export function endsWithinTolerance(coordinates: Position[], toleranceM: number): boolean {
  return withinTolerance(coordinates[0], coordinates[coordinates.length - 1], toleranceM);
}

/** Ends grouped for new nodes: where each group's node goes (its first end), and each end's group. */
export interface EndGroups {
  at: Position[];
  groupOf: number[];
}

/**
 * Groups ends that meet no stored node, so that ends within the tolerance of each other share one
 * new node: in the order given, each end joins the first group whose first end lies within the
 * tolerance of it, else starts a group of its own. The first end places the node, so group
 * positions are more than the tolerance apart and the same ends always give the same groups.
 *
 * Groups are looked up on a grid of cells tolerance/50,000 degrees wide: a degree of longitude is
 * at least 50 km below 63° of latitude (of latitude always more), so a cell is at least the
 * tolerance wide, and every group within reach of an end lies in its cell or one of the eight
 * around it. Those are tried column by column (west to east, south to north within a column), each
 * cell's groups in the order they were made.
 */
export function groupEnds(ends: readonly Position[], toleranceM: number): EndGroups {
  const cell = toleranceM / 50000 || 1e-9;
  const grid = new Map<string, number[]>();
  const at: Position[] = [];
  const groupOf: number[] = [];
  for (const end of ends) {
    const cx = Math.floor(end[0] / cell);
    const cy = Math.floor(end[1] / cell);
    let found: number | undefined;
    for (let dx = -1; dx <= 1 && found === undefined; dx++) {
      for (let dy = -1; dy <= 1 && found === undefined; dy++) {
        found = firstWithin(end, grid.get(`${cx + dx}:${cy + dy}`) ?? [], (k) => at[k], toleranceM);
      }
    }
    if (found === undefined) {
      found = at.length;
      at.push(end);
      const key = `${cx}:${cy}`;
      grid.set(key, [...(grid.get(key) ?? []), found]);
    }
    groupOf.push(found);
  }
  return { at, groupOf };
}

/** The route with its first and last positions put exactly on its nodes (a new array; the inner positions are copied). */
export function withEndsOn(coordinates: Position[], from: Position, to: Position): Position[] {
  const snapped = coordinates.map((p) => [...p]);
  snapped[0] = from;
  snapped[snapped.length - 1] = to;
  return snapped;
}
