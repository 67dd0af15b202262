import type { BBox, TileLayer } from '@serat/contract';

/** What a layer of a map tile is read for: the box, how finely lines are drawn, how many rows at most. */
export interface TileWindow {
  bbox: BBox;
  toleranceDeg: number;
  /** Decimals of a line's coordinates (points always have POINT_DIGITS). */
  digits: number;
}

/** Vocabulary words written into SQL as literals, so that the partial GiST index of a group is used. */
export function wordsSql(words: readonly string[]): string {
  for (const word of words) if (!/^[a-z_]+$/.test(word)) throw new Error(`not a vocabulary word: ${word}`);
  return words.map((word) => `'${word}'`).join(', ');
}

export interface TileLayerQuery {
  /** The groups of the layer, most important first (SEGMENT_TILE_GROUPS, …). */
  groups: readonly (readonly string[])[];
  budget: number;
  /** FROM … WHERE: the rows of these words (quoted, comma-separated) in the window's box, $1–$4 (ENVELOPE). */
  from: (words: string) => string;
  /** The feature of a row, as JSON. */
  feature: string;
  /** ORDER BY of a full answer (stable bytes, so a stable validator), and of a cut one (the most important first). */
  order: { full: string; cut: string };
}

/** Runs one statement with its parameters (a repository's data source). */
export type RunSql = (sql: string, parameters: unknown[]) => Promise<unknown[]>;

/** The window's box as a geometry: $1–$4. */
export const ENVELOPE = 'ST_MakeEnvelope($1, $2, $3, $4, 4326)';

/**
 * One layer of a tile within its budget: counts each group in the window (each count stops at the
 * budget, so a dense tile costs no more than a sparse one), takes the groups in order while they
 * fit, and reads their features. When not even the first group fits, its first `budget` by the
 * layer's own rank come, and the layer says it is not complete. The statements are the layer's
 * repository's, run by it (`run`).
 */
export async function readTileLayer<F>(run: RunSql, window: TileWindow, query: TileLayerQuery): Promise<TileLayer<F>> {
  const box = [...window.bbox];
  const counts = query.groups.map((group) => `(SELECT count(*)::int FROM (SELECT 1 ${query.from(wordsSql(group))} LIMIT ${query.budget + 1}) g)`);
  const [row] = (await run(`SELECT ARRAY[${counts.join(', ')}] AS counts`, box)) as { counts: number[] }[];
  if (!Array.isArray(row?.counts)) throw new Error('the tile counts came back without a row');
  let groups = 0;
  let total = 0;
  while (groups < query.groups.length && total + row.counts[groups] <= query.budget) total += row.counts[groups++];
  const complete = groups === query.groups.length;
  const cut = groups === 0;
  const taken = cut ? query.groups.slice(0, 1) : query.groups.slice(0, groups);
  if (!taken.some((_, i) => row.counts[i] > 0)) return { features: [], groups: Math.max(groups, 1), complete };
  const rows = (await run(
    `SELECT ${query.feature} AS feature ${query.from(wordsSql(taken.flat()))} ORDER BY ${cut ? query.order.cut : query.order.full} LIMIT ${query.budget}`,
    box,
  )) as { feature: F }[];
  return { features: rows.map((r) => r.feature), groups: Math.max(groups, 1), complete };
}
