import { checkLineString, groupEnds, withEndsOn } from '@serat/geo';
import type { LineString, Position } from 'geojson';
import type { NetworkStatus } from '@serat/vocabulary';
import type { EndMatch } from '../network/nodes.repository';
import type { BulkSegment } from '../network/segments.repository';
import { codeWithSuffix } from './import-mapping';
import type { PlanItem } from './import-plan';

/**
 * Where the routes of one batch of an import end, between the two spatial steps of the service:
 * after the stored nodes near each end are found (NodesRepository.matchEnds) and before the
 * segments are written. The ends that meet no stored node share new nodes where they meet each
 * other (groupEnds, libs/geo/src/snapping.ts, which also says how the editor differs). Pure.
 */

/** A segment end: at a stored node (its position), or at the new node of that index. */
export type EndTarget = { nodeId: string; at: Position } | { newNode: number };

export interface BatchEnds {
  /** Nodes to make: where, under the code of the first end of each group (`-A`, `-B` after its segment's code), with that segment's status. */
  newNodes: { at: Position; code: string; status: NetworkStatus }[];
  /** Per route of the batch, in order: its first end and its last. */
  ends: [EndTarget, EndTarget][];
}

/** The two ends of each route of a batch, as NodesRepository.matchEnds takes them (`which`: 0 the first, 1 the last). */
export function endsOf(batch: readonly PlanItem[]): { i: number; which: 0 | 1; lon: number; lat: number }[] {
  return batch.flatMap((item, i) => {
    const c = (item.geometry as LineString).coordinates;
    return [
      { i, which: 0 as const, lon: c[0][0], lat: c[0][1] },
      { i, which: 1 as const, lon: c[c.length - 1][0], lat: c[c.length - 1][1] },
    ];
  });
}

/** The ends of a batch given the stored node found within the tolerance of each (or none), in the order the matches come. */
export function batchEnds(batch: readonly PlanItem[], matches: readonly EndMatch[], toleranceM: number): BatchEnds {
  const ends: EndTarget[][] = batch.map(() => []);
  const free: EndMatch[] = [];
  for (const m of matches) {
    if (m.nodeId) ends[m.i][m.which] = { nodeId: m.nodeId, at: m.node ?? endPosition(batch[m.i], m.which) };
    else free.push(m);
  }
  const groups = groupEnds(
    free.map((m) => endPosition(batch[m.i], m.which)),
    toleranceM,
  );
  const newNodes: BatchEnds['newNodes'] = [];
  free.forEach((m, k) => {
    const group = groups.groupOf[k];
    // Groups are numbered as they are made: the first end of each names its node.
    if (group === newNodes.length) newNodes.push({ at: groups.at[group], code: codeWithSuffix(batch[m.i].code, m.which === 0 ? '-A' : '-B'), status: batch[m.i].status });
    ends[m.i][m.which] = { newNode: group };
  });
  // matchEnds answers for every end: each route has both of its ends now.
  return { newNodes, ends: ends as [EndTarget, EndTarget][] };
}

/** A copy: the position may become a node's and the end of other routes. */
function endPosition(item: PlanItem, which: 0 | 1): Position {
  const c = (item.geometry as LineString).coordinates;
  return [...(which === 0 ? c[0] : c[c.length - 1])];
}

/**
 * The segments of a batch on their nodes (`newNodeIds`: the id of each new node), the route's ends
 * moved onto them. A route whose ends fall on one node, or that is no valid line once its ends
 * moved, is refused (and left out of `segments`).
 */
export function segmentsOnNodes(
  batch: readonly PlanItem[],
  planned: BatchEnds,
  newNodeIds: readonly string[],
): { segments: { item: PlanItem; segment: BulkSegment }[]; refused: PlanItem[] } {
  const place = (end: EndTarget) => ('nodeId' in end ? end : { nodeId: newNodeIds[end.newNode], at: planned.newNodes[end.newNode].at });
  const segments: { item: PlanItem; segment: BulkSegment }[] = [];
  const refused: PlanItem[] = [];
  for (const [i, item] of batch.entries()) {
    const from = place(planned.ends[i][0]);
    const to = place(planned.ends[i][1]);
    const coordinates = withEndsOn((item.geometry as LineString).coordinates, from.at, to.at);
    if (from.nodeId === to.nodeId || !checkLineString({ type: 'LineString', coordinates }, null).line) {
      refused.push(item);
      continue;
    }
    segments.push({
      item,
      segment: {
        code: item.code,
        ref: item.ref,
        fromNodeId: from.nodeId,
        toNodeId: to.nodeId,
        coordinates,
        status: item.status,
        placement: item.placement,
        tier: item.tier,
        cableType: item.cableType,
        coreCount: item.coreCount,
      },
    });
  }
  return { segments, refused };
}
