import { PROGRESS_DONE_STATUS, PROGRESS_OUT_OF_SCOPE_STATUS, type ProgressFigures, type ProgressPoint } from '@serat/contract';
import type { SiteKind } from '@serat/vocabulary';
import { FigureRow, toNetworkFigures } from '../rollups/network-figures';

/** A share as a percentage with one decimal, or null when there is nothing to share. */
export function percent(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/** Metres of what is in scope (every status but decommissioned) and of what is done (active). */
function lengths(segments: ProgressFigures['segments']): { lengthInScopeM: number; lengthActiveM: number } {
  let inScope = 0;
  let active = 0;
  for (const figure of segments) {
    if (figure.status === PROGRESS_OUT_OF_SCOPE_STATUS) continue;
    inScope += figure.lengthM;
    if (figure.status === PROGRESS_DONE_STATUS) active += figure.lengthM;
  }
  // Sums of millimetre-exact figures: round off the float's noise, not the data.
  return { lengthInScopeM: Math.round(inScope * 1000) / 1000, lengthActiveM: Math.round(active * 1000) / 1000 };
}

/**
 * An area's progress from its summed figure rows and the sites passed in it (by kind): sites in
 * scope and connected per kind, metres per status, nodes per status, and the two percentages.
 */
export function toProgressFigures(rows: readonly FigureRow[], passedByKind: ReadonlyMap<SiteKind, number> = new Map()): ProgressFigures {
  const figures = toNetworkFigures(rows);
  const sites = figures.sites.map((site) => ({ kind: site.kind, inScope: site.total, connected: site.connected, passed: passedByKind.get(site.kind) ?? 0 }));
  const sitesInScope = sites.reduce((sum, site) => sum + site.inScope, 0);
  const sitesConnected = sites.reduce((sum, site) => sum + site.connected, 0);
  const { lengthInScopeM, lengthActiveM } = lengths(figures.segments);
  return {
    sites,
    sitesInScope,
    sitesConnected,
    sitesPassed: sites.reduce((sum, site) => sum + site.passed, 0),
    segments: figures.segments,
    lengthInScopeM,
    lengthActiveM,
    nodes: figures.nodes,
    percentBySites: percent(sitesConnected, sitesInScope),
    percentByLength: percent(lengthActiveM, lengthInScopeM),
  };
}

/** A recorded day as the history tells it. */
export function toProgressPoint(day: string, source: ProgressPoint['source'], rows: readonly FigureRow[]): ProgressPoint {
  const figures = toProgressFigures(rows);
  return {
    day,
    source,
    sitesInScope: figures.sitesInScope,
    sitesConnected: figures.sitesConnected,
    lengthInScopeM: figures.lengthInScopeM,
    lengthActiveM: figures.lengthActiveM,
    segments: figures.segments,
    sites: figures.sites.map(({ kind, inScope, connected }) => ({ kind, inScope, connected })),
  };
}
