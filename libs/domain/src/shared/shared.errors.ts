import { HttpStatus } from '@nestjs/common';
import { defineErrors, ErrorText, fillText, Language } from './error-table';

/** What is wrong with a geometry, one sentence per problem code of @serat/geo. */
const GEOMETRY_PROBLEMS: Readonly<Record<string, ErrorText>> = {
  invalid_geojson: { id: 'bukan GeoJSON yang benar (RFC 7946, [bujur, lintang]).', en: 'not valid GeoJSON (RFC 7946, [longitude, latitude]).' },
  too_few_positions: { id: 'garis perlu paling sedikit dua titik yang berbeda.', en: 'a line needs at least two distinct positions.' },
  too_many_positions: {
    id: 'garis memiliki terlalu banyak titik: paling banyak {maxPositions} titik per segmen. Bagilah jalur ini menjadi beberapa segmen.',
    en: 'the line has too many positions: at most {maxPositions} per segment. Split the route into several segments.',
  },
  zero_length: { id: 'panjang garis nol.', en: 'the line has zero length.' },
  self_intersection: {
    id: 'garis memotong atau menyentuh dirinya sendiri, sedikitnya di {crossingsAtLeast} tempat: {at}.',
    en: 'the line crosses or touches itself in at least {crossingsAtLeast} place(s): {at}.',
  },
  outside_region: { id: 'koordinat berada di luar wilayah kerja.', en: 'the coordinates lie outside the region.' },
  swapped_lat_lon: { id: 'lintang dan bujur tampaknya tertukar; maksud Anda {suggestion}?', en: 'latitude and longitude look swapped; did you mean {suggestion}?' },
  // A long line comes without the suggestion (it would be as long as the line): said without "did you mean".
  swapped_lat_lon_long_line: { id: 'lintang dan bujur tampaknya tertukar di setiap titik.', en: 'latitude and longitude look swapped in every position.' },
  same_node_both_ends: { id: 'kedua ujung segmen jatuh pada titik yang sama.', en: 'both ends of the segment fall on the same node.' },
};

/** Counts in a geometry problem, written as the reader writes numbers (50.000, 50,000). */
const COUNT_FIELDS = ['maxPositions', 'crossingsAtLeast'];

/** One sentence per problem in the details (the problems checkLineString and checkPoint found). */
function explainGeometry(details: Record<string, unknown>, language: Language): string | undefined {
  if (!Array.isArray(details.problems)) return undefined;
  const numbers = new Intl.NumberFormat(language === 'id' ? 'id-ID' : 'en-GB');
  const sentences = (details.problems as { code: string; suggestion?: unknown }[]).map((problem) => {
    const key = problem.code === 'swapped_lat_lon' && problem.suggestion === undefined ? 'swapped_lat_lon_long_line' : problem.code;
    const text = GEOMETRY_PROBLEMS[key];
    const shown: Record<string, unknown> = { ...problem };
    for (const field of COUNT_FIELDS) if (typeof shown[field] === 'number') shown[field] = numbers.format(shown[field] as number);
    return text ? fillText(text[language], shown) : problem.code;
  });
  return sentences.join(' ');
}

/** Codes every feature may throw: a row that is not there or changed meanwhile, a taken code, a geometry that cannot be stored. */
export const SHARED_ERRORS = defineErrors({
  NOT_FOUND: { status: HttpStatus.NOT_FOUND, id: 'Data atau alamat yang diminta tidak ditemukan.', en: 'The requested item or address was not found.' },
  VERSION_CONFLICT: {
    status: HttpStatus.CONFLICT,
    id: 'Data ini sudah diubah orang lain sejak Anda membukanya. Lihat versi terbaru lalu ulangi perubahan Anda.',
    en: 'Someone changed this since you opened it. Look at the current version and make your change again.',
  },
  DUPLICATE_CODE: { status: HttpStatus.CONFLICT, id: 'Kode {code} sudah dipakai.', en: 'The code {code} is already in use.' },
  GEOMETRY_INVALID: { status: HttpStatus.UNPROCESSABLE_ENTITY, id: 'Geometri tidak dapat disimpan:', en: 'The geometry cannot be stored:', explain: explainGeometry },
});
