import { composeErrors, DOMAIN_ERRORS, DomainErrorSpec, ErrorText, fillText, TEXT_MAX, type Language } from '@serat/domain';
import { STATUS_LABELS } from '@serat/contract';
import { NETWORK_STATUSES, NODE_KINDS, SITE_KINDS } from '@serat/vocabulary';
import type { Request } from 'express';
import { API_ERRORS } from './api.errors';

/**
 * Every code an answer can carry, with what a person reads in Bahasa Indonesia (default) and
 * English: the features' own tables (DOMAIN_ERRORS, each with its HTTP status) and the api's.
 */
export const ERROR_MESSAGES = composeErrors(DOMAIN_ERRORS, API_ERRORS);

export type ErrorCode = keyof typeof ERROR_MESSAGES;
export type { Language };

/** Bahasa Indonesia unless the client prefers English over Indonesian. */
export function languageOf(request: Pick<Request, 'headers'>): Language {
  const header = String(request.headers['accept-language'] ?? '');
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { lang: tag.split('-')[0], q: q ? Number(q.trim().slice(2)) : 1, index };
    })
    .filter((entry) => entry.lang === 'id' || entry.lang === 'en')
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.lang === 'en' ? 'en' : 'id';
}

/**
 * Field problems Serat names itself, by code: checks made before the schemas (requestTextMiddleware)
 * and zod issues that carry the code in `params.problem` (the rules of @serat/domain).
 */
export const FIELD_PROBLEMS: Record<string, { id: string; en: string }> = {
  text_invalid_characters: {
    id: 'berisi karakter yang tidak dapat disimpan (NUL atau surrogate UTF-16 tanpa pasangan)',
    en: 'contains a character that cannot be stored (NUL or an unpaired UTF-16 surrogate)',
  },
  percent_encoding_invalid: { id: 'kode persen (%XX) tidak sah atau bukan UTF-8', en: 'invalid percent-encoding (%XX), or not UTF-8' },
  cursor_out_of_range: { id: 'di luar rentang penanda halaman yang mungkin', en: 'is outside the range any page cursor can have' },
  // The filter of the inventory list and the exports (apps/api/src/map/inventory-query.ts).
  area_code_invalid: { id: 'harus kode kecamatan atau desa, misalnya 62.02.05 atau 62.02.05.2001', en: 'must be a kecamatan or desa code like 62.02.05 or 62.02.05.2001' },
  status_unknown: { id: `berisi status yang tidak dikenal; gunakan ${NETWORK_STATUSES.join(', ')}`, en: `names an unknown status; use ${NETWORK_STATUSES.join(', ')}` },
  node_kind_unknown: { id: `berisi jenis titik yang tidak dikenal; gunakan ${NODE_KINDS.join(', ')}`, en: `names an unknown node kind; use ${NODE_KINDS.join(', ')}` },
  site_kind_unknown: { id: `berisi jenis lokasi yang tidak dikenal; gunakan ${SITE_KINDS.join(', ')}`, en: `names an unknown site kind; use ${SITE_KINDS.join(', ')}` },
  tile_outside_grid: { id: 'di luar kisi ubin pada zoom ini (harus kurang dari 2^z)', en: 'is outside the grid at this zoom (must be less than 2^z)' },
  kind_unknown: {
    id: `berisi jenis yang tidak dikenal; gunakan ${[...NODE_KINDS, ...SITE_KINDS].join(', ')}`,
    en: `names an unknown kind; use ${[...NODE_KINDS, ...SITE_KINDS].join(', ')}`,
  },
};

/**
 * The api's own field messages (written in English in its schemas, as zod's `error` option), in Bahasa
 * Indonesia. A test reads the schemas and fails for a message missing here.
 */
export const SCHEMA_MESSAGES_ID: Readonly<Record<string, string>> = {
  'attach at least one photo or scan': 'lampirkan minimal satu foto atau pindaian',
  'is not a job id': 'bukan id tugas',
  'must be the cursor from `next`': 'harus kursor dari `next`',
  'is past the largest entry id': 'melewati id catatan terbesar',
  'is the id of an entry (from `next`)': 'harus id sebuah catatan (dari `next`)',
  'must be a Kemendagri code like 62.02.05': 'harus kode Kemendagri, misalnya 62.02.05',
  'must be a date YYYY-MM-DD': 'harus tanggal TTTT-BB-HH',
  'must be empty (the region) or the code of the kabupaten or a kecamatan, like 62.02.05': 'harus kosong (seluruh wilayah) atau kode kabupaten atau kecamatan, misalnya 62.02.05',
  'must be the Kemendagri code of an area, like 62.02.05': 'harus kode Kemendagri sebuah wilayah, misalnya 62.02.05',
  'name at least one site or segment': 'sebutkan sedikitnya satu lokasi atau segmen',
  'must be a kecamatan or desa code like 62.02.05': 'harus kode kecamatan atau desa, misalnya 62.02.05',
  'is the `next` of the previous page': 'harus berupa `next` dari halaman sebelumnya',
  'must be a kecamatan code like 62.02.05': 'harus kode kecamatan, misalnya 62.02.05',
  'must be 3-40 letters, digits, dots, dashes or underscores': 'harus 3–40 huruf, angka, titik, tanda hubung atau garis bawah',
  'name at least one field to change': 'sebutkan paling sedikit satu isian yang diubah',
  'is an entity type like segment, node, user': 'harus jenis entitas, misalnya segment, node, user',
  'from must be before to': '`from` harus sebelum `to`',
  'is the id of an event of this feed': 'harus id sebuah peristiwa dari umpan ini',
  'must be a Kemendagri code like 62.02 or 62.02.05': 'harus kode Kemendagri, misalnya 62.02 atau 62.02.05',
  'must be the code of an area (from `next`)': 'harus kode sebuah wilayah (dari `next`)',
  [`must be 1-${TEXT_MAX.code} letters, digits, . _ / -`]: `harus 1–${TEXT_MAX.code} huruf, angka, . _ / -`,
  [`must be 1-${TEXT_MAX.phaseCode} letters, digits, . _ / -`]: `harus 1–${TEXT_MAX.phaseCode} huruf, angka, . _ / -`,
};

export function fieldProblemText(problem: string, language: Language): string {
  return FIELD_PROBLEMS[problem]?.[language] ?? problem;
}

/** The message for a code in a language, with {name} filled from the error details. */
/** Details that name a status: the message says it in the reader's words ("Diuji", not "tested"); the details keep the code. */
const STATUS_DETAILS = new Set(['status', 'from', 'to', 'current', 'requested']);

export function messageFor(code: ErrorCode, language: Language, details?: unknown): string {
  const raw = (details && typeof details === 'object' ? details : {}) as Record<string, unknown>;
  const labels: Readonly<Record<string, string>> = STATUS_LABELS[language];
  const values = Object.fromEntries(
    Object.entries(raw).map(([name, value]) => [name, STATUS_DETAILS.has(name) && typeof value === 'string' && Object.hasOwn(labels, value) ? labels[value] : value]),
  );
  const extra = typeof values.maxMb === 'number' ? { maxMbText: language === 'id' ? ` (maksimal ${values.maxMb} MB)` : ` (at most ${values.maxMb} MB)` } : { maxMbText: '' };
  const spec: ErrorText & Pick<DomainErrorSpec, 'explain'> = ERROR_MESSAGES[code];
  const base = fillText(spec[language], { ...extra, ...values });
  const explained = spec.explain?.(raw, language);
  return explained === undefined ? base : `${base} ${explained}`;
}
