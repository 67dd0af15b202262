/**
 * The milestone form's rules, apart from its drawing: which fields a criterion asks for, how the
 * typed values become the body of POST /api/milestones (or a PATCH), the obvious mistakes caught
 * before sending, and where the server's problems go (a field beside its control, the rest on
 * top). Pure functions, so they are tested without a page; the server has the last word.
 */
import {
  DEFAULT_MILESTONE_EVIDENCE,
  MILESTONE_EVIDENCE_KINDS,
  type Milestone,
  type MilestoneCategory,
  type MilestoneCriterion,
  type MilestoneEvidenceKind,
} from '../../../../../libs/contract/src';
import type { SiteKind } from '../../../../../libs/vocabulary/src/network-vocabulary';
import { ApiError } from '../../shared/api';
import type { Lang } from '../../shared/i18n';
import type { MilestonesKey } from './milestones.i18n';

/** What the form holds: text as typed ('' for nothing chosen), the evidence as ticked. */
export interface MilestoneFormValues {
  code: string;
  title: string;
  description: string;
  category: MilestoneCategory;
  criterion: MilestoneCriterion;
  targetDate: string;
  phaseId: string;
  /** km_active: the kabupaten's or a kecamatan's Kemendagri code. */
  areaCode: string;
  targetValue: string;
  siteKind: SiteKind | '';
  requiredEvidence: MilestoneEvidenceKind[];
}

/** The body of POST /api/milestones (and, with `version`, of the PATCH). */
export interface MilestoneBody {
  code: string;
  title: string;
  description: string | null;
  category: MilestoneCategory;
  phaseId: string | null;
  areaCode: string | null;
  targetDate: string;
  criterion: MilestoneCriterion;
  targetValue: number | null;
  siteKind: SiteKind | null;
  requiredEvidence: MilestoneEvidenceKind[];
}

export type MilestoneField = keyof MilestoneFormValues;

/** The fields that only some criteria have (the others are always there). */
export interface CriterionFields {
  phase: boolean;
  targetValue: 'percent' | 'km' | null;
  siteKind: boolean;
  area: boolean;
  /** Evidence of each segment in scope: a manual milestone has no segments, it stands on what is attached. */
  evidence: boolean;
}

export function criterionFields(criterion: MilestoneCriterion): CriterionFields {
  switch (criterion) {
    case 'sites_connected':
      return { phase: true, targetValue: 'percent', siteKind: true, area: false, evidence: true };
    case 'km_active':
      return { phase: false, targetValue: 'km', siteKind: false, area: true, evidence: true };
    case 'segments_tested':
      return { phase: true, targetValue: null, siteKind: false, area: false, evidence: true };
    case 'manual':
      return { phase: false, targetValue: null, siteKind: false, area: false, evidence: false };
  }
}

/** The evidence a category asks for by default, in the contract's order. */
export function defaultEvidence(category: MilestoneCategory): MilestoneEvidenceKind[] {
  return MILESTONE_EVIDENCE_KINDS.filter((kind) => DEFAULT_MILESTONE_EVIDENCE[category].includes(kind));
}

export function emptyForm(): MilestoneFormValues {
  return {
    code: '',
    title: '',
    description: '',
    category: 'construction',
    criterion: 'sites_connected',
    targetDate: '',
    phaseId: '',
    areaCode: '',
    targetValue: '',
    siteKind: '',
    requiredEvidence: defaultEvidence('construction'),
  };
}

/** A number as the reader writes it: "12,5" in Bahasa Indonesia, "12.5" in English. */
export function numberText(value: number, lang: Lang): string {
  const text = String(value);
  return lang === 'id' ? text.replace('.', ',') : text;
}

/**
 * A typed target value, or null when it is not a number. A decimal comma or point either way
 * (phones offer one or the other); thousands are not grouped in a target, so "1.5" is 1.5.
 */
export function parseNumber(text: string): number | null {
  const compact = text.trim().replace(/\s/g, '');
  if (!/^\d+([.,]\d+)?$/.test(compact)) return null;
  const value = Number(compact.replace(',', '.'));
  return Number.isFinite(value) ? value : null;
}

/** The form prefilled from a stored milestone (to change it). */
export function formOf(milestone: Milestone, lang: Lang): MilestoneFormValues {
  return {
    code: milestone.code,
    title: milestone.title,
    description: milestone.description ?? '',
    category: milestone.category,
    criterion: milestone.criterion,
    targetDate: milestone.targetDate,
    phaseId: milestone.phaseId ?? '',
    areaCode: milestone.areaCode ?? '',
    targetValue: milestone.targetValue === null ? '' : numberText(milestone.targetValue, lang),
    siteKind: milestone.siteKind ?? '',
    requiredEvidence: MILESTONE_EVIDENCE_KINDS.filter((kind) => milestone.requiredEvidence.includes(kind)),
  };
}

/**
 * A new category: the evidence becomes that category's default, unless the planner had already
 * chosen other evidence than the old category's default (their choice stays).
 */
export function withCategory(values: MilestoneFormValues, category: MilestoneCategory): MilestoneFormValues {
  const wasDefault = sameKinds(values.requiredEvidence, defaultEvidence(values.category));
  return { ...values, category, requiredEvidence: wasDefault ? defaultEvidence(category) : values.requiredEvidence };
}

function sameKinds(a: readonly MilestoneEvidenceKind[], b: readonly MilestoneEvidenceKind[]): boolean {
  return a.length === b.length && a.every((kind) => b.includes(kind));
}

/** The obvious mistakes, by field (a text key each): what is required and missing, a target that is no number. */
export function checkForm(values: MilestoneFormValues): Map<MilestoneField, MilestonesKey> {
  const problems = new Map<MilestoneField, MilestonesKey>();
  const shown = criterionFields(values.criterion);
  if (!values.code.trim()) problems.set('code', 'mform.required');
  if (!values.title.trim()) problems.set('title', 'mform.required');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.targetDate)) problems.set('targetDate', 'mform.date');
  if (shown.phase && !values.phaseId) problems.set('phaseId', 'mform.chooseOne');
  if (shown.area && !values.areaCode) problems.set('areaCode', 'mform.chooseOne');
  if (shown.targetValue) {
    if (!values.targetValue.trim()) problems.set('targetValue', 'mform.required');
    else if (parseNumber(values.targetValue) === null) problems.set('targetValue', 'mform.number');
  }
  return problems;
}

/**
 * What is sent: every field, those the criterion does not use as null (a milestone changed from
 * km active to manual loses its area and target), text trimmed. The range of a target value is
 * the server's to judge (its message goes beside the field).
 */
export function requestBody(values: MilestoneFormValues): MilestoneBody {
  const shown = criterionFields(values.criterion);
  const description = values.description.trim();
  return {
    code: values.code.trim(),
    title: values.title.trim(),
    description: description || null,
    category: values.category,
    phaseId: shown.phase && values.phaseId ? values.phaseId : null,
    areaCode: shown.area && values.areaCode ? values.areaCode : null,
    targetDate: values.targetDate,
    criterion: values.criterion,
    targetValue: shown.targetValue ? parseNumber(values.targetValue) : null,
    siteKind: shown.siteKind && values.siteKind ? values.siteKind : null,
    requiredEvidence: shown.evidence ? MILESTONE_EVIDENCE_KINDS.filter((kind) => values.requiredEvidence.includes(kind)) : defaultEvidence(values.category),
  };
}

/** Where the server's domain errors belong in the form (their message is already in the reader's language). */
const FIELD_OF_CODE: Record<string, string> = {
  DUPLICATE_CODE: 'code',
  MILESTONE_NEEDS_PHASE: 'phaseId',
  PHASE_UNKNOWN: 'phaseId',
  MILESTONE_TARGET_VALUE: 'targetValue',
  MILESTONE_NEEDS_AREA: 'areaCode',
  MILESTONE_AREA_LEVEL: 'areaCode',
  AREA_UNKNOWN: 'areaCode',
  MILESTONE_DONE_IN_FUTURE: 'doneOn',
  MILESTONE_EVIDENCE_REQUIRED: 'photos',
};

/** The api's names for fields that the form calls otherwise. */
const FORM_FIELD: Record<string, string> = { photoIds: 'photos' };

export interface ServerProblems {
  /** By the form's field name: the server's words for it. */
  fields: Map<string, string>;
  /** What goes on top: the server's general message, and problems of fields the form does not show. */
  general: string[];
  /** 409 on a version: someone else changed it since it was read. */
  conflict: boolean;
}

/**
 * The server's answer laid out on the form: a validation failure's details beside their fields,
 * a domain error that names one field beside it, the general message on top. `shown` are the
 * fields the form has on screen; a problem with any other goes on top, named.
 */
export function serverProblems(error: ApiError, shown: ReadonlySet<string>, fieldLabel: (field: string) => string): ServerProblems {
  const fields = new Map<string, string>();
  const general: string[] = [];
  const message = error.serverMessage;
  if (error.code === 'VERSION_CONFLICT') return { fields, general: message ? [message] : [], conflict: true };
  const named = error.code ? FIELD_OF_CODE[error.code] : undefined;
  if (named && message && shown.has(named)) {
    fields.set(named, message);
    return { fields, general, conflict: false };
  }
  if (message) general.push(message);
  if (Array.isArray(error.details)) {
    for (const item of error.details as Array<{ field?: unknown; problem?: unknown }>) {
      const problem = typeof item?.problem === 'string' ? item.problem : null;
      if (!problem) continue;
      const api = typeof item.field === 'string' ? item.field.split('.')[0] : '';
      const field = FORM_FIELD[api] ?? api;
      if (field && shown.has(field) && !fields.has(field)) fields.set(field, problem);
      else if (!fields.has(field)) general.push(field ? `${fieldLabel(field)}: ${problem}` : problem);
    }
  }
  return { fields, general, conflict: false };
}

/** The fields the form shows for these values (where a server problem can be put). */
export function shownFields(values: MilestoneFormValues): Set<string> {
  const shown = criterionFields(values.criterion);
  const fields = new Set<string>(['code', 'title', 'description', 'category', 'criterion', 'targetDate']);
  if (shown.phase) fields.add('phaseId');
  if (shown.area) fields.add('areaCode');
  if (shown.targetValue) fields.add('targetValue');
  if (shown.siteKind) fields.add('siteKind');
  if (shown.evidence) fields.add('requiredEvidence');
  return fields;
}

export interface CompletionValues {
  doneOn: string;
  note: string;
  /** Files chosen on the device. */
  photos: number;
}

/** The obvious mistakes of "record done": a day (not after `today`, the region's), a note, a photo. */
export function checkCompletion(values: CompletionValues, today: string): Map<'doneOn' | 'note' | 'photos', MilestonesKey> {
  const problems = new Map<'doneOn' | 'note' | 'photos', MilestonesKey>();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.doneOn)) problems.set('doneOn', 'mform.date');
  else if (values.doneOn > today) problems.set('doneOn', 'done.future');
  if (!values.note.trim()) problems.set('note', 'mform.required');
  if (values.photos === 0) problems.set('photos', 'done.photosRequired');
  return problems;
}
