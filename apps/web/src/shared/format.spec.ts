/** @jest-environment ./apps/web/jest-environment.cjs */
/** Numbers, money and times as the reader of each language writes them (Intl), times in WIB. */
import { formatBytes, formatDateTimeWib, formatDistance, formatKm, formatLength, formatRupiah } from './format';
import { setLang } from './i18n';

afterEach(() => setLang('id'));

it('writes numbers and money the Indonesian way in Bahasa Indonesia', () => {
  setLang('id');
  expect(formatLength(11899)).toBe('11.899 m (11,90 km)');
  expect(formatKm(469400)).toBe('469,4 km');
  expect(formatRupiah(7_000_000)).toBe('Rp 7.000.000');
  expect(formatDistance(1234)).toBe('1,2 km');
  expect(formatBytes(5 * 1024 * 1024)).toBe('5,0 MB');
  expect(formatDateTimeWib('2026-12-01T07:05:00Z')).toBe('1 Des 2026, 14.05 WIB');
});

it('writes them the English way in English', () => {
  setLang('en');
  expect(formatLength(11899)).toBe('11,899 m (11.90 km)');
  expect(formatKm(469400)).toBe('469.4 km');
  expect(formatRupiah(7_000_000)).toBe('IDR 7,000,000');
  expect(formatDistance(1234)).toBe('1.2 km');
  expect(formatDateTimeWib('2026-12-01T07:05:00Z')).toBe('1 Dec 2026, 14:05 WIB');
});
