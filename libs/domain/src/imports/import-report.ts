import { lineLengthM, ParsedImport } from '@serat/geo';
import type { LineString } from 'geojson';
import { storableText } from '../shared/field-rules';
import type { ImportAnalysis } from './import-analysis';
import type { PlanAction, PlanItem } from './import-plan';

/** What an import says about a file: the counts of its summary and a report row per feature. Pure. */

export interface ImportCounts {
  features: number;
  create: number;
  update: number;
  unchanged: number;
  reject: number;
  lengthM: number;
}

/** What is stored with an import: the counts, and what the file holds for mapping it. */
export interface ImportSummary extends ImportCounts {
  analysis: ImportAnalysis;
}

/** The counts over the plan and the features the file could not give at all (its problems, each a rejection). */
export function summarise(parsed: ParsedImport, plan: readonly PlanItem[], analysis: ImportAnalysis): ImportSummary {
  const count = (action: PlanAction) => plan.filter((p) => p.action === action).length;
  const lengthM = plan.filter((p) => p.kind === 'segment' && p.action !== 'reject' && p.geometry).reduce((total, p) => total + lineLengthM(p.geometry as LineString), 0);
  return {
    features: parsed.features.length + parsed.problems.length,
    create: count('create'),
    update: count('update'),
    unchanged: count('unchanged'),
    reject: count('reject') + parsed.problems.length,
    lengthM: Math.round(lengthM * 10) / 10,
    analysis,
  };
}

/** The counts of a summary, without the analysis (what a job reports, what goes into logs). */
export function counts({ analysis: _analysis, ...rest }: ImportSummary): ImportCounts {
  return rest;
}

/** The report: a row per planned feature (or part) and per feature the file could not give, in file order. */
export function reportRows(parsed: ParsedImport, plan: readonly PlanItem[]) {
  // Stored as jsonb, which takes no NUL nor lone surrogate: the file's own ids and words are shown with U+FFFD for them.
  const shown = (text: string | null) => (text === null ? null : storableText(text));
  const rows = plan.map((p) => ({
    index: p.index,
    sourceId: shown(p.sourceId),
    part: p.part,
    kind: p.kind,
    action: p.action,
    code: p.code,
    reasons: p.reasons,
    warnings: p.warnings,
  }));
  const problems = parsed.problems.map((p) => ({
    index: p.index,
    sourceId: shown(p.sourceId),
    part: null,
    kind: null,
    action: 'reject',
    code: null,
    reasons: [p.code],
    warnings: [],
    message: storableText(p.message),
  }));
  return [...rows, ...problems].sort((a, b) => a.index - b.index || (a.part ?? 0) - (b.part ?? 0));
}
