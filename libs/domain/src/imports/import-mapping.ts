import type { ImportedFeature } from '@serat/geo';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { NETWORK_STATUSES, NetworkStatus, NODE_KINDS, NodeKind, SEGMENT_PLACEMENTS, SEGMENT_TIERS, SegmentPlacement, SegmentTier } from '@serat/vocabulary';
import { CORE_COUNT, storableString, TEXT_MAX, textFieldProblem } from '../shared/field-rules';

/**
 * Which property of the file feeds which Serat field. Each field names candidate property names,
 * tried in order (case-insensitively); values are then translated (statuses, placements).
 */
/** A property name or a word of a file, as a mapping names it: text a template or an import's options can store. */
const mappedName = () => storableString().max(80);

export const mappingSchema = z.object({
  code: z.array(mappedName()).max(20).optional(),
  name: z.array(mappedName()).max(20).optional(),
  status: z.array(mappedName()).max(20).optional(),
  coreCount: z.array(mappedName()).max(20).optional(),
  cableType: z.array(mappedName()).max(20).optional(),
  placement: z.array(mappedName()).max(20).optional(),
  nodeKind: z.array(mappedName()).max(20).optional(),
  /** Extra words for statuses and placements, e.g. { "Existing": "active" }. */
  statusValues: z.record(mappedName(), z.enum(NETWORK_STATUSES)).optional(),
  placementValues: z.record(mappedName(), z.enum(SEGMENT_PLACEMENTS)).optional(),
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
  planned: 'planned',
  plan: 'planned',
  proposed: 'planned',
  rencana: 'planned',
  direncanakan: 'planned',
  design: 'planned',
  surveyed: 'surveyed',
  survey: 'surveyed',
  disurvei: 'surveyed',
  'in construction': 'in_construction',
  'under construction': 'in_construction',
  underconstruction: 'in_construction',
  construction: 'in_construction',
  konstruksi: 'in_construction',
  'dalam konstruksi': 'in_construction',
  pembangunan: 'in_construction',
  installed: 'installed',
  terpasang: 'installed',
  built: 'installed',
  spliced: 'spliced',
  disambung: 'spliced',
  tested: 'tested',
  diuji: 'tested',
  active: 'active',
  aktif: 'active',
  operational: 'active',
  existing: 'active',
  'in service': 'active',
  live: 'active',
  beroperasi: 'active',
  damaged: 'damaged',
  rusak: 'damaged',
  fault: 'damaged',
  putus: 'damaged',
  decommissioned: 'decommissioned',
  abandoned: 'decommissioned',
  removed: 'decommissioned',
  dinonaktifkan: 'decommissioned',
};

const PLACEMENT_WORDS: Record<string, SegmentPlacement> = {
  aerial: 'aerial',
  udara: 'aerial',
  overhead: 'aerial',
  pole: 'aerial',
  tiang: 'aerial',
  underground: 'underground',
  tanam: 'underground',
  buried: 'underground',
  'tanam langsung': 'underground',
  duct: 'duct',
  conduit: 'duct',
  hdpe: 'duct',
  pipa: 'duct',
  'river crossing': 'river_crossing',
  river_crossing: 'river_crossing',
  submarine: 'river_crossing',
  'bawah laut': 'river_crossing',
  sungai: 'river_crossing',
};

const NODE_WORDS: Record<string, NodeKind> = {
  noc: 'noc',
  olt: 'olt',
  odc: 'odc',
  odp: 'odp',
  'joint closure': 'joint_closure',
  joint_closure: 'joint_closure',
  jc: 'joint_closure',
  closure: 'joint_closure',
  handhole: 'handhole',
  hh: 'handhole',
  manhole: 'handhole',
  pole: 'pole',
  tiang: 'pole',
  termination: 'termination',
  ont: 'termination',
  site: 'termination',
};

/** The Serat fields a file's properties can feed, in the order a planner sees them. */
export const MAPPED_FIELDS = ['code', 'name', 'status', 'coreCount', 'cableType', 'placement', 'nodeKind'] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

/** A property as the file spells it, and its value. */
type Entry = [key: string, value: unknown];

/**
 * The first non-empty value among the candidate property names, with the property it came from;
 * `byLower` maps lower-cased names to the file's own spelling and value.
 */
function pick(byLower: Map<string, Entry>, candidates: string[] | undefined): { text: string; from: string } | null {
  if (!candidates) return null;
  for (const candidate of candidates) {
    const entry = byLower.get(candidate.toLowerCase());
    if (!entry) continue;
    const [key, value] = entry;
    if (value !== null && value !== undefined && String(value).trim() !== '') return { text: String(value).trim(), from: key };
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
  /** A placement word the mapping could not translate (counted in the analysis; the default placement is used). */
  unknownPlacement: string | null;
  nodeKind: NodeKind | null;
  tier: SegmentTier | null;
  /** The property (as the file spells it) each field was read from, null where none had a value. */
  from: Record<MappedField, string | null>;
}

interface CompiledMapping {
  fields: typeof DEFAULT_MAPPING & ImportMapping;
  statusWords: Map<string, NetworkStatus>;
  placementWords: Map<string, SegmentPlacement>;
}

const NO_MAPPING: ImportMapping = {};
const NODE_WORD_MAP = new Map(Object.entries(NODE_WORDS));
/** A file's thousands of features share one mapping: its merged fields and word lists are made once. */
const compiled = new WeakMap<ImportMapping, CompiledMapping>();

function compile(mapping: ImportMapping): CompiledMapping {
  let found = compiled.get(mapping);
  if (!found) {
    const lower = <T>(words: Record<string, T> | undefined) => Object.entries(words ?? {}).map(([k, v]) => [k.toLowerCase(), v] as [string, T]);
    // Maps, not objects: a value such as "constructor" must not find Object.prototype.
    found = {
      fields: { ...DEFAULT_MAPPING, ...mapping },
      statusWords: new Map([...Object.entries(STATUS_WORDS), ...lower(mapping.statusValues)]),
      placementWords: new Map([...Object.entries(PLACEMENT_WORDS), ...lower(mapping.placementValues)]),
    };
    compiled.set(mapping, found);
  }
  return found;
}

/** Reads the Serat fields of one imported feature through a mapping (merged over the defaults). */
export function mapFeature(feature: Pick<ImportedFeature, 'properties'>, mapping: ImportMapping = NO_MAPPING): MappedFields {
  const { fields: m, statusWords, placementWords } = compile(mapping);
  // Built once per feature: the candidates of every field are looked up in it.
  const p = new Map<string, Entry>(Object.entries(feature.properties).map(([key, value]) => [key.toLowerCase(), [key, value]]));
  const code = pick(p, m.code);
  const name = pick(p, m.name);
  const statusText = pick(p, m.status);
  const status = statusText
    ? (statusWords.get(statusText.text.toLowerCase()) ?? (NETWORK_STATUSES.includes(statusText.text as NetworkStatus) ? (statusText.text as NetworkStatus) : null))
    : null;
  const placementText = pick(p, m.placement);
  const placement = placementText ? (placementWords.get(placementText.text.toLowerCase()) ?? null) : null;
  const coreText = pick(p, m.coreCount);
  const cores = coreText ? Number.parseInt(coreText.text.replace(/[^0-9]/g, ''), 10) : Number.NaN;
  const cableType = pick(p, m.cableType);
  const kindText = pick(p, m.nodeKind);
  const tierText = pick(p, ['tier', 'level', 'jaringan'])?.text;
  return {
    code: code?.text ?? null,
    name: name?.text ?? null,
    status,
    unknownStatus: statusText && !status ? statusText.text : null,
    coreCount: Number.isFinite(cores) && cores >= CORE_COUNT.min && cores <= CORE_COUNT.max ? cores : null,
    cableType: cableType?.text ?? null,
    placement,
    unknownPlacement: placementText && !placement ? placementText.text : null,
    nodeKind: kindText ? (NODE_WORD_MAP.get(kindText.text.toLowerCase()) ?? (NODE_KINDS.includes(kindText.text as NodeKind) ? (kindText.text as NodeKind) : null)) : null,
    tier: tierText && SEGMENT_TIERS.includes(tierText.toLowerCase() as SegmentTier) ? (tierText.toLowerCase() as SegmentTier) : null,
    from: {
      code: code?.from ?? null,
      name: name?.from ?? null,
      status: statusText?.from ?? null,
      coreCount: coreText?.from ?? null,
      cableType: cableType?.from ?? null,
      placement: placementText?.from ?? null,
      nodeKind: kindText?.from ?? null,
    },
  };
}

/**
 * Why a feature's text may not be stored, by the rules the api's forms follow (field-rules): the
 * reason codes of its report row, empty when all of it may be. A node stores its name, a segment
 * its cable type; codes are made safe before (fallbackCode), words are translated to Serat's own.
 */
export function storedTextReasons(kind: 'segment' | 'node', mapped: Pick<MappedFields, 'name' | 'cableType'>): string[] {
  const [field, value, maxChars, tooLong] =
    kind === 'node' ? (['name', mapped.name, TEXT_MAX.nodeName, 'name_too_long'] as const) : (['cableType', mapped.cableType, TEXT_MAX.cableType, 'cable_type_too_long'] as const);
  if (value === null) return [];
  const problem = textFieldProblem(value, maxChars);
  if (problem === 'too_long') return [tooLong];
  return problem ? [`${problem}:${field}`] : [];
}

/** Codes are at most this long (varchar(60) in nodes and segments). */
export const CODE_MAX = TEXT_MAX.code;
/** An id longer than this stands in a made-up code as a hash of it. */
const ID_MAX = 40;

/**
 * Codes made for features without one: stable across re-imports of the same file. What tells a
 * feature apart (its id, part number and `suffix`, e.g. `-2` for a repeated shape) is never cut:
 * the prefix (source and folder) is shortened to make room, and an id too long to keep is
 * replaced by 10 hex digits of its hash.
 */
export function fallbackCode(prefix: string, id: string, part: number | null, suffix = ''): string {
  const safe = id.replace(/[^A-Za-z0-9._/-]/g, '_');
  const ident = safe.length > ID_MAX ? createHash('sha256').update(id).digest('hex').slice(0, 10) : safe;
  const tail = `${ident}${part === null ? '' : `.${part + 1}`}${suffix}`;
  const head = prefix.slice(0, Math.max(0, CODE_MAX - 1 - tail.length)).replace(/-+$/, '');
  return (head ? `${head}-${tail}` : tail).slice(0, CODE_MAX);
}

/**
 * A code with a suffix (a segment end's `-A`), within CODE_MAX: a code too long for it keeps its
 * start and stands for the rest by 10 hex digits of a hash of it all, so two long codes alike at
 * the start do not meet.
 */
export function codeWithSuffix(code: string, suffix: string): string {
  if (code.length + suffix.length <= CODE_MAX) return `${code}${suffix}`;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 10);
  return `${code.slice(0, CODE_MAX - suffix.length - 11)}-${hash}${suffix}`;
}
