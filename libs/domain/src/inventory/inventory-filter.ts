import type { InventoryLayer } from '@serat/contract';
import type { NetworkStatus } from '@serat/vocabulary';

/**
 * What the inventory list and the exports filter on, the same for both, so that "export this
 * filter" downloads exactly the rows the list pages through.
 */
export interface InventoryFilter {
  /** A kecamatan or desa code: what lies in it (segments: what crosses it). */
  area?: string;
  phaseId?: string;
  /** Segments and nodes (a site has no status of its own). */
  statuses?: NetworkStatus[];
  /** Nodes and sites: their kinds (segments have tier and placement instead). */
  kinds?: string[];
  /** Part of the code or the name (segments: the code), case-insensitive, `%` and `_` as typed. */
  q?: string;
}

/** Positional parameters: each value gets its `$n`, so that SQL text never holds a value. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The ILIKE pattern of a search: contains the text, with `%`, `_` and `\` matching themselves. */
export function containsPattern(text: string | undefined): string | null {
  return text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
}

/**
 * The WHERE conditions of a filter over one layer, written against the alias every query of the
 * layer uses (`s` for segments and sites, `n` for nodes). Each condition is in the SQL whether
 * or not it is set (`$n IS NULL OR …`), so that the text depends on the layer only.
 */
export function inventoryWhereSql(layer: InventoryLayer, filter: InventoryFilter, params: SqlParams): string {
  const area = params.add(filter.area ?? null);
  const phase = params.add(filter.phaseId ?? null);
  const q = params.add(containsPattern(filter.q));
  if (layer === 'segments') {
    const statuses = params.add(filter.statuses ?? null);
    return `(${area}::text IS NULL OR EXISTS (SELECT 1 FROM segment_areas sa WHERE sa.segment_id = s.id AND sa.area_code = ${area}))
        AND (${phase}::uuid IS NULL OR s.phase_id = ${phase})
        AND (${statuses}::text[] IS NULL OR s.status = ANY(${statuses}))
        AND (${q}::text IS NULL OR s.code ILIKE ${q})`;
  }
  const kinds = params.add(filter.kinds ?? null);
  if (layer === 'nodes') {
    const statuses = params.add(filter.statuses ?? null);
    return `(${area}::text IS NULL OR n.kecamatan_code = ${area} OR n.desa_code = ${area})
        AND (${phase}::uuid IS NULL OR EXISTS (SELECT 1 FROM segments ps WHERE ps.phase_id = ${phase} AND n.id IN (ps.from_node_id, ps.to_node_id)))
        AND (${statuses}::text[] IS NULL OR n.status = ANY(${statuses}))
        AND (${kinds}::text[] IS NULL OR n.kind = ANY(${kinds}))
        AND (${q}::text IS NULL OR n.code ILIKE ${q} OR n.name ILIKE ${q})`;
  }
  return `(${area}::text IS NULL OR s.kecamatan_code = ${area} OR s.desa_code = ${area})
        AND (${phase}::uuid IS NULL OR s.phase_id = ${phase})
        AND (${kinds}::text[] IS NULL OR s.kind = ANY(${kinds}))
        AND (${q}::text IS NULL OR s.code ILIKE ${q} OR s.name ILIKE ${q})`;
}
