/**
 * The planner's choices in the mapping step, made from a dry run's analysis: per field the list of
 * properties to read it from (as the analysis used it until the planner chooses one column, or
 * none), and a Serat value (or the default) per status and placement word. Plain data and
 * functions; the store keeps one draft per analysed version of an import.
 */
import { IMPORT_FIELDS, type ImportAnalysis, type ImportField, type ImportMapping } from '../../../shared/api';
import { NETWORK_STATUSES, SEGMENT_PLACEMENTS } from '../../../shared/vocabulary';

export interface DraftWord {
  word: string;
  /** Features using it; null for a word the analysis' mapping named already. */
  count: number | null;
  /** A value of the vocabulary, or '' for the default. */
  value: string;
}

export interface MappingDraft {
  /** The import and version it was made from: a new analysis makes a new draft. */
  key: string;
  /**
   * What is sent per field: the analysis' own list (a template's or the options' several columns,
   * or the defaults when the mapping leaves the field out) until the planner chooses, then the
   * chosen column (`[]` for none).
   */
  fields: Record<ImportField, string[] | undefined>;
  /** The lists the analysis used, to go back to. */
  analysed: Record<ImportField, string[] | undefined>;
  statusWords: DraftWord[];
  placementWords: DraftWord[];
  /** The mapping as the analysis used it, to tell whether the planner changed something. */
  initial: string;
}

/** A mapping names properties and words in at most 80 characters (the api's mappingSchema). */
export const MAPPING_NAME_MAX = 80;

/** The select's value standing for "as the analysis read it" (several columns, or the defaults). */
export const ANALYSED = '\u0000analysed';

/**
 * A property name the analysis cut short ("…" at 80 characters): no feature has a column of that
 * name, so choosing it would read nothing.
 */
export function isCutName(name: string): boolean {
  return name.length >= MAPPING_NAME_MAX && name.endsWith('…');
}

export const draftKey = (job: { id: string; version?: number | null }) => `${job.id}:${job.version ?? ''}`;

export function draftMapping(draft: Pick<MappingDraft, 'fields' | 'statusWords' | 'placementWords'>): ImportMapping {
  const mapping: ImportMapping = {};
  // A field the planner left as analysed keeps the whole list (its other columns match the other
  // layers of the file); one left out by the analysis' mapping stays out (the defaults read it).
  for (const field of IMPORT_FIELDS) {
    const list = draft.fields[field];
    if (list) mapping[field] = [...list];
  }
  mapping.statusValues = chosenWords(draft.statusWords, NETWORK_STATUSES);
  mapping.placementValues = chosenWords(draft.placementWords, SEGMENT_PLACEMENTS);
  return mapping;
}

/** The words given a value of the vocabulary (the choice offers only those; none leaves the word to the default). */
function chosenWords<V extends string>(words: ReadonlyArray<{ word: string; value: string }>, vocabulary: readonly V[]): Record<string, V> {
  const chosen = (w: { word: string; value: string }): w is { word: string; value: V } => (vocabulary as readonly string[]).includes(w.value);
  return Object.fromEntries(words.filter(chosen).map((w) => [w.word, w.value]));
}

export function makeDraft(key: string, analysis: ImportAnalysis): MappingDraft {
  const fields = {} as Record<ImportField, string[] | undefined>;
  const analysed = {} as Record<ImportField, string[] | undefined>;
  for (const field of IMPORT_FIELDS) {
    const used = analysis.mapping?.[field];
    analysed[field] = Array.isArray(used) ? used.filter((name): name is string => typeof name === 'string') : undefined;
    fields[field] = analysed[field] ? [...analysed[field]] : undefined;
  }
  const words = (unknown: Array<{ value: string; count: number }> | undefined, mapped: Record<string, string> | undefined) => {
    const out: DraftWord[] = [];
    const seen = new Set<string>();
    for (const [word, value] of Object.entries(mapped ?? {})) {
      if (seen.has(word.toLowerCase())) continue;
      seen.add(word.toLowerCase());
      out.push({ word, count: null, value });
    }
    for (const { value: word, count } of unknown ?? []) {
      if (seen.has(word.toLowerCase()) || word.length > MAPPING_NAME_MAX) continue;
      seen.add(word.toLowerCase());
      out.push({ word, count, value: '' });
    }
    return out;
  };
  const draft: MappingDraft = {
    key,
    fields,
    analysed,
    statusWords: words(analysis.unrecognised?.status, analysis.mapping?.statusValues),
    placementWords: words(analysis.unrecognised?.placement, analysis.mapping?.placementValues),
    initial: '',
  };
  draft.initial = JSON.stringify(draftMapping(draft));
  return draft;
}

/** Whether the draft says something else than the analysis used: applying would not apply what was shown. */
export function draftChanged(draft: MappingDraft): boolean {
  return JSON.stringify(draftMapping(draft)) !== draft.initial;
}

/** The draft with one field's choice made in its select: back to the analysed list, one column, or none. */
export function chooseField(draft: MappingDraft, field: ImportField, value: string, shown: string): MappingDraft {
  const list = shown && value === shown ? (draft.analysed[field] ? [...draft.analysed[field]] : undefined) : value && !isCutName(value) ? [value] : [];
  return { ...draft, fields: { ...draft.fields, [field]: list } };
}

/** The draft with a Serat value (or '' for the default) for one status or placement word. */
export function chooseWord(draft: MappingDraft, kind: 'status' | 'placement', index: number, value: string): MappingDraft {
  const list = kind === 'status' ? 'statusWords' : 'placementWords';
  return { ...draft, [list]: draft[list].map((entry, i) => (i === index ? { ...entry, value } : entry)) };
}

/**
 * The select's value for a field: what the analysis read it from ("as analysed" for several
 * columns), until the planner chose one column, or none.
 */
export function analysedChoice(analysis: ImportAnalysis, field: ImportField): { found: string[]; shown: string } {
  const found = (analysis.fields?.[field] ?? []).map((f) => f?.property).filter((name): name is string => typeof name === 'string');
  return { found, shown: found.length === 1 ? found[0] : found.length ? ANALYSED : '' };
}

export function fieldValue(draft: MappingDraft, field: ImportField, shown: string): string {
  const list = draft.fields[field];
  const untouched = JSON.stringify(list) === JSON.stringify(draft.analysed[field]);
  return untouched ? shown : (list?.[0] ?? '');
}
