import { DOMAIN_ERRORS } from '@serat/domain';
import { API_ERRORS } from './api.errors';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ERROR_MESSAGES, FIELD_PROBLEMS, languageOf, messageFor, SCHEMA_MESSAGES_ID } from './messages';

/** Every .ts file of the api's source, tests left out. */
function apiSources(dir = path.join(__dirname, '..')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return apiSources(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [file] : [];
  });
}

describe('error messages', () => {
  it('speak Bahasa Indonesia unless the reader prefers English', () => {
    const lang = (value?: string) => languageOf({ headers: value === undefined ? {} : { 'accept-language': value } });
    expect(lang()).toBe('id');
    expect(lang('id-ID,id;q=0.9,en;q=0.8')).toBe('id');
    expect(lang('en-US,en;q=0.9')).toBe('en');
    expect(lang('en;q=0.5,id;q=0.9')).toBe('id');
    expect(lang('fr-FR,fr;q=0.9')).toBe('id');
    expect(lang('fr,en;q=0.8')).toBe('en');
  });

  it('have both languages for every code, and for every field problem Serat names', () => {
    for (const [code, texts] of Object.entries({ ...ERROR_MESSAGES, ...FIELD_PROBLEMS })) {
      expect([code, texts.id.length > 10, texts.en.length > 10]).toEqual([code, true, true]);
    }
  });

  it('have Bahasa Indonesia for every message the api writes in its schemas', () => {
    const written = apiSources().flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/\{ error: (['`])((?:(?!\1).)+)\1/g)].map((m) => ({ file, quote: m[1], text: m[2] })),
    );
    expect(written.length).toBeGreaterThanOrEqual(10);
    const english = Object.keys(SCHEMA_MESSAGES_ID);
    // A template's text is known up to its first ${…}.
    const missing = written.filter(({ quote, text }) => (quote === "'" ? !english.includes(text) : !english.some((e) => e.startsWith(text.split('${')[0]))));
    expect(missing).toEqual([]);
    for (const [en, id] of Object.entries(SCHEMA_MESSAGES_ID)) expect([en, id.length > 8, id !== en]).toEqual([en, true, true]);
  });

  it("are the features' codes and the api's own, each once, with the text of its table", () => {
    const domain = Object.keys(DOMAIN_ERRORS);
    const api = Object.keys(API_ERRORS);
    expect(domain.filter((code) => api.includes(code))).toEqual([]);
    expect(Object.keys(ERROR_MESSAGES).sort()).toEqual([...domain, ...api].sort());
    expect(ERROR_MESSAGES.NODE_IN_USE).toBe(DOMAIN_ERRORS.NODE_IN_USE);
    expect(ERROR_MESSAGES.UNAUTHENTICATED).toBe(API_ERRORS.UNAUTHENTICATED);
  });

  it('fill values from the details', () => {
    expect(messageFor('TOO_MANY_ATTEMPTS', 'id', { retryAfterS: 60 })).toBe('Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 60 detik.');
    expect(messageFor('NODE_TOO_FAR', 'en', { distanceM: 31, toleranceM: 25 })).toBe('The segment end is 31 m from the chosen node (the limit is 25 m).');
    expect(messageFor('PAYLOAD_TOO_LARGE', 'id', { maxMb: 20 })).toBe('Data yang dikirim terlalu besar (maksimal 20 MB).');
    expect(messageFor('PAYLOAD_TOO_LARGE', 'en')).toBe('The request body is too large.');
  });

  it("name a status in the reader's words, not by its code", () => {
    expect(messageFor('EVIDENCE_REQUIRED', 'id', { status: 'tested', anyOf: 'otdr | photo' })).toMatch(/^Status Diuji memerlukan bukti: otdr \| photo /);
    expect(messageFor('EVIDENCE_REQUIRED', 'en', { status: 'tested', anyOf: 'otdr' })).toMatch(/^Status Tested needs evidence: otdr /);
    // A value that is not a status stays as it is.
    expect(messageFor('EVIDENCE_REQUIRED', 'en', { status: 'x-unknown', anyOf: 'note' })).toMatch(/^Status x-unknown needs/);
  });

  it('say a geometry cannot be stored without sentences when the details name no problems', () => {
    expect(messageFor('GEOMETRY_INVALID', 'en', {})).toBe('The geometry cannot be stored:');
    expect(messageFor('GEOMETRY_INVALID', 'en', { problems: [{ code: 'a_problem_of_tomorrow' }, { code: 'zero_length' }] })).toBe(
      'The geometry cannot be stored: a_problem_of_tomorrow the line has zero length.',
    );
  });

  it('say what is wrong with a geometry, with counts as the reader writes them and a few places', () => {
    const tooMany = { problems: [{ code: 'too_many_positions', maxPositions: 50000 }] };
    expect(messageFor('GEOMETRY_INVALID', 'id', tooMany)).toBe(
      'Geometri tidak dapat disimpan: garis memiliki terlalu banyak titik: paling banyak 50.000 titik per segmen. Bagilah jalur ini menjadi beberapa segmen.',
    );
    expect(messageFor('GEOMETRY_INVALID', 'en', tooMany)).toBe(
      'The geometry cannot be stored: the line has too many positions: at most 50,000 per segment. Split the route into several segments.',
    );
    const crossing = { problems: [{ code: 'self_intersection', at: [[112.955, -2.535]], crossingsAtLeast: 1 }] };
    expect(messageFor('GEOMETRY_INVALID', 'id', crossing)).toBe(
      'Geometri tidak dapat disimpan: garis memotong atau menyentuh dirinya sendiri, sedikitnya di 1 tempat: [[112.955,-2.535]].',
    );
    expect(messageFor('GEOMETRY_INVALID', 'en', crossing)).toBe('The geometry cannot be stored: the line crosses or touches itself in at least 1 place(s): [[112.955,-2.535]].');
    // A swapped long line has no suggestion to offer.
    expect(messageFor('GEOMETRY_INVALID', 'en', { problems: [{ code: 'swapped_lat_lon' }] })).toBe(
      'The geometry cannot be stored: latitude and longitude look swapped in every position.',
    );
    expect(messageFor('GEOMETRY_INVALID', 'id', { problems: [{ code: 'swapped_lat_lon', suggestion: [112.95, -2.53] }] })).toBe(
      'Geometri tidak dapat disimpan: lintang dan bujur tampaknya tertukar; maksud Anda [112.95,-2.53]?',
    );
  });
});
