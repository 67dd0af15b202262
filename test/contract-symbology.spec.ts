/**
 * @jest-environment jsdom
 */
/**
 * One picture of the network: the KML export (libs/geo, written by the api) styles every status and
 * site connection in the colour the web map draws it with, and the web app reads the status words
 * the export names its folders with. Both take them from libs/contract; this compares what each
 * side actually produces, so a colour or word redefined on one side fails here.
 */
import { SITE_CONNECTION_LABELS, STATUS_LABELS } from '@serat/contract';
import { kmlColour, toKml, type ExportLayer } from '@serat/geo';
import { SEGMENTS, SITES } from '../libs/geo/src/export/export-fixtures.testing';
import { NETWORK_STATUSES } from '@serat/vocabulary';
import { siteConnectionColour, statusStyle } from '../apps/web/src/map/symbology';
import { setLang, statusLabel, t } from '../apps/web/src/shared/i18n';

/** The colour of each Style of a KML document, by style id without its `status-` prefix. */
function kmlStyleColours(xml: string): Map<string, string> {
  const colours = new Map<string, string>();
  for (const match of xml.matchAll(/<Style id="status-([^"]+)"><(?:LineStyle|IconStyle)><color>([0-9a-f]{8})<\/color>/g)) colours.set(match[1], match[2]);
  return colours;
}

/** The Folder names of a KML document, in order. */
function folderNames(xml: string): string[] {
  return [...xml.matchAll(/<Folder>\s*<name>([^<]*)<\/name>/g)].map((match) => match[1]);
}

describe('the KML export and the web map', () => {
  it('draw every status of segments and nodes in the same colour, and an unknown one too', () => {
    for (const layer of [
      { kind: 'segments', items: SEGMENTS },
      { kind: 'nodes', items: [] },
    ] satisfies ExportLayer[]) {
      const colours = kmlStyleColours(toKml(layer, { groupBy: 'status', title: 'Serat' }));
      expect([...colours.keys()]).toEqual([...NETWORK_STATUSES, 'unknown']);
      for (const status of NETWORK_STATUSES) expect(colours.get(status)).toBe(kmlColour(statusStyle(status).color));
      expect(colours.get('unknown')).toBe(kmlColour(statusStyle('not-a-status-yet').color));
    }
  });

  it('mark connected and unconnected sites in the same colours', () => {
    const colours = kmlStyleColours(toKml({ kind: 'sites', items: SITES }, { groupBy: 'status', title: 'Serat' }));
    expect(colours.get('connected')).toBe(kmlColour(siteConnectionColour(true)));
    expect(colours.get('not_connected')).toBe(kmlColour(siteConnectionColour(false)));
  });
});

describe('the KML folders and the web app', () => {
  afterEach(() => setLang('id'));

  it.each(['id', 'en'] as const)('name the statuses and site connections alike (%s)', (lang) => {
    setLang(lang);
    // The api's exports pass the contract's labels for the reader's language (exports.controller.ts).
    const segments = toKml({ kind: 'segments', items: SEGMENTS }, { groupBy: 'status', title: 'Serat', statusLabels: STATUS_LABELS[lang] });
    const shown = [...new Set(SEGMENTS.map((s) => s.status))];
    expect(folderNames(segments).sort()).toEqual(shown.map((status) => statusLabel(status)).sort());
    for (const status of NETWORK_STATUSES) expect(statusLabel(status)).toBe(STATUS_LABELS[lang][status]);

    const sites = toKml({ kind: 'sites', items: SITES }, { groupBy: 'status', title: 'Serat', statusLabels: SITE_CONNECTION_LABELS[lang] });
    const webLabel = (connected: boolean) => t(connected ? 'legend.connected' : 'legend.unconnected');
    expect(folderNames(sites).sort()).toEqual([...new Set(SITES.map((s) => webLabel(s.connected)))].sort());
    expect(t('legend.connected')).toBe(SITE_CONNECTION_LABELS[lang].connected);
    expect(t('legend.unconnected')).toBe(SITE_CONNECTION_LABELS[lang].not_connected);
  });
});
