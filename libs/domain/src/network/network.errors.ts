import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../shared/error-table';

/** The network's codes: status moves the lifecycle or the technician's area refuses, and edits of nodes and segments. */
export const NETWORK_ERRORS = defineErrors({
  INVALID_TRANSITION: { status: HttpStatus.UNPROCESSABLE_ENTITY, id: 'Perubahan status ini tidak diizinkan.', en: 'This status change is not allowed.' },
  REASON_REQUIRED: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Melompati tahap, mundur tahap atau menonaktifkan memerlukan alasan (catatan).',
    en: 'Skipping a stage, going back or decommissioning needs a reason (note).',
  },
  OUT_OF_AREA: { status: HttpStatus.FORBIDDEN, id: 'Ini di luar kecamatan yang ditugaskan kepada Anda.', en: 'This is outside the kecamatan assigned to you.' },
  NODE_IN_USE: {
    status: HttpStatus.CONFLICT,
    id: 'Titik ini masih menjadi ujung {segments} segmen. Hapus atau pindahkan segmennya dahulu.',
    en: 'This node still ends {segments} segment(s). Delete or move them first.',
  },
  NODE_TOO_FAR: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Ujung segmen berjarak {distanceM} m dari titik yang dipilih (batas {toleranceM} m).',
    en: 'The segment end is {distanceM} m from the chosen node (the limit is {toleranceM} m).',
  },
  SPLIT_POINT_OFF_ROUTE: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Titik potong berjarak {distanceM} m dari jalur kabel (batas {toleranceM} m).',
    en: 'The split point is {distanceM} m from the cable route (the limit is {toleranceM} m).',
  },
  SPLIT_POINT_AT_END: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Titik potong terlalu dekat dengan ujung segmen.',
    en: 'The split point is too close to an end of the segment.',
  },
});
