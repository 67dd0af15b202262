import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../shared/error-table';

/** Phases and their scope: what the "contracted" denominator refuses to take silently. */
export const PHASES_ERRORS = defineErrors({
  SCOPE_REASON_REQUIRED: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Mengubah cakupan tahap (menambah atau mengeluarkan lokasi atau segmen) memerlukan alasan.',
    en: 'Changing a phase’s scope (adding or removing sites or segments) needs a reason.',
  },
  SCOPE_ITEMS_UNKNOWN: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Kode berikut tidak ditemukan: {codes}. Cakupan tidak diubah.',
    en: 'These codes were not found: {codes}. The scope was not changed.',
  },
  AREA_UNKNOWN: { status: HttpStatus.UNPROCESSABLE_ENTITY, id: 'Wilayah {code} tidak ditemukan.', en: 'The area {code} was not found.' },
  HISTORY_NOT_KEPT: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Riwayat kemajuan disimpan untuk kabupaten dan kecamatan, bukan untuk {code}.',
    en: 'Progress history is kept for the kabupaten and each kecamatan, not for {code}.',
  },
});
