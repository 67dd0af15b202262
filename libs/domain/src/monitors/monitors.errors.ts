import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../shared/error-table';

/** Monitors: what a target, an interval and a timeout must be. */
export const MONITORS_ERRORS = defineErrors({
  MONITOR_TARGET: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Sasaran "{target}" tidak dapat diperiksa: tulis sebagai {expected}.',
    en: 'The target "{target}" cannot be checked: write it as {expected}.',
  },
  MONITOR_TARGET_REFUSED: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Alamat {address} tidak boleh dipantau (alamat host sendiri, link-local, metadata cloud atau multicast). Administrator dapat mengizinkannya dengan SERAT_MONITOR_ALLOW_CIDRS.',
    en: 'The address {address} may not be monitored (the host itself, link-local, cloud metadata or multicast). An administrator can allow it with SERAT_MONITOR_ALLOW_CIDRS.',
  },
  MONITOR_INTERVAL: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Selang pemeriksaan paling sedikit {min} detik.',
    en: 'The interval between checks is at least {min} seconds.',
  },
  MONITOR_TIMEOUT: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    id: 'Batas waktu harus lebih pendek dari selang pemeriksaan ({intervalS} detik).',
    en: 'The timeout must be shorter than the interval between checks ({intervalS} seconds).',
  },
  MONITOR_SITE_UNKNOWN: { status: HttpStatus.UNPROCESSABLE_ENTITY, id: 'Lokasi yang dipilih tidak ditemukan.', en: 'The site chosen was not found.' },
});
