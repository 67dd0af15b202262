import type { Request } from 'express';

/** Error codes of the API, with what a person reads in Bahasa Indonesia (default) and English. */
export const ERROR_MESSAGES = {
  VALIDATION_FAILED: { id: 'Permintaan tidak valid. Periksa isian yang disebut di bawah.', en: 'The request is not valid. Check the fields listed below.' },
  NOT_FOUND: { id: 'Data atau alamat yang diminta tidak ditemukan.', en: 'The requested item or address was not found.' },
  QUEUE_UNAVAILABLE: {
    id: 'Antrean pekerjaan tidak tersedia: Redis tidak berjalan. Impor (dan segera pemantauan) menunggunya. Administrator: pasang redis-server (apt-get install redis-server) atau atur REDIS_URL.',
    en: 'The job queue is unavailable: Redis is not running. Imports (and soon monitoring) wait for it. Administrator: install redis-server (apt-get install redis-server) or set REDIS_URL.',
  },
  PAYLOAD_TOO_LARGE: { id: 'Data yang dikirim terlalu besar{maxMbText}.', en: 'The request body is too large{maxMbText}.' },
  LENGTH_REQUIRED: { id: 'Unggahan harus menyebut ukurannya (header Content-Length).', en: 'An upload must state its size (Content-Length header).' },
  MALFORMED_JSON: { id: 'Isi permintaan bukan JSON yang benar.', en: 'The request body is not valid JSON.' },
  BODY_UNREADABLE: { id: 'Isi permintaan tidak dapat dibaca: tidak sesuai dengan Content-Encoding yang disebut, atau terputus.', en: 'The request body cannot be read: it does not match its stated Content-Encoding, or it was cut short.' },
  ENCODING_UNSUPPORTED: { id: 'Isi permintaan dengan Content-Encoding "{encoding}" tidak diterima di sini. Kirim tanpa kompresi.', en: 'A request body with Content-Encoding "{encoding}" is not accepted here. Send it uncompressed.' },
  DATABASE_UNAVAILABLE: { id: 'Basis data tidak dapat dihubungi. Coba lagi nanti.', en: 'The database cannot be reached. Try again later.' },
  UNAUTHENTICATED: { id: 'Silakan masuk terlebih dahulu.', en: 'Please sign in first.' },
  SESSION_EXPIRED: { id: 'Sesi Anda sudah berakhir. Silakan masuk lagi.', en: 'Your session has ended. Please sign in again.' },
  TOKEN_INVALID: { id: 'Token akses tidak berlaku (salah, kedaluwarsa atau dicabut).', en: 'The access token is not valid (wrong, expired or revoked).' },
  FORBIDDEN: { id: 'Peran Anda tidak diizinkan melakukan ini.', en: 'Your role is not allowed to do this.' },
  CSRF_FAILED: { id: 'Permintaan ditolak karena token keamanan (CSRF) tidak cocok. Muat ulang halaman lalu coba lagi.', en: 'The request was refused because its security (CSRF) token did not match. Reload the page and try again.' },
  CROSS_SITE_REFUSED: { id: 'Permintaan ditolak karena dikirim dari situs lain. Buka Serat langsung dari alamatnya sendiri.', en: 'The request was refused because it came from another site. Open Serat from its own address.' },
  PASSWORD_CHANGE_REQUIRED: { id: 'Kata sandi Anda harus diganti dahulu. Ganti kata sandi, lalu coba lagi.', en: 'Your password must be changed first. Change it, then try again.' },
  INVALID_CREDENTIALS: { id: 'Email/nama pengguna atau kata sandi salah.', en: 'Wrong email/username or password.' },
  TOO_MANY_ATTEMPTS: { id: 'Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {retryAfterS} detik.', en: 'Too many failed sign-in attempts. Try again in {retryAfterS} seconds.' },
  WEAK_PASSWORD: { id: 'Kata sandi terlalu lemah: minimal 10 karakter dengan huruf besar, huruf kecil, angka atau simbol (atau 16 karakter bebas), bukan kata sandi umum dan tanpa nama atau email Anda.', en: 'The password is too weak: at least 10 characters mixing upper case, lower case, digits or symbols (or any 16 characters), not a common password, and without your name or email.' },
  DUPLICATE_USER: { id: 'Email atau nama pengguna itu sudah dipakai.', en: 'That email or username is already taken.' },
  LAST_ADMIN: { id: 'Admin aktif terakhir tidak dapat diturunkan atau dinonaktifkan.', en: 'The last active admin cannot be demoted or deactivated.' },
  VERSION_CONFLICT: { id: 'Data ini sudah diubah orang lain sejak Anda membukanya. Lihat versi terbaru lalu ulangi perubahan Anda.', en: 'Someone changed this since you opened it. Look at the current version and make your change again.' },
  WRITE_CONFLICT: { id: 'Data yang sama sedang diubah orang lain pada saat yang sama. Coba lagi sebentar lagi.', en: 'Someone else was changing the same data at the same moment. Try again in a moment.' },
  INVALID_TRANSITION: { id: 'Perubahan status ini tidak diizinkan.', en: 'This status change is not allowed.' },
  REASON_REQUIRED: { id: 'Melompati tahap, mundur tahap atau menonaktifkan memerlukan alasan (catatan).', en: 'Skipping a stage, going back or decommissioning needs a reason (note).' },
  OUT_OF_AREA: { id: 'Ini di luar kecamatan yang ditugaskan kepada Anda.', en: 'This is outside the kecamatan assigned to you.' },
  VERSION_REQUIRED: { id: 'Sebutkan versi yang Anda baca (kolom version atau header If-Match), agar perubahan orang lain tidak tertimpa.', en: 'Name the version you read (the version field or an If-Match header), so nobody else\'s change is overwritten.' },
  GEOMETRY_INVALID: { id: 'Geometri tidak dapat disimpan:', en: 'The geometry cannot be stored:' },
  DUPLICATE_CODE: { id: 'Kode {code} sudah dipakai.', en: 'The code {code} is already in use.' },
  NODE_IN_USE: { id: 'Titik ini masih menjadi ujung {segments} segmen. Hapus atau pindahkan segmennya dahulu.', en: 'This node still ends {segments} segment(s). Delete or move them first.' },
  NODE_TOO_FAR: { id: 'Ujung segmen berjarak {distanceM} m dari titik yang dipilih (batas {toleranceM} m).', en: 'The segment end is {distanceM} m from the chosen node (the limit is {toleranceM} m).' },
  SPLIT_POINT_OFF_ROUTE: { id: 'Titik potong berjarak {distanceM} m dari jalur kabel (batas {toleranceM} m).', en: 'The split point is {distanceM} m from the cable route (the limit is {toleranceM} m).' },
  SPLIT_POINT_AT_END: { id: 'Titik potong terlalu dekat dengan ujung segmen.', en: 'The split point is too close to an end of the segment.' },
  EVIDENCE_REQUIRED: { id: 'Status {status} memerlukan bukti: {anyOf} (foto, gps = posisi GPS, otdr = hasil ukur OTDR, note = catatan).', en: 'Status {status} needs evidence: {anyOf} (photo, gps position, otdr reading, note).' },
  PHOTO_INVALID: { id: 'Berkas ini bukan foto yang dapat dipakai. Kirim foto JPEG, PNG atau WebP.', en: 'This file is not a usable photo. Send a JPEG, PNG or WebP photo.' },
  PHOTO_TOO_LARGE: { id: 'Foto terlalu besar (maksimal {maxMb} MB).', en: 'The photo is too large (at most {maxMb} MB).' },
  PHOTO_NOT_USABLE: { id: 'Sebagian foto tidak dapat dilampirkan: bukan unggahan Anda atau sudah dipakai.', en: 'Some photos cannot be attached: not uploaded by you, or already used.' },
  IMPORT_OPTIONS_INVALID: { id: 'Pilihan impor tidak valid.', en: 'The import options are not valid.' },
  IMPORT_NOT_READY: { id: 'Impor ini belum selesai dianalisis, sedang berjalan, atau sudah diterapkan.', en: 'This import has not been analysed yet, is running, or was applied already.' },
  EXPORT_TOO_LARGE: { id: 'Ekspor melebihi {maxRows} baris. Persempit dengan filter wilayah, tahap atau status.', en: 'The export exceeds {maxRows} rows. Narrow it by area, phase or status.' },
  INTERNAL: { id: 'Terjadi kesalahan pada server. Sebutkan kode permintaan ini kepada admin.', en: 'Something went wrong on the server. Give this request id to an administrator.' },
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;
export type Language = 'id' | 'en';

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
};

export function fieldProblemText(problem: string, language: Language): string {
  return FIELD_PROBLEMS[problem]?.[language] ?? problem;
}

/** What is wrong with a geometry, one sentence per problem code of @serat/geo. */
const GEOMETRY_PROBLEMS: Record<string, { id: string; en: string }> = {
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

function fill(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? (typeof values[name] === 'object' ? JSON.stringify(values[name]) : String(values[name])) : whole));
}

/** The message for a code in a language, with {name} filled from the error details. */
export function messageFor(code: ErrorCode, language: Language, details?: unknown): string {
  const values = (details && typeof details === 'object' ? details : {}) as Record<string, unknown>;
  const extra = typeof values.maxMb === 'number' ? { maxMbText: language === 'id' ? ` (maksimal ${values.maxMb} MB)` : ` (at most ${values.maxMb} MB)` } : { maxMbText: '' };
  const base = fill(ERROR_MESSAGES[code][language], { ...extra, ...values });
  if (code !== 'GEOMETRY_INVALID' || !Array.isArray(values.problems)) return base;
  const numbers = new Intl.NumberFormat(language === 'id' ? 'id-ID' : 'en-GB');
  const sentences = (values.problems as { code: string; suggestion?: unknown }[]).map((problem) => {
    const key = problem.code === 'swapped_lat_lon' && problem.suggestion === undefined ? 'swapped_lat_lon_long_line' : problem.code;
    const text = GEOMETRY_PROBLEMS[key];
    const shown: Record<string, unknown> = { ...problem };
    for (const field of COUNT_FIELDS) if (typeof shown[field] === 'number') shown[field] = numbers.format(shown[field] as number);
    return text ? fill(text[language], shown) : problem.code;
  });
  return `${base} ${sentences.join(' ')}`;
}
