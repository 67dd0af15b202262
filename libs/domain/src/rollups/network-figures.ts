import type { NetworkFigures } from '@serat/contract';
import { NETWORK_STATUSES, NetworkStatus, SITE_KINDS, SiteKind } from '@serat/vocabulary';

/** One summed key of area_figure_deltas: a subject and its status or kind. */
export interface FigureRow {
  subject: 'segment' | 'node' | 'site';
  category: string;
  items: number;
  lengthMm: number;
  connected: number;
}

const rank = (list: readonly string[], value: string) => {
  const index = list.indexOf(value);
  return index < 0 ? list.length : index;
};

/**
 * The answer's figures from summed rows: statuses and kinds in the vocabulary's order, those with
 * none left out (a key whose additions and removals cancelled sums to zero but may still have rows).
 */
export function toNetworkFigures(rows: readonly FigureRow[]): NetworkFigures {
  const of = (subject: FigureRow['subject'], order: readonly string[]) =>
    rows.filter((row) => row.subject === subject && row.items !== 0).sort((a, b) => rank(order, a.category) - rank(order, b.category));
  return {
    segments: of('segment', NETWORK_STATUSES).map((row) => ({ status: row.category as NetworkStatus, count: row.items, lengthM: row.lengthMm / 1000 })),
    nodes: of('node', NETWORK_STATUSES).map((row) => ({ status: row.category as NetworkStatus, count: row.items })),
    sites: of('site', SITE_KINDS).map((row) => ({ kind: row.category as SiteKind, total: row.items, connected: row.connected })),
  };
}
