/**
 * @jest-environment jsdom
 */
import { setLang } from './i18n';
import { Header } from '../app/header';
import { siteCountsOf } from './ui';

/** Single sites as the server's counts (one of its kind, connected or not). */
const countSitesByKind = (sites: Array<{ kind: string; connected: boolean }>) =>
  siteCountsOf(sites.map((site) => ({ kind: site.kind, total: 1, connected: site.connected ? 1 : 0 })));

describe('the header counts sites per kind', () => {
  it('counts connected and all per kind, SOPD and kantor kecamatan even when there are none', () => {
    expect(countSitesByKind([])).toEqual([
      { kind: 'sopd', connected: 0, total: 0 },
      { kind: 'kantor_kecamatan', connected: 0, total: 0 },
    ]);
    const sites = [
      { kind: 'kantor_kecamatan', connected: false },
      { kind: 'sopd', connected: true },
      { kind: 'sopd', connected: false },
      { kind: 'puskesmas', connected: true },
      { kind: 'menara', connected: true },
    ];
    expect(countSitesByKind(sites)).toEqual([
      { kind: 'sopd', connected: 1, total: 2 },
      { kind: 'kantor_kecamatan', connected: 0, total: 1 },
      { kind: 'puskesmas', connected: 1, total: 1 },
      // A kind the web app does not know yet counts as other.
      { kind: 'other', connected: 1, total: 1 },
    ]);
  });

  it('shows one figure per kind, labelled in the language of the reader', () => {
    setLang('id');
    const root = document.createElement('header');
    const header = new Header(root);
    header.setUserMenu(document.createElement('div'));
    const shown = () =>
      Array.from(root.querySelectorAll<HTMLElement>('[data-testid^="stat-sites-"]')).map((stat) => [
        stat.dataset.testid,
        stat.querySelector('dt')!.textContent,
        stat.querySelector('dd')!.textContent,
      ]);
    expect(shown()).toEqual([
      // Before the sites are read: a dash for each.
      ['stat-sites-sopd', 'SOPD terhubung', '—'],
      ['stat-sites-kantor_kecamatan', 'Kantor kec. terhubung', '—'],
    ]);
    const sopd = Array.from({ length: 36 }, (_, i) => ({ kind: 'sopd', connected: i < 23 }));
    const kantor = Array.from({ length: 17 }, (_, i) => ({ kind: 'kantor_kecamatan', connected: i < 2 }));
    header.update({ sitesByKind: countSitesByKind([...sopd, ...kantor]) });
    expect(shown()).toEqual([
      ['stat-sites-sopd', 'SOPD terhubung', '23 / 36'],
      ['stat-sites-kantor_kecamatan', 'Kantor kec. terhubung', '2 / 17'],
    ]);
    setLang('en');
    header.render();
    expect(shown().map(([, label]) => label)).toEqual(['SOPD connected', 'Kec. offices connected']);
    setLang('id');
  });
});
