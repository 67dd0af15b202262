/** @jest-environment jsdom */
import { waitFor } from '@testing-library/preact';
import type { FeedChange } from '../../../../libs/contract/src';
import type { NodeFeature, SegmentFeature, SegmentRecord, SiteFeature } from '../shared/api';
import { fakeFetch } from '../shared/fake-fetch.testing';
import type { AreaLayers } from './areas';
import { MapActivity } from './map-activity';
import { lengthsOf, NetworkData } from './network-data';
import type { NetworkLayers } from './network-layers';
import type { SeratMap } from './serat-map';

function segment(id: string, status: SegmentFeature['properties']['status'], lengthM: number, version = 1): SegmentFeature {
  return {
    type: 'Feature',
    id,
    geometry: {
      type: 'LineString',
      coordinates: [
        [112.9, -2.5],
        [112.91, -2.5],
      ],
    },
    properties: {
      id,
      code: `BB-${id}`,
      fromNodeId: 'n1',
      toNodeId: 'n2',
      placement: 'aerial',
      tier: 'backbone',
      cableType: null,
      coreCount: 24,
      lengthM,
      status,
      phaseId: null,
      phaseName: null,
      version,
    },
  };
}

/** The layers as the data path sees them: features by id, and what was drawn or dropped. */
function fakeLayers() {
  const drawn: string[] = [];
  const layers = {
    segments: new Map<string, SegmentFeature>(),
    nodes: new Map<string, NodeFeature>(),
    sites: new Map<string, SiteFeature>(),
    putSegment: (f: SegmentFeature) => (layers.segments.set(String(f.id), f), drawn.push(`segment ${f.id} v${f.properties.version}`)),
    dropSegment: (id: string) => (layers.segments.delete(id), drawn.push(`drop segment ${id}`)),
    putNode: (f: NodeFeature) => layers.nodes.set(String(f.id), f),
    dropNode: (id: string) => layers.nodes.delete(id),
    putSite: (f: SiteFeature) => layers.sites.set(String(f.id), f),
    dropSite: (id: string) => layers.sites.delete(id),
    layoutSites: () => undefined,
    settleRenderers: () => undefined,
    prepareFor: () => undefined,
    restyle: (_subject: string, state: { id: string; status: string }) => drawn.push(`restyle ${state.id} ${state.status}`),
    clear: () => undefined,
    addTo: () => undefined,
  };
  return { layers, drawn };
}

/** The fake map's view: its box and zoom, and who listens for it to move. */
interface FakeView {
  box: [number, number, number, number];
  zoom: number;
  listeners: Array<() => void>;
}

function setUp() {
  const { layers, drawn } = fakeLayers();
  const view: FakeView = { box: [112.9, -2.75, 113.1, -2.55], zoom: 12, listeners: [] };
  const noop = () => undefined;
  const base = {
    activity: new MapActivity(),
    openPopup: null,
    map: {
      invalidateSize: noop,
      closePopup: noop,
      on: (_event: string, listener: () => void) => view.listeners.push(listener),
      off: noop,
      getZoom: () => view.zoom,
      getBounds: () => {
        const [w, s, e, n] = view.box;
        const bounds = { pad: () => bounds, getWest: () => w, getSouth: () => s, getEast: () => e, getNorth: () => n };
        return bounds;
      },
    },
    openView: () => false,
    buildControls: noop,
    fitRegion: noop,
    regionFromAreas: () => false,
    forgetRegion: noop,
    legend: { setLengths: noop },
    labels: { clear: noop },
  } as unknown as SeratMap;
  const areas = {
    kecamatanName: () => null,
    desaName: () => null,
    addTo: noop,
    drawKabupaten: () => null,
    drawKecamatan: noop,
    scheduleDesa: noop,
    clear: noop,
  } as unknown as AreaLayers;
  let refreshed = 0;
  const data = new NetworkData(base, areas, layers as unknown as NetworkLayers, {
    meta: async () => ({}) as never,
    loaded: () => undefined,
    refreshed: () => (refreshed += 1),
    signedOut: () => undefined,
  });
  return { data, layers, drawn, view, refreshed: () => refreshed };
}

const page = (features: unknown[]) => ({ body: { type: 'FeatureCollection', features } });
const isTile = (request: { url: URL }) => request.url.pathname.startsWith('/api/map/tiles/');
const isSummary = (request: { url: URL }) => request.url.pathname === '/api/map/summary';
/** The server's figures of the whole network. */
function summary(activeM = 0, sopd: [number, number] = [0, 0]) {
  return {
    body: {
      phaseId: null,
      segments: activeM ? [{ status: 'active', count: 1, lengthM: activeM }] : [],
      nodes: [],
      sites: sopd[0] ? [{ kind: 'sopd', total: sopd[0], connected: sopd[1] }] : [],
    },
  };
}
/** A tile answer for the request, holding these segments. */
function tile(request: { url: URL }, segments: SegmentFeature[] = [], storedAt?: string) {
  const [z, x, y] = request.url.pathname.split('/').slice(-3).map(Number);
  const layer = <F>(features: F[]) => ({ features, groups: 3, complete: true });
  return {
    body: { z, x, y, bbox: [0, 0, 0, 0], segments: layer(segments), nodes: layer([]), sites: layer([]) },
    headers: storedAt ? { 'X-Serat-Offline-Copy': storedAt } : undefined,
  };
}
/** The answers of the start: no areas, empty tiles. */
const empty = (request: { url: URL }) => (isTile(request) ? tile(request) : isSummary(request) ? summary() : page([]));

describe('the map data path', () => {
  it("takes the metres per status of the legend and the header from the server's figures", () => {
    const figures = lengthsOf({
      segments: [
        { status: 'planned', count: 1, lengthM: 300.5 },
        { status: 'active', count: 2, lengthM: 1200.5 },
      ],
    });
    expect(figures.networkM).toBe(1501);
    expect(figures.activeM).toBe(1200.5);
    expect(Object.fromEntries(figures.lengthsByStatus)).toEqual({ active: 1200.5, planned: 300.5 });
    expect(lengthsOf({ segments: [] })).toEqual({ lengthsByStatus: new Map(), networkM: 0, activeM: 0 });
  });

  it("shows the server's figures, not a sum of what it loaded, and reads them again once after a burst of changes", async () => {
    const { data, layers } = setUp();
    // The view holds one short segment; the network has much more.
    fakeFetch((request) => (isTile(request) ? tile(request, [segment('1', 'active', 10)]) : isSummary(request) ? summary(52_000, [36, 22]) : page([])));
    await data.load();
    expect(data.figures.value).toMatchObject({ networkM: 52_000, activeM: 52_000 });
    expect(data.sitesByKind.value).toEqual([
      { kind: 'sopd', total: 36, connected: 22 },
      { kind: 'kantor_kecamatan', total: 0, connected: 0 },
    ]);
    // Changes here and on the feed close together: one read of the figures after them.
    const { requests } = fakeFetch((request) => (isSummary(request) ? summary(52_100, [36, 23]) : isTile(request) ? tile(request) : page([])));
    data.applyState('segment', { id: '1', status: 'damaged', version: 2 } as never);
    data.removeFeature('segment', '1');
    expect(layers.segments.has('1')).toBe(false);
    await waitFor(() => expect(data.sitesByKind.value?.[0]).toEqual({ kind: 'sopd', total: 36, connected: 23 }));
    expect(data.figures.value?.networkM).toBe(52_100);
    expect(requests.filter(isSummary)).toHaveLength(1);
    // A failing read leaves the figures on screen as they were.
    fakeFetch(() => ({ status: 503, body: null }));
    data.removeFeature('segment', '2');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(data.figures.value?.networkM).toBe(52_100);
  });

  it('keeps a newer version on screen when an older record arrives, and takes a newer one', () => {
    const { data, layers, drawn } = setUp();
    layers.segments.set('7', segment('7', 'active', 100, 5));
    const record = (version: number, status: SegmentRecord['status']) =>
      ({ ...segment('7', status, 100, version).properties, geometry: segment('7', status, 100).geometry }) as unknown as SegmentRecord;
    data.storeRecord('segment', record(4, 'planned'));
    data.storeRecord('segment', record(5, 'planned'));
    expect(layers.segments.get('7')!.properties.status).toBe('active');
    data.storeRecord('segment', record(6, 'damaged'));
    expect(layers.segments.get('7')!.properties).toMatchObject({ status: 'damaged', version: 6 });
    expect(drawn).toEqual(['segment 7 v6']);
  });

  it('reads only the tiles of its view, and on a pan only the tiles it did not have', async () => {
    const { data, layers, view } = setUp();
    const { requests } = fakeFetch((request) => (isTile(request) ? tile(request, request.url.pathname.endsWith('/10/833/519') ? [segment('1', 'active', 10)] : []) : page([])));
    await data.load();
    const tiles = () => requests.filter(isTile).map((r) => r.url.pathname.replace('/api/map/tiles/', ''));
    // Zoom 12 is drawn from tiles of zoom 10 (each 1024 px wide): the view and its margin need one.
    expect(tiles()).toEqual(['10/833/519']);
    expect(requests.map((r) => r.url.pathname)).not.toEqual(expect.arrayContaining(['/api/segments']));
    expect([...layers.segments.keys()]).toEqual(['1']);
    // A tile east: the new one is read.
    view.box = [113.25, -2.75, 113.45, -2.55];
    for (const listener of view.listeners) listener();
    await waitFor(() => expect(tiles()).toEqual(['10/833/519', '10/834/519']));
    // Out of the view: off the map, so what the page keeps stays bounded.
    await waitFor(() => expect([...layers.segments.keys()]).toEqual([]));
  });

  it('recolours on an accepted status, and the next read completes it even at the same version', async () => {
    const { data, layers, drawn } = setUp();
    fakeFetch(empty);
    await data.load();
    layers.segments.set('7', segment('7', 'installed', 100, 2));
    data.applyState('segment', { id: '7', status: 'active', version: 3 } as never);
    expect(drawn).toContain('restyle 7 active');
    // The server's answer at version 3 replaces the partial copy (others may have changed more).
    const { requests } = fakeFetch((request) => (isTile(request) ? tile(request, [segment('7', 'active', 104.2, 3)]) : isSummary(request) ? summary(104.2) : page([])));
    await data.refresh();
    expect(requests.every((request) => isTile(request) || isSummary(request))).toBe(true);
    expect(layers.segments.get('7')!.properties.lengthM).toBe(104.2);
  });

  it('drops what the view no longer holds, but never on an answer from the offline copy', async () => {
    const { data, layers, refreshed } = setUp();
    fakeFetch(empty);
    await data.load();
    layers.segments.set('1', segment('1', 'active', 10));
    layers.segments.set('2', segment('2', 'active', 10));
    fakeFetch((request) => {
      // As the service worker does: the answer came from the device's copy.
      data.noteOfflineCopy('2026-11-30T01:00:00.000Z');
      return tile(request, [segment('1', 'active', 10)], '2026-11-30T01:00:00.000Z');
    });
    await data.refresh();
    expect([...layers.segments.keys()].sort()).toEqual(['1', '2']);
    expect(data.offlineCopyAt.value).toBe('2026-11-30T01:00:00.000Z');
    fakeFetch((request) => tile(request, [segment('1', 'active', 10)]));
    await data.refresh();
    expect([...layers.segments.keys()]).toEqual(['1']);
    expect(data.offlineCopyAt.value).toBeNull();
    expect(refreshed()).toBe(2);
  });

  it('keeps a feature stored from an edit until a view read after it says whether it is there', async () => {
    const { data, layers } = setUp();
    fakeFetch(empty);
    await data.load();
    const drawnNew = { ...segment('9', 'planned', 50, 1).properties, geometry: segment('9', 'planned', 50).geometry } as unknown as SegmentRecord;
    data.storeRecord('segment', drawnNew);
    expect(layers.segments.has('9')).toBe(true);
    // A view read after the edit that holds it keeps it; one that does not, drops it.
    fakeFetch((request) => tile(request, [segment('9', 'planned', 50, 1)]));
    await data.refresh();
    expect(layers.segments.has('9')).toBe(true);
    fakeFetch((request) => tile(request, []));
    await data.refresh();
    expect(layers.segments.has('9')).toBe(false);
  });

  it('never draws a deleted feature back from a tile asked before the delete, nor from a kept answer', async () => {
    const { data, layers } = setUp();
    fakeFetch((request) => (isTile(request) ? tile(request, [segment('4', 'planned', 40, 2)]) : isSummary(request) ? summary() : page([])));
    await data.load();
    expect(layers.segments.has('4')).toBe(true);
    // A view read is on its way (asked while the segment was there) when the delete goes through.
    let answer!: () => void;
    const inFlight = new Promise<void>((resolve) => (answer = resolve));
    fakeFetch(async (request) => {
      if (!isTile(request)) return page([]);
      await inFlight;
      return tile(request, [segment('4', 'planned', 40, 2)]);
    });
    const reading = data.refresh();
    await new Promise((resolve) => setTimeout(resolve, 0));
    data.removeFeature('segment', '4');
    answer();
    await reading;
    expect(layers.segments.has('4')).toBe(false);
    // A read asked after the delete no longer lists it: the page forgets that it went.
    fakeFetch((request) => (isTile(request) ? tile(request, []) : page([])));
    await data.refresh();
    expect(layers.segments.has('4')).toBe(false);
  });

  describe('a change on the live feed', () => {
    const change = (over: Partial<FeedChange>): FeedChange => ({
      entity: 'segment',
      id: '7',
      action: 'status_change',
      version: 3,
      fields: ['status'],
      after: { status: 'active' },
      at: '2026-12-02T01:00:00.000Z',
      ...over,
    });

    it('reads a segment the map shows an older version of, draws it, and reads the view again for the sites it connected', async () => {
      const { data, layers } = setUp();
      fakeFetch(empty);
      await data.load();
      layers.segments.set('7', segment('7', 'tested', 100, 2));
      const fresh = { ...segment('7', 'active', 100, 3).properties, geometry: segment('7', 'active', 100).geometry };
      const { requests } = fakeFetch((request) => (request.url.pathname === '/api/segments/7' ? { body: fresh } : tile(request, [segment('7', 'active', 100, 3)])));
      data.applyChange(change({}));
      await waitFor(() => expect(layers.segments.get('7')!.properties).toMatchObject({ status: 'active', version: 3 }));
      await waitFor(() => expect(requests.some(isTile)).toBe(true));
      expect(requests.filter((request) => !isTile(request) && !isSummary(request)).map((r) => r.url.pathname)).toEqual(['/api/segments/7']);
    });

    it('reads the view again for a feature it does not show (new, or elsewhere), without reading it by id', async () => {
      const { data, layers } = setUp();
      fakeFetch(empty);
      await data.load();
      const { requests } = fakeFetch((request) => (isSummary(request) ? summary(20) : tile(request, [segment('8', 'planned', 20, 1)])));
      data.applyChange(change({ id: '8', action: 'create', version: 1, fields: [] }));
      await waitFor(() => expect(layers.segments.has('8')).toBe(true));
      // The view's tiles, and the figures the new segment changed.
      await waitFor(() => expect(requests.some(isSummary)).toBe(true));
      expect(requests.every((request) => isTile(request) || isSummary(request))).toBe(true);
    });

    it('asks nothing for a version the map already shows, or for what it does not draw', async () => {
      const { data, layers } = setUp();
      fakeFetch(empty);
      await data.load();
      layers.segments.set('7', segment('7', 'active', 100, 3));
      const { requests } = fakeFetch(() => page([]));
      data.applyChange(change({ fields: ['name'] }));
      data.applyChange(change({ entity: 'user', id: 'u1', fields: ['role'] }));
      data.applyChange(change({ entity: 'import', id: 'i1', action: 'commit' }));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(requests).toEqual([]);
    });

    it('takes a deleted segment off the map', async () => {
      const { data, layers } = setUp();
      fakeFetch(empty);
      await data.load();
      layers.segments.set('7', segment('7', 'active', 100, 3));
      fakeFetch((request) => (isSummary(request) ? summary(0) : tile(request)));
      data.applyChange(change({ action: 'delete', version: null, fields: [] }));
      expect(layers.segments.has('7')).toBe(false);
      await waitFor(() => expect(data.figures.value?.networkM).toBe(0));
    });
  });
});
