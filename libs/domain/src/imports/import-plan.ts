import { distanceM, withinTolerance } from '@serat/geo';
import type { LineString, Point, Position } from 'geojson';
import type { NetworkStatus, NodeKind, SegmentPlacement, SegmentTier } from '@serat/vocabulary';
import { judgeImportedStatus } from './import-status';

/**
 * The matching planner of an import: the rows a file gives, the stored rows they may match, and
 * per row the decision (create, update, unchanged or reject, with the reasons and warnings of its
 * report row) and the values to write. Pure: the service loads the stored rows (keysToLoad says
 * which) and writes the decisions.
 */

export type ImportKind = 'segment' | 'node';
export type PlanAction = 'create' | 'update' | 'unchanged' | 'reject';

/** What the file itself gives for the fields an import writes; null: no column for it, an empty cell or a word not recognised. */
export interface GivenFields {
  status: NetworkStatus | null;
  name: string | null;
  coreCount: number | null;
  cableType: string | null;
  placement: SegmentPlacement | null;
  tier: SegmentTier | null;
  nodeKind: NodeKind | null;
}

/** The fields an import writes (a segment its status, cores, cable, placement and tier; a node its status, name and kind). */
export interface ImportedFields {
  status: NetworkStatus;
  name: string | null;
  coreCount: number | null;
  cableType: string | null;
  placement: SegmentPlacement;
  tier: SegmentTier;
  nodeKind: NodeKind;
}

/** What a create takes for what the file does not give (the import's options). */
export interface PlanDefaults {
  status: NetworkStatus;
  placement: SegmentPlacement;
  tier: SegmentTier;
  nodeKind: NodeKind;
}

export interface PlanSettings {
  defaults: PlanDefaults;
  /** Segment ends were snapped to nodes when stored: they are compared within this many metres. */
  snapToleranceM: number;
}

/** One feature of the file (or one part of a multi-geometry), and what the import does with it. */
export interface PlanItem extends ImportedFields {
  index: number;
  sourceId: string | null;
  /** Without a code or id of its own, known by its shape (see import-rows). */
  byShape: boolean;
  part: number | null;
  kind: ImportKind;
  action: PlanAction;
  code: string;
  /** The external reference: the source, the folder and the feature's own id or shape. */
  ref: string;
  reasons: string[];
  warnings: string[];
  /** The matched row: its id and its code before the import. */
  existingId?: string;
  existingCode?: string;
  /** Absent on a row refused for its geometry. */
  geometry?: LineString | Point;
  given: GivenFields;
  /** The made-up code with a suffix (a repeated shape's `-2`), never cutting what identifies it; absent for a code of the file's own. */
  recode?: (suffix: string) => string;
}

/** A stored segment or node an import may match, with the fields an import writes (segments: cores, cable, placement, tier; nodes: kind, name). */
export interface ExistingRow {
  id: string;
  code: string;
  externalRef: string | null;
  version: number;
  geometry: LineString | Point;
  status: NetworkStatus;
  coreCount?: number | null;
  cableType?: string | null;
  placement?: SegmentPlacement;
  tier?: SegmentTier;
  kind?: NodeKind;
  name?: string | null;
}

/** The values a create writes: the file's, else the defaults. */
export function fieldsForCreate(given: GivenFields, defaults: PlanDefaults): ImportedFields {
  return {
    status: given.status ?? defaults.status,
    name: given.name,
    coreCount: given.coreCount,
    cableType: given.cableType,
    placement: given.placement ?? defaults.placement,
    tier: given.tier ?? defaults.tier,
    nodeKind: given.nodeKind ?? defaults.nodeKind,
  };
}

/** The values an update writes: the file's, else the stored ones (no column is no wish to change it), else the defaults. */
function fieldsForUpdate(given: GivenFields, match: ExistingRow, defaults: PlanDefaults): ImportedFields {
  return {
    status: given.status ?? match.status,
    name: given.name ?? match.name ?? null,
    coreCount: given.coreCount ?? match.coreCount ?? null,
    cableType: given.cableType ?? match.cableType ?? null,
    placement: given.placement ?? match.placement ?? defaults.placement,
    tier: given.tier ?? match.tier ?? defaults.tier,
    nodeKind: given.nodeKind ?? match.kind ?? defaults.nodeKind,
  };
}

/** The codes and references whose stored rows of one kind the plan needs: those of the rows not refused already. */
export function keysToLoad(rows: readonly PlanItem[], kind: ImportKind): { codes: string[]; refs: string[] } {
  const mine = rows.filter((row) => row.kind === kind && row.action !== 'reject');
  return { codes: mine.map((row) => row.code), refs: mine.map((row) => row.ref) };
}

/**
 * The decisions for the rows of a file (as import-rows reads them) against the stored rows found
 * by their codes and references. The rows given are left as they are; the answer is new rows, in
 * the same order.
 *
 * Each stored row is matched by one feature at most: first by external reference (all of them),
 * then by code among the rows no reference claimed; a second feature reaching a row already
 * claimed is refused, never merged into the first one's update. A code another stored row holds
 * stays with it, unless a feature of the file renames that row (codes may be swapped). A matched
 * row is updated with what the file gives, keeping the rest; a status the lifecycle would not take
 * from a file is kept, with a warning; an update that would write nothing is unchanged.
 */
export function planImport(rows: readonly PlanItem[], existing: Record<ImportKind, readonly ExistingRow[]>, settings: PlanSettings): PlanItem[] {
  const items = rows.map((row) => ({ ...row, reasons: [...row.reasons], warnings: [...row.warnings] }));
  for (const kind of ['segment', 'node'] as const)
    matchKind(
      items.filter((item) => item.kind === kind && item.action !== 'reject'),
      existing[kind],
      settings,
    );
  return items;
}

/** Refuses a row, with the reason its report row gives. */
export function refuse(item: PlanItem, reason: string): void {
  item.action = 'reject';
  item.reasons.push(reason);
}

/**
 * The updated rows whose stored code another row of the plan takes (codes renamed or swapped): they
 * must give it up before any row is written, and take their new codes with their updates.
 */
export function renamedAway(plan: readonly PlanItem[], kind: ImportKind): PlanItem[] {
  const wanted = new Set(plan.filter((p) => p.kind === kind && p.action !== 'reject' && p.action !== 'unchanged').map((p) => p.code));
  return plan.filter((p) => p.kind === kind && p.action === 'update' && p.existingCode !== p.code && wanted.has(p.existingCode!));
}

function matchKind(mine: PlanItem[], found: readonly ExistingRow[], settings: PlanSettings): void {
  const byRef = new Map(found.filter((f) => f.externalRef).map((f) => [f.externalRef!, f]));
  const byCode = new Map(found.map((f) => [f.code, f]));
  const claimedBy = new Map<string, PlanItem>();
  const matchOf = new Map<PlanItem, ExistingRow>();
  const claim = (find: (item: PlanItem) => ExistingRow | undefined) => {
    for (const item of mine) {
      if (item.action === 'reject' || matchOf.has(item)) continue;
      const match = find(item);
      if (!match) continue;
      if (claimedBy.has(match.id)) {
        refuse(item, 'matches_row_of_another_feature');
        continue;
      }
      claimedBy.set(match.id, item);
      matchOf.set(item, match);
    }
  };
  claim((item) => byRef.get(item.ref));
  claim((item) => byCode.get(item.code));

  for (const item of mine) {
    if (item.action === 'reject') continue;
    const match = matchOf.get(item);
    // A code held by another row stays with it, unless a feature of this file renames that row.
    const holder = byCode.get(item.code);
    if (holder && holder.id !== match?.id) {
      const renamer = claimedBy.get(holder.id);
      if (!renamer || renamer.action === 'reject' || renamer.code === holder.code) {
        refuse(item, 'code_in_use');
        matchOf.delete(item);
        if (match && claimedBy.get(match.id) === item) claimedBy.delete(match.id);
        continue;
      }
    }
    if (!match) {
      Object.assign(item, fieldsForCreate(item.given, settings.defaults));
      item.action = 'create';
      continue;
    }
    item.existingId = match.id;
    item.existingCode = match.code;
    Object.assign(item, fieldsForUpdate(item.given, match, settings.defaults));
    const verdict = judgeImportedStatus(match.status, item.status);
    if (!verdict.apply) {
      // The rest of the feature still applies; the status stays where the field left it.
      item.status = match.status;
      item.warnings.push(verdict.warning);
    }
    item.action = differs(item, match, settings.snapToleranceM) ? 'update' : 'unchanged';
  }

  // A row renamed away by a feature that was refused after all keeps its code: those counting on it are refused too.
  for (let changed = true; changed;) {
    changed = false;
    for (const item of mine) {
      if (item.action === 'reject') continue;
      const holder = byCode.get(item.code);
      if (!holder || holder.id === item.existingId) continue;
      const renamer = claimedBy.get(holder.id);
      if (!renamer || renamer.action === 'reject') {
        refuse(item, 'code_in_use');
        changed = true;
      }
    }
  }
}

/** Whether an update would write anything: every field it writes is compared. */
function differs(item: PlanItem, match: ExistingRow, snapToleranceM: number): boolean {
  if (match.code !== item.code || match.status !== item.status) return true;
  if (item.kind === 'node') {
    const [a, b] = [match.geometry.coordinates as Position, (item.geometry as Point).coordinates];
    return match.kind !== item.nodeKind || (match.name ?? null) !== item.name || distanceM(a, b) > 0.01;
  }
  if ((match.coreCount ?? null) !== item.coreCount || (match.cableType ?? null) !== item.cableType || match.placement !== item.placement || match.tier !== item.tier) return true;
  // Ends were snapped to nodes when stored: compare them within the snapping tolerance, the rest to
  // 2e-7° (about 2 cm; both sides are rounded to 7 decimals).
  const stored = match.geometry.coordinates as Position[];
  const mine = (item.geometry as LineString).coordinates;
  if (stored.length !== mine.length) return true;
  return stored.some((p, i) => {
    const q = mine[i];
    const end = i === 0 || i === stored.length - 1;
    return end ? !withinTolerance(p, q, snapToleranceM) : Math.abs(p[0] - q[0]) > 2e-7 || Math.abs(p[1] - q[1]) > 2e-7;
  });
}
