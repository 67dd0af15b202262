/**
 * The attribute form's rules, apart from its drawing: which fields a segment, node or site has,
 * how typed text is read (the way the api will read it), what changed, and how my changes and
 * someone else's newer version compare after a 409. Pure functions: component tests check them
 * without a page.
 */
import { ApiError, type Editable, type EditableRecord } from '../../shared/api';
import { formatNumber, formatRupiah } from '../../shared/format';
import { getLang, nodeKindLabel, ownerLabel, placementLabel, siteKindLabel, t as sharedT, tierLabel } from '../../shared/i18n';
import { fieldLabelKey, t, type EditorKey } from './editor.i18n';
import { NODE_KINDS, NODE_OWNERS, SEGMENT_PLACEMENTS, SEGMENT_TIERS, SITE_KINDS } from '../../shared/vocabulary';

export type Value = string | number | null;
export type Values = Record<string, Value>;

export interface FieldSpec {
  key: string;
  label: EditorKey;
  kind: 'text' | 'integer' | 'decimal' | 'select';
  /** Empty means null (else the field is required). */
  nullable: boolean;
  options?: () => Array<[value: string, label: string]>;
  /** For select fields: how a stored value reads (also one no longer offered). */
  valueLabel?: (value: string) => string;
  maxLength?: number;
  min?: number;
  max?: number;
  code?: boolean;
  hint?: EditorKey;
  placeholder?: EditorKey;
  money?: boolean;
}

/** The api's rule for codes (network-edit.controller.ts). */
const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,59}$/;

const choices = (values: readonly string[], label: (value: string) => string) => (): Array<[string, string]> => values.map((v) => [v, label(v)]);

export function fieldsOf(subject: Editable, phases: () => Array<{ id: string; name: string }>): FieldSpec[] {
  const code: FieldSpec = { key: 'code', label: 'edit.field.code', kind: 'text', nullable: false, code: true, maxLength: 60, hint: 'edit.hint.code' };
  const phase: FieldSpec = {
    key: 'phaseId',
    label: 'edit.field.phaseId',
    kind: 'select',
    nullable: true,
    options: () => phases().map((p): [string, string] => [p.id, p.name]),
    valueLabel: (id) => phases().find((p) => p.id === id)?.name ?? t('edit.phaseUnknown'),
  };
  if (subject === 'segment') {
    return [
      code,
      { key: 'tier', label: 'edit.field.tier', kind: 'select', nullable: false, options: choices(SEGMENT_TIERS, tierLabel), valueLabel: tierLabel },
      { key: 'placement', label: 'edit.field.placement', kind: 'select', nullable: false, options: choices(SEGMENT_PLACEMENTS, placementLabel), valueLabel: placementLabel },
      { key: 'cableType', label: 'edit.field.cableType', kind: 'text', nullable: true, maxLength: 120, placeholder: 'edit.hint.cableType' },
      { key: 'coreCount', label: 'edit.field.coreCount', kind: 'integer', nullable: true, min: 1, max: 10000 },
      phase,
      { key: 'contractor', label: 'edit.field.contractor', kind: 'text', nullable: true, maxLength: 200 },
      { key: 'slackM', label: 'edit.field.slackM', kind: 'decimal', nullable: true, min: 0, max: 100000 },
    ];
  }
  if (subject === 'node') {
    return [
      code,
      { key: 'name', label: 'edit.field.name', kind: 'text', nullable: true, maxLength: 200 },
      { key: 'kind', label: 'edit.field.kind', kind: 'select', nullable: false, options: choices(NODE_KINDS, nodeKindLabel), valueLabel: nodeKindLabel },
      { key: 'owner', label: 'edit.field.owner', kind: 'select', nullable: true, options: choices(NODE_OWNERS, ownerLabel), valueLabel: ownerLabel },
    ];
  }
  return [
    code,
    { key: 'name', label: 'edit.field.name', kind: 'text', nullable: false, maxLength: 200 },
    { key: 'shortName', label: 'edit.field.shortName', kind: 'text', nullable: true, maxLength: 60 },
    { key: 'kind', label: 'edit.field.kind', kind: 'select', nullable: false, options: choices(SITE_KINDS, siteKindLabel), valueLabel: siteKindLabel },
    phase,
    { key: 'costIdrPerMonth', label: 'edit.field.costIdrPerMonth', kind: 'integer', nullable: true, min: 0, max: 1e12, money: true },
  ];
}

/** A stored attribute as the form compares it: trimmed text, numbers as numbers, empty as null. */
export function normalise(spec: FieldSpec, raw: unknown): Value {
  if (raw === null || raw === undefined || raw === '') return null;
  if (spec.kind === 'integer' || spec.kind === 'decimal') {
    const number = typeof raw === 'number' ? raw : Number(raw);
    return Number.isFinite(number) ? number : null;
  }
  return String(raw);
}

export function valuesOf(specs: FieldSpec[], record: EditableRecord): Values {
  const values: Values = {};
  for (const spec of specs) values[spec.key] = normalise(spec, (record as unknown as Record<string, unknown>)[spec.key]);
  return values;
}

export type Parsed = { ok: true; value: Value } | { ok: false; problem: string };

/** What the person typed, read the way the api will read it, or the hint why it will not do. */
export function parseInput(spec: FieldSpec, text: string): Parsed {
  const trimmed = text.trim();
  if (!trimmed) return spec.nullable ? { ok: true, value: null } : { ok: false, problem: t('edit.problem.required') };
  if (spec.kind === 'text' || spec.kind === 'select') {
    if (spec.maxLength && trimmed.length > spec.maxLength) return { ok: false, problem: t('edit.problem.tooLong', { count: spec.maxLength }) };
    if (spec.code && !CODE_PATTERN.test(trimmed)) return { ok: false, problem: t('edit.problem.code') };
    return { ok: true, value: trimmed };
  }
  // Numbers as the reader writes them. Bahasa Indonesia: "7.000.000" for whole numbers, "12,5"
  // for decimals (plain "12.5" too). English: "7,000,000" and "12.5".
  const english = getLang() === 'en';
  const compact = trimmed.replace(/\s/g, '');
  let number: number;
  if (spec.kind === 'integer') {
    const grouped = english ? /^\d{1,3}(,\d{3})+$/ : /^\d{1,3}(\.\d{3})+$/;
    number = grouped.test(compact) ? Number(compact.replace(/[.,]/g, '')) : Number(compact);
    if (!Number.isFinite(number) || !(grouped.test(compact) || /^-?[\d.]+$/.test(compact))) return { ok: false, problem: t('edit.problem.number') };
    if (!Number.isInteger(number)) return { ok: false, problem: t('edit.problem.integer') };
  } else if (english) {
    const plain = /^-?\d{1,3}(,\d{3})+(\.\d*)?$/.test(compact) ? compact.replace(/,/g, '') : compact;
    number = Number(plain);
    if (!Number.isFinite(number) || !/^-?\d*\.?\d*$/.test(plain)) return { ok: false, problem: t('edit.problem.number') };
  } else {
    number = Number(compact.replace(',', '.'));
    if (!Number.isFinite(number) || !/^-?\d*[.,]?\d*$/.test(compact)) return { ok: false, problem: t('edit.problem.number') };
  }
  if ((spec.min !== undefined && number < spec.min) || (spec.max !== undefined && number > spec.max)) {
    return { ok: false, problem: t('edit.problem.range', { min: formatNumber(spec.min ?? 0), max: formatNumber(spec.max ?? 0) }) };
  }
  return { ok: true, value: number };
}

/** How a value reads in the form's input. */
export function inputText(spec: FieldSpec, value: Value): string {
  if (value === null) return '';
  if (spec.kind === 'decimal') return getLang() === 'en' ? String(value) : String(value).replace('.', ',');
  // Rupiah the way the reader writes them: 7.000.000 or 7,000,000 (read back by parseInput).
  if (spec.money && typeof value === 'number') return formatNumber(value);
  return String(value);
}

/** How a value reads in the comparison of a conflict. */
export function displayValue(spec: FieldSpec, value: Value): string {
  if (value === null) return sharedT('popup.empty');
  if (spec.kind === 'select') return spec.valueLabel ? spec.valueLabel(String(value)) : String(value);
  if (spec.money) return formatRupiah(Number(value));
  if (spec.kind === 'integer' || spec.kind === 'decimal') return formatNumber(Number(value), 2);
  return String(value);
}

/** A field problem the server named: `{field, problem}` of a 400, or the code of a duplicate. */
/** A field the server named, in the reader's language (its label), else as the api spells it. */
export function fieldName(field: string): string {
  const key = fieldLabelKey(field);
  return key ? t(key) : field;
}

export function serverFieldProblems(error: ApiError): { fields: Map<string, string>; rest: string[] } {
  const fields = new Map<string, string>();
  const rest: string[] = [];
  if (error.code === 'DUPLICATE_CODE') {
    fields.set('code', error.serverMessage ?? sharedT('error.http', { status: error.httpStatus ?? '?' }));
    return { fields, rest };
  }
  if (Array.isArray(error.details)) {
    for (const item of error.details as Array<{ field?: unknown; problem?: unknown }>) {
      const problem = typeof item?.problem === 'string' ? item.problem : null;
      if (!problem) continue;
      const field = typeof item.field === 'string' ? item.field.split('.')[0] : '';
      if (field && !fields.has(field)) fields.set(field, problem);
      else rest.push(field ? `${fieldName(field)}: ${problem}` : problem);
    }
  }
  return { fields, rest };
}

export function problemText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.serverMessage) return error.serverMessage;
    if (error.reason === 'network') return t('edit.offline');
    if (error.reason === 'invalid') return sharedT('error.invalid');
    return sharedT('error.http', { status: error.httpStatus ?? '?' });
  }
  return error instanceof Error ? error.message : String(error);
}

export type Operation = 'update' | 'delete' | 'decommission';

export interface Conflict {
  operation: Operation;
  /** The state on the server now. */
  theirs: EditableRecord;
  /** What the form was based on (the version read). */
  base: Values;
  /** Only the fields I changed, with my values. */
  changes: Values;
}

/** My changed fields: those whose value differs from the base they were read from. */
export function changedFrom(specs: FieldSpec[], base: Values, values: Values): Values {
  const changes: Values = {};
  for (const spec of specs) {
    if (spec.key in values && values[spec.key] !== base[spec.key]) changes[spec.key] = values[spec.key];
  }
  return changes;
}

/** A row of the comparison after a 409: a field that I, they, or both changed. */
export interface ComparedField {
  spec: FieldSpec;
  /** Their value now. */
  theirs: Value;
  /** My value, when I changed the field; null when I left it as read. */
  mine: { value: Value } | null;
  /** theirs: only they changed it; mine: only I did (or we agree); clash: we both did, differently. */
  change: 'theirs' | 'mine' | 'clash';
}

/** The form's fields that differ between what I read, what I changed and what the server holds now. */
export function compareFields(specs: FieldSpec[], conflict: Conflict): ComparedField[] {
  const theirs = valuesOf(specs, conflict.theirs);
  const rows: ComparedField[] = [];
  for (const spec of specs) {
    const key = spec.key;
    const mineChanged = key in conflict.changes;
    const theirsChanged = theirs[key] !== conflict.base[key];
    if (!mineChanged && !theirsChanged) continue;
    const change = mineChanged && theirsChanged && theirs[key] !== conflict.changes[key] ? 'clash' : mineChanged ? 'mine' : 'theirs';
    rows.push({ spec, theirs: theirs[key], mine: mineChanged ? { value: conflict.changes[key] } : null, change });
  }
  return rows;
}

/** "Mine on top": what to send on their version, my changed fields only where they differ from theirs. */
export function mineOnTop(specs: FieldSpec[], conflict: Conflict): Values {
  return changedFrom(specs, valuesOf(specs, conflict.theirs), conflict.changes);
}
