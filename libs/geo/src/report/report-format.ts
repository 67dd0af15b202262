/**
 * The report's words and numbers, in Bahasa Indonesia (it is handed to the Bupati or the DPRD):
 * numbers with Indonesian separators, Rupiah, kilometres, days and moments in the region's zone.
 */
import type { AreaProgress } from '@serat/contract';

export const number = (value: number, digits = 0) => new Intl.NumberFormat('id-ID', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
export const percent = (value: number | null) => (value === null ? '—' : `${number(value, 1)} %`);
export const km = (metres: number) => `${number(metres / 1000, 1)} km`;
export const rupiah = (value: number) => `Rp ${number(Math.round(value))}`;
/** A calendar day (YYYY-MM-DD) as "31 Desember 2019". */
export const day = (value: string | null) => (value ? new Intl.DateTimeFormat('id-ID', { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(`${value}T00:00:00Z`)) : '—');
/** A moment in the region's zone, named (WIB in Kotim). */
export const moment = (iso: string | null, timeZone: string) =>
  iso
    ? new Intl.DateTimeFormat('id-ID', { timeZone, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(
        new Date(iso),
      )
    : '—';
/** A moment's day only, in the region's zone. */
export const momentDay = (iso: string | null, timeZone: string) => (iso ? new Intl.DateTimeFormat('id-ID', { timeZone, dateStyle: 'long' }).format(new Date(iso)) : '—');

/** Connected of in scope for one kind of site. */
export function sitesOf(area: AreaProgress, kind: string): { inScope: number; connected: number } {
  const found = area.sites.find((site) => site.kind === kind);
  return { inScope: found?.inScope ?? 0, connected: found?.connected ?? 0 };
}

/** The map's classes of percent complete (by sites), lightest first, and the colour of areas with nothing in scope. */
export const CHOROPLETH_CLASSES: readonly { from: number; to: number; color: string; label: string }[] = [
  { from: 0, to: 1, color: '#eef1f4', label: 'belum ada (0 %)' },
  { from: 1, to: 25, color: '#c7e9c0', label: '1–25 %' },
  { from: 25, to: 50, color: '#a1d99b', label: '25–50 %' },
  { from: 50, to: 75, color: '#41ab5d', label: '50–75 %' },
  { from: 75, to: 100.0001, color: '#006d2c', label: '75–100 %' },
];
export const NO_SCOPE = { color: '#ffffff', label: 'tanpa lokasi dalam lingkup' };

export function classColor(value: number | null): string {
  if (value === null) return NO_SCOPE.color;
  return (CHOROPLETH_CLASSES.find((c) => value >= c.from && value < c.to) ?? CHOROPLETH_CLASSES[CHOROPLETH_CLASSES.length - 1]).color;
}

export const VERDICT_WORDS = { approve: 'Disetujui', request_changes: 'Minta perbaikan' } as const;
