import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../shared/error-table';

/** Evidence of field work: a status that needs more of it, and photos that cannot be taken or attached. */
export const EVIDENCE_ERRORS = defineErrors({
  EVIDENCE_REQUIRED: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Status {status} memerlukan bukti: {anyOf} (foto, gps = posisi GPS, otdr = hasil ukur OTDR, note = catatan).',
    en: 'Status {status} needs evidence: {anyOf} (photo, gps position, otdr reading, note).',
  },
  PHOTO_INVALID: {
    status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    id: 'Berkas ini bukan foto yang dapat dipakai. Kirim foto JPEG, PNG atau WebP.',
    en: 'This file is not a usable photo. Send a JPEG, PNG or WebP photo.',
  },
  PHOTO_TOO_LARGE: { status: HttpStatus.PAYLOAD_TOO_LARGE, id: 'Foto terlalu besar (maksimal {maxMb} MB).', en: 'The photo is too large (at most {maxMb} MB).' },
  PHOTO_NOT_USABLE: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Sebagian foto tidak dapat dilampirkan: bukan unggahan Anda atau sudah dipakai.',
    en: 'Some photos cannot be attached: not uploaded by you, or already used.',
  },
});
