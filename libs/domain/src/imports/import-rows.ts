import { Bbox, checkLineString, checkPoint, endsWithinTolerance, ImportedFeature } from '@serat/geo';
import type { Geometry, Position } from 'geojson';
import { createHash } from 'node:crypto';
import { storableText } from '../shared/field-rules';
import type { ImportAnalysisBuilder } from './import-analysis';
import { fallbackCode, ImportMapping, mapFeature, storedTextReasons } from './import-mapping';
import { fieldsForCreate, PlanDefaults, PlanItem } from './import-plan';

/**
 * The rows of a file as an import reads them, before any stored row is looked at: per feature
 * (and per part of a multi-geometry) who it is (code, external reference), what it says (mapped
 * through the mapping), its checked geometry, and the reasons it cannot be taken at all. Pure.
 */

export interface RowSettings {
  mapping: ImportMapping;
  /** Names the source in external references and made-up codes (importSource). */
  source: string;
  /** Where positions may lie; null: anywhere. */
  region: Bbox | null;
  /** A route whose two ends lie within this many metres of each other would snap to one node. */
  snapToleranceM: number;
  defaults: PlanDefaults;
}

/** The source's name: the options' own, else the file's name without its extension, made safe. */
export function importSource(fileName: string, source: string | undefined): string {
  return (
    source ??
    (fileName
      .replace(/\.[^.]+$/, '')
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 40) ||
      'import')
  );
}

const round7 = (p: Position): Position => [Math.round(p[0] * 1e7) / 1e7, Math.round(p[1] * 1e7) / 1e7];

/** What stands for a feature without an id of its own: its positions to 7 decimals (1 cm), hashed; 10 hex digits. */
function shapeKey(geometry: Geometry): string {
  const positions =
    geometry.type === 'LineString' || geometry.type === 'MultiPoint'
      ? geometry.coordinates.map(round7)
      : geometry.type === 'Point'
        ? round7(geometry.coordinates)
        : geometry.type === 'MultiLineString'
          ? geometry.coordinates.map((line) => line.map(round7))
          : geometry;
  return createHash('sha256').update(JSON.stringify(positions)).digest('hex').slice(0, 10);
}

/**
 * The rows of a file: each feature read (rowsOfFeature), repeated shapes numbered, and a code used
 * twice in the file refused on its later rows. Rows to be taken have action `create` until the
 * plan (planImport) has looked at the stored rows; the others `reject`, with their reasons.
 */
export function rowsOfFile(features: readonly ImportedFeature[], settings: RowSettings, analysis?: ImportAnalysisBuilder): PlanItem[] {
  const items = features.flatMap((feature) => rowsOfFeature(feature, settings, analysis));

  // Two cables without codes or ids along the very same route (one duct) are two spans, told
  // apart by their order among those shapes: the second is ~2, and so on.
  const shapes = new Map<string, number>();
  for (const item of items) {
    if (!item.byShape || item.action === 'reject') continue;
    const key = `${item.kind}:${item.ref}`;
    const nth = (shapes.get(key) ?? 0) + 1;
    shapes.set(key, nth);
    if (nth > 1) {
      item.ref = `${item.ref}~${nth}`.slice(0, 200);
      item.code = item.recode ? item.recode(`-${nth}`) : `${item.code.slice(0, 54)}-${nth}`;
    }
  }
  // Within one file a code is used once: later features with the same code are refused.
  const seen = new Set<string>();
  for (const item of items) {
    if (item.action === 'reject') continue;
    const key = `${item.kind}:${item.code}`;
    if (seen.has(key)) {
      item.action = 'reject';
      item.reasons.push('duplicate_code_in_file');
    }
    seen.add(key);
  }
  return items;
}

/** One feature's rows: one, or one per part of a multi-line or multi-point. */
export function rowsOfFeature(feature: ImportedFeature, settings: RowSettings, analysis?: ImportAnalysisBuilder): PlanItem[] {
  const { source, region } = settings;
  const mapped = mapFeature(feature, settings.mapping);
  analysis?.add(feature.properties, mapped);
  const given = {
    status: mapped.status,
    name: mapped.name,
    coreCount: mapped.coreCount,
    cableType: mapped.cableType,
    placement: mapped.placement,
    tier: mapped.tier,
    nodeKind: mapped.nodeKind,
  };
  const base = {
    index: feature.index,
    sourceId: feature.sourceId,
    byShape: (feature.positional || feature.sourceId === null) && !mapped.code,
    warnings: mapped.unknownStatus ? [`status_unmapped:${storableText(mapped.unknownStatus.slice(0, 40))}`] : [],
    ...fieldsForCreate(given, settings.defaults),
    given,
  };
  const geometry = feature.geometry;
  const lines: Position[][] = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.type === 'MultiLineString' ? geometry.coordinates : [];
  const points: Position[] = geometry.type === 'Point' ? [geometry.coordinates] : geometry.type === 'MultiPoint' ? geometry.coordinates : [];
  const multi = lines.length > 1 || points.length > 1;
  // The folder (KML folder, shapefile layer) is part of a feature's identity: record 1 of two layers are two features.
  const layer = feature.folder.length
    ? `${feature.folder
        .join('/')
        .replace(/[^A-Za-z0-9._-]/g, '_')
        .slice(0, 30)}-`
    : '';
  // A feature is known by its own id (GeoJSON id, placemark id, an id column). Without one, by
  // its shape: a line or record number is no identity, since a revised file may insert or drop
  // rows, and matching by position would move one cable onto another's route.
  const ownId = feature.positional ? null : feature.sourceId;
  const partShape = (part: number | null): Geometry =>
    part === null ? geometry : lines.length ? { type: 'LineString', coordinates: lines[part] } : { type: 'Point', coordinates: points[part] };
  const identity = (part: number | null) => (ownId === null ? `g${shapeKey(partShape(part))}` : ownId);
  const own = mapped.code?.replace(/[^A-Za-z0-9._/-]/g, '_').slice(0, 55);
  const codeOf = (part: number | null, suffix = '') => {
    if (own) return part === null ? own : `${own}.${part + 1}`;
    return ownId === null
      ? fallbackCode(`${source}-${layer}`.replace(/-$/, ''), identity(part).slice(1), null, suffix)
      : fallbackCode(`${source}-${layer}`.replace(/-$/, ''), ownId, part, suffix);
  };
  const recode = own ? undefined : (part: number | null) => (suffix: string) => codeOf(part, suffix);
  // Stored as text: an id with a NUL (or cut inside a surrogate pair) must not fail the commit.
  const refOf = (part: number | null) => storableText(`${source}:${layer}${identity(part)}${part === null || ownId === null ? '' : `#${part + 1}`}`.slice(0, 200));
  /** What every row made of this feature (or of one part of it) carries: where it came from and who it is. */
  const rowOf = (part: number | null) => ({ ...base, part, code: codeOf(part), recode: recode?.(part), ref: refOf(part) });

  if (lines.length) {
    // The api's rules for what a segment stores: refused here, the commit never meets it.
    const textReasons = storedTextReasons('segment', mapped);
    return lines.map((coordinates, i) => {
      const part = multi ? i : null;
      const checked = checkLineString({ type: 'LineString', coordinates: coordinates.map(round7) }, region);
      // Both ends would snap to one node: a loop or a stub shorter than the tolerance cannot be a span.
      if (checked.line && endsWithinTolerance(coordinates, settings.snapToleranceM)) {
        return {
          ...rowOf(part),
          kind: 'segment' as const,
          action: 'reject' as const,
          reasons: [...textReasons, 'ends_within_snap_tolerance'],
        };
      }
      return {
        ...rowOf(part),
        kind: 'segment' as const,
        action: checked.line && !textReasons.length ? ('create' as const) : ('reject' as const),
        reasons: [...textReasons, ...checked.problems.map((p) => p.code)],
        geometry: checked.line ?? undefined,
      };
    });
  }
  if (points.length) {
    const textReasons = storedTextReasons('node', mapped);
    return points.map((coordinates, i) => {
      const part = multi ? i : null;
      const checked = checkPoint({ type: 'Point', coordinates: round7(coordinates) }, region);
      return {
        ...rowOf(part),
        kind: 'node' as const,
        action: checked.point && !textReasons.length ? ('create' as const) : ('reject' as const),
        reasons: [...textReasons, ...checked.problems.map((p) => p.code)],
        geometry: checked.point ?? undefined,
      };
    });
  }
  return [{ ...base, part: null, kind: 'segment', code: codeOf(null), ref: refOf(null), action: 'reject', reasons: [`unsupported_geometry:${geometry.type}`] }];
}
