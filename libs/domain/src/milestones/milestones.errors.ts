import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../shared/error-table';

/** Milestones and their review: what a criterion needs, and what an approval stands on. */
export const MILESTONES_ERRORS = defineErrors({
  MILESTONE_NEEDS_PHASE: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Kriteria ini dihitung dari satu tahap: pilih tahapnya.',
    en: 'This criterion is counted over one phase: choose the phase.',
  },
  MILESTONE_TARGET_VALUE: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Nilai target tidak sesuai kriteria: persen lokasi terhubung 1–100, km aktif lebih dari 0; kriteria lain tanpa nilai target.',
    en: 'The target value does not fit the criterion: percent of sites connected 1–100, km active above 0; the other criteria take none.',
  },
  MILESTONE_NEEDS_AREA: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Km aktif dihitung untuk kabupaten atau satu kecamatan: pilih wilayahnya.',
    en: 'Km active is counted for the kabupaten or one kecamatan: choose the area.',
  },
  MILESTONE_AREA_LEVEL: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Km aktif dihitung untuk kabupaten atau kecamatan, bukan untuk {code}.',
    en: 'Km active is counted for the kabupaten or a kecamatan, not for {code}.',
  },
  PHASE_UNKNOWN: { status: HttpStatus.UNPROCESSABLE_ENTITY, id: 'Tahap yang dipilih tidak ditemukan.', en: 'The phase chosen was not found.' },
  APPROVAL_NOT_ACHIEVED: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Tonggak ini belum tercapai ({value} dari {target} {unit}), jadi belum dapat disetujui. Minta perubahan, atau tinjau lagi setelah tercapai.',
    en: 'This milestone is not achieved yet ({value} of {target} {unit}), so it cannot be approved. Request changes, or review it again once achieved.',
  },
  APPROVAL_EVIDENCE_MISSING: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Bukti belum lengkap ({missing}), jadi tonggak ini belum dapat disetujui.',
    en: 'The evidence is not complete ({missing}), so this milestone cannot be approved yet.',
  },
  MILESTONE_NOT_MANUAL: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Hanya tonggak berkriteria manual yang dicatat selesai oleh perencana; yang lain dihitung Serat dari jaringan.',
    en: 'Only a milestone with a manual criterion is recorded done by a planner; Serat counts the others from the network.',
  },
  MILESTONE_EVIDENCE_REQUIRED: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Lampirkan minimal satu foto atau pindaian dokumen yang Anda unggah sebagai bukti.',
    en: 'Attach at least one photo or document scan you uploaded as evidence.',
  },
  MILESTONE_DONE_IN_FUTURE: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Tanggal selesai ({day}) belum tiba.',
    en: 'The day it was done ({day}) has not come yet.',
  },
  EVIDENCE_PACK_TOO_LARGE: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Paket bukti ini akan berukuran sekitar {sizeMb} MB ({photos} foto), melebihi batas {maxMb} MB (SERAT_EVIDENCE_PACK_MAX_MB). Minta administrator menaikkan batasnya, atau bagi tonggak ini per tahap yang lebih kecil.',
    en: 'This evidence pack would be about {sizeMb} MB ({photos} photos), above the limit of {maxMb} MB (SERAT_EVIDENCE_PACK_MAX_MB). Ask an administrator to raise it, or split the milestone into smaller phases.',
  },
  EVIDENCE_PACK_PHOTO_MISSING: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Berkas foto {photoId} tidak ditemukan di penyimpanan foto, jadi paket bukti tidak lengkap dan tidak dibuat. Periksa penyimpanan foto (SERAT_PHOTO_STORE).',
    en: 'The file of photo {photoId} is not in the photo store, so the evidence pack would be incomplete and was not made. Check the photo store (SERAT_PHOTO_STORE).',
  },
  EVIDENCE_PACK_FAILED: {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    id: 'Paket bukti gagal dibuat. Coba buat lagi; bila terulang, laporkan ke administrator.',
    en: 'The evidence pack could not be made. Make it again; if it happens again, tell an administrator.',
  },
  EVIDENCE_PACK_NOT_READY: {
    status: HttpStatus.CONFLICT,
    id: 'Paket bukti belum selesai dibuat ({state}, {progress} %). Tunggu sampai selesai, lalu unduh.',
    en: 'The evidence pack is not ready yet ({state}, {progress} %). Wait until it is done, then download it.',
  },
});
