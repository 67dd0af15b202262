import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../shared/error-table';

/** Exports. */
export const EXPORTS_ERRORS = defineErrors({
  EXPORT_TOO_LARGE: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Ekspor melebihi {maxRows} baris. Persempit dengan filter wilayah, tahap atau status.',
    en: 'The export exceeds {maxRows} rows. Narrow it by area, phase or status.',
  },
});
