import { z } from 'zod';

/**
 * The rules of the text and numbers Serat stores, in one place: the api's request schemas and the
 * import's dry run both read them here, so that a file cannot store what a form may not (a
 * 100,000-character node name), and a dry run refuses what the commit would fail on.
 */

/** Longest text per field, in characters (the columns are text or varchar of these lengths). */
export const TEXT_MAX = {
  /** nodes.code, segments.code, sites.code: varchar(60). */
  code: 60,
  nodeName: 200,
  siteName: 200,
  siteShortName: 60,
  cableType: 120,
  contractor: 200,
  statusNote: 2000,
  /** Why a site or segment joins or leaves a phase (phase_scope_changes.reason). */
  scopeReason: 1000,
  phaseCode: 40,
  phaseName: 200,
  phaseDescription: 4000,
  milestoneCode: 40,
  milestoneTitle: 300,
  milestoneDescription: 4000,
  /** A review, a reply, or the note of a manual completion. */
  reviewBody: 8000,
} as const;

/** Cores in one cable. */
export const CORE_COUNT = { min: 1, max: 10000 } as const;

/** The largest integer and bigint PostgreSQL stores: versions, counts and offsets are integer (int4), audit ids bigint (int8). */
export const INT4_MAX = 2_147_483_647;
export const INT8_MAX = 9_223_372_036_854_775_807n;

/** A UTF-16 surrogate without its other half: JavaScript strings may hold one, UTF-8 and jsonb cannot. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
const NUL = String.fromCharCode(0);

/**
 * Whether PostgreSQL can store this text: no NUL (refused in text and jsonb) and no unpaired
 * surrogate (refused in jsonb, silently replaced in text). No person types either; they come from
 * broken encoders and from probes.
 */
export function isStorableText(text: string): boolean {
  return !text.includes(NUL) && !LONE_SURROGATE.test(text);
}

/** The text with each character PostgreSQL cannot store replaced by U+FFFD: for what is only shown (samples, ids in a report). */
export function storableText(text: string): string {
  return isStorableText(text) ? text : text.replaceAll(NUL, '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
}

/** The problem code of a text that cannot be stored, in an api answer's details and an import report. */
export const TEXT_INVALID_CHARACTERS = 'text_invalid_characters';

/**
 * A string that can be stored; trim it and bound it as the field needs. The issue carries its
 * problem code in `params.problem`, which the api translates.
 */
export function storableString() {
  return z.string().refine(isStorableText, { error: 'contains a NUL character or an unpaired UTF-16 surrogate', params: { problem: TEXT_INVALID_CHARACTERS } });
}

/** A trimmed, storable text of at most `maxChars` characters: the shape of every free-text field. */
export function textField(maxChars: number) {
  return storableString().trim().max(maxChars);
}

/**
 * What is wrong with a value for a text field, by the same rules as textField (trimmed first):
 * `too_long`, `text_invalid_characters`, or null when it may be stored.
 */
export function textFieldProblem(value: string, maxChars: number): 'too_long' | typeof TEXT_INVALID_CHARACTERS | null {
  if (!isStorableText(value)) return TEXT_INVALID_CHARACTERS;
  return value.trim().length > maxChars ? 'too_long' : null;
}

/** A version as read by a client: a whole number an integer column can hold. */
export const versionNumber = () => z.number().int().min(1).max(INT4_MAX);
