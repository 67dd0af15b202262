import type { Request } from 'express';

/** Error codes of the API, with what a person reads in Bahasa Indonesia (default) and English. */
export const ERROR_MESSAGES = {
  VALIDATION_FAILED: { id: 'Permintaan tidak valid. Periksa isian yang disebut di bawah.', en: 'The request is not valid. Check the fields listed below.' },
  NOT_FOUND: { id: 'Data atau alamat yang diminta tidak ditemukan.', en: 'The requested item or address was not found.' },
  QUEUE_UNAVAILABLE: { id: 'Antrean pekerjaan tidak tersedia (Redis tidak terhubung). Coba lagi nanti.', en: 'The job queue is unavailable (Redis is not connected). Try again later.' },
  PAYLOAD_TOO_LARGE: { id: 'Data yang dikirim terlalu besar.', en: 'The request body is too large.' },
  MALFORMED_JSON: { id: 'Isi permintaan bukan JSON yang benar.', en: 'The request body is not valid JSON.' },
  DATABASE_UNAVAILABLE: { id: 'Basis data tidak dapat dihubungi. Coba lagi nanti.', en: 'The database cannot be reached. Try again later.' },
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
