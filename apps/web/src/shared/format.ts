/**
 * Numbers, money and times through Intl in the reader's language: `1.234,5 m` and
 * `Rp 7.000.000` in Bahasa Indonesia, `1,234.5 m` and `IDR 7,000,000` in English; times in WIB
 * (Asia/Jakarta), whatever the device's own zone.
 */
import { getLang } from './i18n';

/** The Intl locale of the interface's language. */
export function locale(): string {
  return getLang() === 'en' ? 'en-GB' : 'id-ID';
}

export function formatNumber(value: number, maxFractionDigits = 0, minFractionDigits = 0): string {
  if (!Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(locale(), {
    maximumFractionDigits: maxFractionDigits,
    minimumFractionDigits: minFractionDigits,
  }).format(value);
}

/** A length in metres, e.g. `845 m`, `1.234,5 m`. */
export function formatMetres(lengthM: number): string {
  return `${formatNumber(lengthM, 1)} m`;
}

/** A length given in metres, shown in kilometres with one decimal, e.g. `12,3 km`. */
export function formatKm(lengthM: number, fractionDigits = 1): string {
  return `${formatNumber(lengthM / 1000, fractionDigits, fractionDigits)} km`;
}

/**
 * PostgreSQL numeric and bigint columns often arrive as JSON strings; accept both and treat
 * anything else as missing.
 */
function toNumber(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

/** A segment length for a popup: metres, plus kilometres once it is long enough to matter. */
export function formatLength(value: number | string | null | undefined): string {
  const lengthM = toNumber(value);
  if (lengthM === null) return '—';
  if (lengthM < 1000) return formatMetres(lengthM);
  return `${formatMetres(lengthM)} (${formatKm(lengthM, 2)})`;
}

/** Rupiah without decimals: `Rp 7.000.000`, in English `IDR 7,000,000`. */
export function formatRupiah(value: number | string | null | undefined): string {
  const amount = toNumber(value);
  if (amount === null) return '—';
  // Intl puts a no-break space between the symbol and the figure; a plain space reads and copies the same.
  return new Intl.NumberFormat(locale(), {
    style: 'currency',
    currency: 'IDR',
    currencyDisplay: getLang() === 'en' ? 'code' : 'symbol',
    maximumFractionDigits: 0,
    minimumFractionDigits: 0,
  })
    .format(Math.round(amount))
    .replace(/\u00a0/g, ' ');
}

/** A distance from the technician: `85 m`, `1,2 km`. */
export function formatDistance(distanceM: number): string {
  if (!Number.isFinite(distanceM)) return '—';
  if (distanceM < 1000) return `${formatNumber(Math.round(distanceM))} m`;
  return formatKm(distanceM, distanceM < 10_000 ? 1 : 0);
}

/** A file size as phones show it: `4,8 MB`, `0,6 MB`, `85 KB` (1 MB = 1024 × 1024 bytes, like the server's limit). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const mb = bytes / 1024 / 1024;
  if (mb >= 0.1) return `${formatNumber(mb, 1, 1)} MB`;
  return `${formatNumber(Math.max(1, Math.round(bytes / 1024)))} KB`;
}

/** A moment in WIB, e.g. `3 Mei 2024 14.05 WIB`; anything unreadable as `—`. */
export function formatDateTimeWib(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '—';
  const text = new Intl.DateTimeFormat(locale(), {
    timeZone: 'Asia/Jakarta',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
  return `${text} WIB`;
}

/** A calendar day (YYYY-MM-DD, no time zone), e.g. `31 Des 2019`; anything unreadable as `—`. */
export function formatDay(day: string | null | undefined): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return '—';
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(date);
}
