import type { ErrorText } from '@serat/domain';

/**
 * The codes of the HTTP edge itself (requests that never reach a feature's rules, sign-in and
 * access, the database or the queue being away), with their texts. Their status is the one each
 * answer gives (ApiError, sendError): VALIDATION_FAILED, for one, comes with more than one.
 */
export const API_ERRORS = {
  VALIDATION_FAILED: { id: 'Permintaan tidak valid. Periksa isian yang disebut di bawah.', en: 'The request is not valid. Check the fields listed below.' },
  QUEUE_UNAVAILABLE: {
    id: 'Antrean pekerjaan tidak tersedia: Redis tidak berjalan. Impor (dan segera pemantauan) menunggunya. Administrator: pasang redis-server (apt-get install redis-server) atau atur REDIS_URL.',
    en: 'The job queue is unavailable: Redis is not running. Imports (and soon monitoring) wait for it. Administrator: install redis-server (apt-get install redis-server) or set REDIS_URL.',
  },
  PAYLOAD_TOO_LARGE: { id: 'Data yang dikirim terlalu besar{maxMbText}.', en: 'The request body is too large{maxMbText}.' },
  LENGTH_REQUIRED: { id: 'Unggahan harus menyebut ukurannya (header Content-Length).', en: 'An upload must state its size (Content-Length header).' },
  MALFORMED_JSON: { id: 'Isi permintaan bukan JSON yang benar.', en: 'The request body is not valid JSON.' },
  BODY_UNREADABLE: {
    id: 'Isi permintaan tidak dapat dibaca: tidak sesuai dengan Content-Encoding yang disebut, atau terputus.',
    en: 'The request body cannot be read: it does not match its stated Content-Encoding, or it was cut short.',
  },
  ENCODING_UNSUPPORTED: {
    id: 'Isi permintaan dengan Content-Encoding "{encoding}" tidak diterima di sini. Kirim tanpa kompresi.',
    en: 'A request body with Content-Encoding "{encoding}" is not accepted here. Send it uncompressed.',
  },
  FEED_FULL: {
    id: 'Terlalu banyak peta yang terbuka pada server ini. Pembaruan langsung dicoba lagi sebentar lagi.',
    en: 'Too many maps are open on this server. Live updates will be tried again shortly.',
  },
  DATABASE_UNAVAILABLE: { id: 'Basis data tidak dapat dihubungi. Coba lagi nanti.', en: 'The database cannot be reached. Try again later.' },
  UNAUTHENTICATED: { id: 'Silakan masuk terlebih dahulu.', en: 'Please sign in first.' },
  SESSION_EXPIRED: { id: 'Sesi Anda sudah berakhir. Silakan masuk lagi.', en: 'Your session has ended. Please sign in again.' },
  TOKEN_INVALID: { id: 'Token akses tidak berlaku (salah, kedaluwarsa atau dicabut).', en: 'The access token is not valid (wrong, expired or revoked).' },
  FORBIDDEN: { id: 'Peran Anda tidak diizinkan melakukan ini.', en: 'Your role is not allowed to do this.' },
  CSRF_FAILED: {
    id: 'Permintaan ditolak karena token keamanan (CSRF) tidak cocok. Muat ulang halaman lalu coba lagi.',
    en: 'The request was refused because its security (CSRF) token did not match. Reload the page and try again.',
  },
  CROSS_SITE_REFUSED: {
    id: 'Permintaan ditolak karena dikirim dari situs lain. Buka Serat langsung dari alamatnya sendiri.',
    en: 'The request was refused because it came from another site. Open Serat from its own address.',
  },
  PASSWORD_CHANGE_REQUIRED: {
    id: 'Kata sandi Anda harus diganti dahulu. Ganti kata sandi, lalu coba lagi.',
    en: 'Your password must be changed first. Change it, then try again.',
  },
  WRITE_CONFLICT: {
    id: 'Data yang sama sedang diubah orang lain pada saat yang sama. Coba lagi sebentar lagi.',
    en: 'Someone else was changing the same data at the same moment. Try again in a moment.',
  },
  VERSION_REQUIRED: {
    id: 'Sebutkan versi yang Anda baca (kolom version atau header If-Match), agar perubahan orang lain tidak tertimpa.',
    en: "Name the version you read (the version field or an If-Match header), so nobody else's change is overwritten.",
  },
  INTERNAL: {
    id: 'Terjadi kesalahan pada server. Sebutkan kode permintaan ini kepada admin.',
    en: 'Something went wrong on the server. Give this request id to an administrator.',
  },
} as const satisfies Readonly<Record<string, ErrorText>>;
