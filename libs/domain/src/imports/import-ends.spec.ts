import type { Position } from 'geojson';
import type { EndMatch } from '../network/nodes.repository';
import { batchEnds, endsOf, segmentsOnNodes } from './import-ends';
import type { PlanItem } from './import-plan';

/** 1e-5° is about 1.1 m at Sampit's latitude. */
function route(code: string, coordinates: Position[], status: PlanItem['status'] = 'planned'): PlanItem {
  return {
    index: 0,
    sourceId: null,
    byShape: false,
    part: null,
    kind: 'segment',
    action: 'create',
    code,
    ref: `f:${code}`,
    reasons: [],
    warnings: [],
    geometry: { type: 'LineString', coordinates },
    status,
    name: null,
    coreCount: 24,
    cableType: null,
    placement: 'aerial',
    tier: 'distribution',
    nodeKind: 'joint_closure',
    given: { status: null, name: null, coreCount: 24, cableType: null, placement: null, tier: null, nodeKind: null },
  };
}
const free = (i: number, which: 0 | 1): EndMatch => ({ i, which, nodeId: null, node: null });

describe('the ends of a batch of imported routes', () => {
  // A, then B starting 3 m from where A ends; C far away, its first end at a stored node.
  const a = route('A', [
    [112.95, -2.53],
    [112.951, -2.5305],
    [112.952, -2.531],
  ]);
  const b = route(
    'B',
    [
      [112.95203, -2.531],
      [112.953, -2.532],
    ],
    'installed',
  );
  const c = route('C', [
    [112.9701, -2.54],
    [112.971, -2.541],
  ]);
  const batch = [a, b, c];
  const matches = [free(0, 0), free(0, 1), free(1, 0), free(1, 1), { i: 2, which: 0, nodeId: 'n-stored', node: [112.97, -2.54] } as EndMatch, free(2, 1)];

  it('lists both ends of every route, first and last', () => {
    expect(endsOf([a, b])).toEqual([
      { i: 0, which: 0, lon: 112.95, lat: -2.53 },
      { i: 0, which: 1, lon: 112.952, lat: -2.531 },
      { i: 1, which: 0, lon: 112.95203, lat: -2.531 },
      { i: 1, which: 1, lon: 112.953, lat: -2.532 },
    ]);
  });

  it('keeps a stored node, and gives ends that meet each other one new node named after the first of them', () => {
    const ends = batchEnds(batch, matches, 10);
    expect(ends.newNodes).toEqual([
      { at: [112.95, -2.53], code: 'A-A', status: 'planned' },
      { at: [112.952, -2.531], code: 'A-B', status: 'planned' },
      { at: [112.953, -2.532], code: 'B-B', status: 'installed' },
      { at: [112.971, -2.541], code: 'C-B', status: 'planned' },
    ]);
    expect(ends.ends).toEqual([
      [{ newNode: 0 }, { newNode: 1 }],
      [{ newNode: 1 }, { newNode: 2 }],
      [{ nodeId: 'n-stored', at: [112.97, -2.54] }, { newNode: 3 }],
    ]);
  });

  it('puts the routes on their nodes, moving their ends there', () => {
    const ends = batchEnds(batch, matches, 10);
    const { segments, refused } = segmentsOnNodes(batch, ends, ['n0', 'n1', 'n2', 'n3']);
    expect(refused).toEqual([]);
    expect(segments.map((s) => [s.item.code, s.segment.fromNodeId, s.segment.toNodeId])).toEqual([
      ['A', 'n0', 'n1'],
      ['B', 'n1', 'n2'],
      ['C', 'n-stored', 'n3'],
    ]);
    // B starts where A's end node is, C where the stored node is; the rest of each route is as drawn.
    expect(segments[1].segment.coordinates).toEqual([
      [112.952, -2.531],
      [112.953, -2.532],
    ]);
    expect(segments[2].segment.coordinates).toEqual([
      [112.97, -2.54],
      [112.971, -2.541],
    ]);
    expect(segments[0].segment).toEqual(
      expect.objectContaining({ code: 'A', ref: 'f:A', status: 'planned', coreCount: 24, placement: 'aerial', tier: 'distribution', cableType: null }),
    );
    // The plan's own routes are left as they were.
    expect(b.geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [112.95203, -2.531],
        [112.953, -2.532],
      ],
    });
  });

  it('refuses a route whose two ends fall on one node', () => {
    // Both ends of D meet the same stored node (a route curving back to it).
    const d = route('D', [
      [112.98, -2.55],
      [112.981, -2.551],
      [112.98005, -2.55],
    ]);
    const both: EndMatch[] = [
      { i: 0, which: 0, nodeId: 'n-x', node: [112.98002, -2.55] },
      { i: 0, which: 1, nodeId: 'n-x', node: [112.98002, -2.55] },
    ];
    const ends = batchEnds([d], both, 10);
    expect(ends.newNodes).toEqual([]);
    expect(segmentsOnNodes([d], ends, [])).toEqual({ segments: [], refused: [d] });
  });

  it('follows the order of the matches for who names a shared node', () => {
    const ends = batchEnds([a, b], [free(1, 0), free(1, 1), free(0, 0), free(0, 1)], 10);
    expect(ends.newNodes.map((n) => n.code)).toEqual(['B-A', 'B-B', 'A-A']);
    expect(ends.ends[0][1]).toEqual({ newNode: 0 });
  });
});
