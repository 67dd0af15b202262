import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../shared/error-table';

/** Imports: options that do not parse, and an import in the wrong state for what was asked. */
export const IMPORTS_ERRORS = defineErrors({
  IMPORT_OPTIONS_INVALID: { status: HttpStatus.BAD_REQUEST, id: 'Pilihan impor tidak valid.', en: 'The import options are not valid.' },
  IMPORT_NOT_READY: {
    status: HttpStatus.CONFLICT,
    id: 'Impor ini belum selesai dianalisis, sedang berjalan, atau sudah diterapkan.',
    en: 'This import has not been analysed yet, is running, or was applied already.',
  },
  IMPORT_NOT_FAILED: {
    status: HttpStatus.CONFLICT,
    id: 'Hanya impor yang gagal yang dapat dicoba lagi; impor ini sedang berjalan, siap, atau sudah diterapkan.',
    en: 'Only a failed import can be tried again; this one is running, ready, or applied already.',
  },
});
