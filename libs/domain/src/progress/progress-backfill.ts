import type { NetworkStatus, SiteKind } from '@serat/vocabulary';
import type { FigureRow } from '../rollups/network-figures';

/** The key of "every phase together" in progress_snapshots. */
export const ALL_PHASES = '00000000-0000-0000-0000-000000000000';

export type SnapshotLevel = 'region' | 'kabupaten' | 'kecamatan';

/** A part of a segment counted in an area: the whole segment in the region, the metres inside a kabupaten or kecamatan. */
export interface AreaShare {
  level: SnapshotLevel;
  areaCode: string;
  lengthMm: number;
}

export interface BackfillSegment {
  id: string;
  phaseId: string | null;
  shares: AreaShare[];
}

/** A point's areas (region, kabupaten, kecamatan): null where it is outside. */
export interface PointAreas {
  kabupatenCode: string | null;
  kecamatanCode: string | null;
}

export interface BackfillNode extends PointAreas {
  id: string;
}

export interface BackfillSite extends PointAreas {
  id: string;
  kind: SiteKind;
  phaseId: string | null;
  /** When the record was made (ms). */
  createdAt: number;
  /** When it went live (ms), or null while it is not connected. */
  connectedAt: number | null;
}

/** A status a segment or node took, in the order of the history. */
export interface StatusEvent {
  at: number;
  subject: 'segment' | 'node';
  id: string;
  status: NetworkStatus;
}

/** The figures of one area and phase at the end of a day: what changed that day, in the order snapshots keep them. */
export interface DaySnapshot {
  day: string;
  level: SnapshotLevel;
  areaCode: string;
  phaseKey: string;
  figures: FigureRow[];
}

// ---------------------------------------------------------------------------------------------
// When each node joined a NOC

/** A segment that is active now, since when (ms); an active NOC, since when. */
export interface ActiveEdge {
  at: number;
  fromNodeId: string;
  toNodeId: string;
}
export interface ActiveRoot {
  at: number;
  nodeId: string;
}

/**
 * The earliest moment each node was joined to an active NOC by segments that are active now,
 * counting each segment from when it last became active and each NOC from when it last did: the
 * bottleneck (min over paths of the latest activation on the path), found Kruskal-style. Events
 * in time order join components (union-find); a component gets its time when it first holds a
 * NOC, and a component joined to one then gets the time of the join. Each node is timed once.
 */
export function earliestConnection(edges: readonly ActiveEdge[], roots: readonly ActiveRoot[]): Map<string, number> {
  type Event = { at: number; edge?: ActiveEdge; root?: string };
  const events: Event[] = [...edges.map((edge) => ({ at: edge.at, edge })), ...roots.map((root) => ({ at: root.at, root: root.nodeId }))];
  events.sort((a, b) => a.at - b.at);

  const parent = new Map<string, string>();
  // Per component root: its nodes while it is not connected, or null once it is.
  const members = new Map<string, string[] | null>();
  const connectedAt = new Map<string, number>();
  const find = (node: string): string => {
    if (!parent.has(node)) {
      parent.set(node, node);
      members.set(node, [node]);
    }
    let root = node;
    while (parent.get(root) !== root) root = parent.get(root)!;
    // Path halving is enough here; compress the walked path fully.
    let walk = node;
    while (walk !== root) {
      const next = parent.get(walk)!;
      parent.set(walk, root);
      walk = next;
    }
    return root;
  };
  const connect = (root: string, at: number) => {
    for (const node of members.get(root) ?? []) connectedAt.set(node, at);
    members.set(root, null);
  };

  for (const event of events) {
    if (event.root !== undefined) {
      const root = find(event.root);
      if (members.get(root) !== null) connect(root, event.at);
      continue;
    }
    const a = find(event.edge!.fromNodeId);
    const b = find(event.edge!.toNodeId);
    if (a === b) continue;
    const aList = members.get(a)!;
    const bList = members.get(b)!;
    if (aList === null && bList !== null) connect(b, event.at);
    if (bList === null && aList !== null) connect(a, event.at);
    const aNow = members.get(a);
    const bNow = members.get(b);
    // The smaller list goes into the larger, so each node moves O(log n) times.
    const [big, small] = (aNow?.length ?? 0) >= (bNow?.length ?? 0) ? [a, b] : [b, a];
    parent.set(small, big);
    const bigList = members.get(big);
    const smallList = members.get(small);
    if (bigList && smallList) for (const node of smallList) bigList.push(node);
    else if (bigList === null || smallList === null) members.set(big, null);
    members.delete(small);
  }
  return connectedAt;
}

// ---------------------------------------------------------------------------------------------
// The figures day by day

/** The local calendar day (YYYY-MM-DD) of a moment in a time zone. */
export function localDay(format: Intl.DateTimeFormat, at: number): string {
  return format.format(new Date(at));
}

/** A formatter of local days (en-CA writes YYYY-MM-DD). */
export function dayFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
}

type Cell = { items: number; lengthMm: number; connected: number };

/**
 * Replays the status history, oldest first, and tells the figures of each area and phase that
 * changed on a day as they stood at its end (local days in `timeZone`), before `today`. The same
 * keys as the triggers keep (AreaRollups1765600000000): segments by their current phase and
 * their current area shares, nodes under every phase only, sites from their creation and
 * connected from when they went live. Calls `emit` once per day, so memory holds one day.
 */
export async function replayHistory(input: {
  segments: ReadonlyMap<string, BackfillSegment>;
  nodes: ReadonlyMap<string, BackfillNode>;
  sites: readonly BackfillSite[];
  /** Oldest first. */
  events: AsyncIterable<StatusEvent[]>;
  timeZone: string;
  today: string;
  emit: (snapshots: DaySnapshot[]) => Promise<void>;
}): Promise<{ days: number; rows: number }> {
  const format = dayFormat(input.timeZone);
  const cells = new Map<string, Map<string, Cell>>();
  const dirty = new Set<string>();
  const keyOf = (level: SnapshotLevel, areaCode: string, phaseKey: string) => `${level}|${areaCode}|${phaseKey}`;
  const add = (level: SnapshotLevel, areaCode: string, phaseId: string | null, subject: FigureRow['subject'], category: string, cell: Cell) => {
    for (const phaseKey of phaseId ? [ALL_PHASES, phaseId] : [ALL_PHASES]) {
      const key = keyOf(level, areaCode, phaseKey);
      let area = cells.get(key);
      if (!area) cells.set(key, (area = new Map()));
      const name = `${subject}|${category}`;
      const now = area.get(name) ?? { items: 0, lengthMm: 0, connected: 0 };
      now.items += cell.items;
      now.lengthMm += cell.lengthMm;
      now.connected += cell.connected;
      area.set(name, now);
      dirty.add(key);
    }
  };
  const pointAreas = (point: PointAreas): [SnapshotLevel, string][] => {
    const areas: [SnapshotLevel, string][] = [['region', '']];
    if (point.kabupatenCode) areas.push(['kabupaten', point.kabupatenCode]);
    if (point.kecamatanCode) areas.push(['kecamatan', point.kecamatanCode]);
    return areas;
  };

  const segmentStatus = new Map<string, NetworkStatus>();
  const nodeStatus = new Map<string, NetworkStatus>();
  const applyStatus = (event: StatusEvent) => {
    if (event.subject === 'segment') {
      const segment = input.segments.get(event.id);
      if (!segment) return;
      const before = segmentStatus.get(event.id);
      if (before === event.status) return;
      for (const share of segment.shares) {
        if (before) add(share.level, share.areaCode, segment.phaseId, 'segment', before, { items: -1, lengthMm: -share.lengthMm, connected: 0 });
        add(share.level, share.areaCode, segment.phaseId, 'segment', event.status, { items: 1, lengthMm: share.lengthMm, connected: 0 });
      }
      segmentStatus.set(event.id, event.status);
    } else {
      const node = input.nodes.get(event.id);
      if (!node) return;
      const before = nodeStatus.get(event.id);
      if (before === event.status) return;
      for (const [level, code] of pointAreas(node)) {
        if (before) add(level, code, null, 'node', before, { items: -1, lengthMm: 0, connected: 0 });
        add(level, code, null, 'node', event.status, { items: 1, lengthMm: 0, connected: 0 });
      }
      nodeStatus.set(event.id, event.status);
    }
  };

  // Sites as events of their own, merged with the status history by time.
  type SiteEvent = { at: number; site: BackfillSite; connected: boolean };
  const siteEvents: SiteEvent[] = [];
  for (const site of input.sites) {
    siteEvents.push({ at: site.createdAt, site, connected: false });
    if (site.connectedAt !== null) siteEvents.push({ at: Math.max(site.createdAt, site.connectedAt), site, connected: true });
  }
  siteEvents.sort((a, b) => a.at - b.at);
  let nextSite = 0;
  const applySite = (event: SiteEvent) => {
    for (const [level, code] of pointAreas(event.site)) {
      add(level, code, event.site.phaseId, 'site', event.site.kind, event.connected ? { items: 0, lengthMm: 0, connected: 1 } : { items: 1, lengthMm: 0, connected: 0 });
    }
  };

  let day: string | null = null;
  let days = 0;
  let rows = 0;
  const close = async () => {
    if (day === null || dirty.size === 0) return;
    const snapshots: DaySnapshot[] = [];
    for (const key of dirty) {
      const [level, areaCode, phaseKey] = key.split('|') as [SnapshotLevel, string, string];
      const figures: FigureRow[] = [];
      for (const [name, cell] of cells.get(key)!) {
        if (cell.items === 0 && cell.lengthMm === 0 && cell.connected === 0) continue;
        const [subject, category] = name.split('|') as [FigureRow['subject'], string];
        figures.push({ subject, category, items: cell.items, lengthMm: cell.lengthMm, connected: cell.connected });
      }
      figures.sort((a, b) => (a.subject === b.subject ? (a.category < b.category ? -1 : a.category > b.category ? 1 : 0) : a.subject < b.subject ? -1 : 1));
      snapshots.push({ day, level, areaCode, phaseKey, figures });
    }
    dirty.clear();
    days++;
    rows += snapshots.length;
    await input.emit(snapshots);
  };
  /** Moves the replay to the day of `at`: the day before it is over. Returns false once `today` is reached. */
  const reach = async (at: number): Promise<boolean> => {
    const next = localDay(format, at);
    if (next >= input.today) return false;
    if (next !== day) {
      await close();
      day = next;
    }
    return true;
  };

  let stopped = false;
  for await (const batch of input.events) {
    for (const event of batch) {
      while (!stopped && nextSite < siteEvents.length && siteEvents[nextSite].at <= event.at) {
        if (!(await reach(siteEvents[nextSite].at))) stopped = true;
        else applySite(siteEvents[nextSite++]);
      }
      if (stopped || !(await reach(event.at))) {
        stopped = true;
        break;
      }
      applyStatus(event);
    }
    if (stopped) break;
  }
  while (!stopped && nextSite < siteEvents.length) {
    if (!(await reach(siteEvents[nextSite].at))) break;
    applySite(siteEvents[nextSite++]);
  }
  await close();
  return { days, rows };
}
