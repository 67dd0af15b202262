import type { ImportedFeature, ImportProperties } from '@serat/geo';
import { z } from 'zod';
import { NETWORK_STATUSES, NetworkStatus, NODE_KINDS, NodeKind, SEGMENT_PLACEMENTS, SEGMENT_TIERS, SegmentPlacement, SegmentTier } from '../network/network-vocabulary';

/**
 * Which property of the file feeds which Serat field. Each field names candidate property names,
 * tried in order (case-insensitively); values are then translated (statuses, placements).
 */
export const mappingSchema = z.object({
  code: z.array(z.string().max(80)).max(20).optional(),
  name: z.array(z.string().max(80)).max(20).optional(),
  status: z.array(z.string().max(80)).max(20).optional(),
  coreCount: z.array(z.string().max(80)).max(20).optional(),
  cableType: z.array(z.string().max(80)).max(20).optional(),
  placement: z.array(z.string().max(80)).max(20).optional(),
  nodeKind: z.array(z.string().max(80)).max(20).optional(),
  /** Extra words for statuses and placements, e.g. { "Existing": "active" }. */
  statusValues: z.record(z.string().max(80), z.enum(NETWORK_STATUSES)).optional(),
  placementValues: z.record(z.string().max(80), z.enum(SEGMENT_PLACEMENTS)).optional(),
});
export type ImportMapping = z.infer<typeof mappingSchema>;

export const DEFAULT_MAPPING: Required<Pick<ImportMapping, 'code' | 'name' | 'status' | 'coreCount' | 'cableType' | 'placement' | 'nodeKind'>> = {
  code: ['code', 'kode', 'id_segmen', 'segment_id', 'span_id', 'cable_id', 'fid_code'],
  name: ['name', 'nama', 'label', 'title'],
  status: ['status', 'state', 'kondisi', 'stage', 'tahap'],
  coreCount: ['cores', 'core', 'core_count', 'corecount', 'jumlah_core', 'fibers', 'fiber_count', 'fibre_count', 'strands'],
  cableType: ['cable_type', 'cabletype', 'jenis_kabel', 'cable', 'type_cable'],
  placement: ['placement', 'penempatan', 'installation', 'install_type', 'method'],
  nodeKind: ['kind', 'jenis', 'node_type', 'type'],
};

/** Common words for statuses in files seen in practice (English, Indonesian, OFDS), lower case. */
const STATUS_WORDS: Record<string, NetworkStatus> = {
  planned: 'planned', plan: 'planned', proposed: 'planned', rencana: 'planned', direncanakan: 'planned', design: 'planned',
  surveyed: 'surveyed', survey: 'surveyed', disurvei: 'surveyed',
  'in construction': 'in_construction', 'under construction': 'in_construction', underconstruction: 'in_construction', construction: 'in_construction', konstruksi: 'in_construction', 'dalam konstruksi': 'in_construction', pembangunan: 'in_construction',
  installed: 'installed', terpasang: 'installed', built: 'installed',
  spliced: 'spliced', disambung: 'spliced',
  tested: 'tested', diuji: 'tested',
  active: 'active', aktif: 'active', operational: 'active', existing: 'active', 'in service': 'active', live: 'active', beroperasi: 'active',
  damaged: 'damaged', rusak: 'damaged', fault: 'damaged', putus: 'damaged',
  decommissioned: 'decommissioned', abandoned: 'decommissioned', removed: 'decommissioned', dinonaktifkan: 'decommissioned',
};

const PLACEMENT_WORDS: Record<string, SegmentPlacement> = {
  aerial: 'aerial', udara: 'aerial', overhead: 'aerial', pole: 'aerial', tiang: 'aerial',
  underground: 'underground', tanam: 'underground', buried: 'underground', 'tanam langsung': 'underground',
  duct: 'duct', conduit: 'duct', hdpe: 'duct', pipa: 'duct',
  'river crossing': 'river_crossing', river_crossing: 'river_crossing', submarine: 'river_crossing', 'bawah laut': 'river_crossing', sungai: 'river_crossing',
};

const NODE_WORDS: Record<string, NodeKind> = {
  noc: 'noc', olt: 'olt', odc: 'odc', odp: 'odp', 'joint closure': 'joint_closure', joint_closure: 'joint_closure', jc: 'joint_closure', closure: 'joint_closure',
  handhole: 'handhole', hh: 'handhole', manhole: 'handhole', pole: 'pole', tiang: 'pole', termination: 'termination', ont: 'termination', site: 'termination',
};

function pick(properties: ImportProperties, candidates: string[] | undefined): string | null {
  if (!candidates) return null;
  const byLower = new Map(Object.entries(properties).map(([key, value]) => [key.toLowerCase(), value]));
  for (const candidate of candidates) {
    const value = byLower.get(candidate.toLowerCase());
    if (value !== null && value !== undefined && String(value).trim() !== '') return String(value).trim();
  }
  return null;
}

export interface MappedFields {
  code: string | null;
  name: string | null;
  status: NetworkStatus | null;
  /** A status word the mapping could not translate (reported; the default status is used). */
  unknownStatus: string | null;
  coreCount: number | null;
  cableType: string | null;
  placement: SegmentPlacement | null;
  nodeKind: NodeKind | null;
  tier: SegmentTier | null;
}

/** Reads the Serat fields of one imported feature through a mapping (merged over the defaults). */
export function mapFeature(feature: Pick<ImportedFeature, 'properties'>, mapping: ImportMapping = {}): MappedFields {
  const m = { ...DEFAULT_MAPPING, ...mapping };
  const p = feature.properties;
  const statusText = pick(p, m.status);
  const statusWords = { ...STATUS_WORDS, ...Object.fromEntries(Object.entries(mapping.statusValues ?? {}).map(([k, v]) => [k.toLowerCase(), v])) };
  const status = statusText ? (statusWords[statusText.toLowerCase()] ?? (NETWORK_STATUSES.includes(statusText as NetworkStatus) ? (statusText as NetworkStatus) : null)) : null;
  const placementText = pick(p, m.placement);
  const placementWords = { ...PLACEMENT_WORDS, ...Object.fromEntries(Object.entries(mapping.placementValues ?? {}).map(([k, v]) => [k.toLowerCase(), v])) };
  const coreText = pick(p, m.coreCount);
  const cores = coreText ? Number.parseInt(coreText.replace(/[^0-9]/g, ''), 10) : Number.NaN;
  const kindText = pick(p, m.nodeKind);
  const tierText = pick(p, ['tier', 'level', 'jaringan']);
  return {
    code: pick(p, m.code),
    name: pick(p, m.name),
    status,
    unknownStatus: statusText && !status ? statusText : null,
    coreCount: Number.isFinite(cores) && cores > 0 && cores <= 10000 ? cores : null,
    cableType: pick(p, m.cableType),
    placement: placementText ? (placementWords[placementText.toLowerCase()] ?? null) : null,
    nodeKind: kindText ? (NODE_WORDS[kindText.toLowerCase()] ?? (NODE_KINDS.includes(kindText as NodeKind) ? (kindText as NodeKind) : null)) : null,
    tier: tierText && SEGMENT_TIERS.includes(tierText.toLowerCase() as SegmentTier) ? (tierText.toLowerCase() as SegmentTier) : null,
  };
}

/** Codes made for features without one: stable across re-imports of the same file. */
export function fallbackCode(prefix: string, sourceId: string | null, index: number, part: number | null): string {
  const id = (sourceId ?? String(index + 1)).replace(/[^A-Za-z0-9._/-]/g, '_').slice(0, 40);
  return `${prefix}-${id}${part === null ? '' : `.${part + 1}`}`.slice(0, 60);
}
