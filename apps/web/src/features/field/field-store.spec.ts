/** @jest-environment ./apps/web/jest-environment.cjs */
/**
 * The field panel's store: finding, opening, the checks a draft meets before it is queued, and
 * what a queued change does to the next one — on a real outbox (in-memory IndexedDB) and a
 * scripted server.
 */
import 'fake-indexeddb/auto';
import { errorBody, fakeFetch } from '../../shared/fake-fetch.testing';
import { fakeHost, fakeSegmentApi, fieldStore, inDom, segment, settle, technicianOutbox } from './field-kit.testing';

const SEGMENTS = [segment('s1', 'BB-003', 'in_construction'), segment('s2', 'DS-010', 'installed'), segment('s3', 'BB-030', 'active')];

beforeEach(() => {
  inDom();
  jest.useRealTimers();
});

describe('the field store', () => {
  it('finds by code and by the name of the site at either end, and opens the only match on Enter', async () => {
    const { requests } = fakeSegmentApi(SEGMENTS);
    const host = fakeHost(SEGMENTS);
    const store = fieldStore(host, await technicianOutbox());
    store.open();

    store.setQuery('bb-03');
    store.submitQuery();
    expect(store.results.value.map((found) => found.code)).toEqual(['BB-030']);
    // The only match is opened straight away: marked on the map, its record and history asked for.
    expect(store.target.value).toEqual({ subject: 'segment', id: 's3' });
    expect(host.focused).toEqual(['segment:s3']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(requests.map((request) => request.url.pathname).sort()).toEqual(['/api/segments/s3', '/api/segments/s3/history']);
    expect(store.detail.value.state).toBe('ready');
    expect(store.history.value.state).toBe('ready');

    store.back();
    expect(store.target.value).toBeNull();
    expect(host.unfocused).toBe(1);
    store.setQuery('B');
    store.submitQuery();
    expect(store.results.value.map((found) => found.code)).toEqual(['BB-003', 'BB-030']);
    store.setQuery('ketapang');
    store.submitQuery();
    expect(store.results.value.map((found) => [found.code, found.site])).toEqual([['DS-010', 'SDN 1 Ketapang']]);
  });

  it('keeps a search being typed when the map refreshes a near-me list meanwhile', async () => {
    fakeSegmentApi(SEGMENTS);
    const host = fakeHost(SEGMENTS);
    const store = fieldStore(host, await technicianOutbox());
    store.open();
    await store.findNear();
    expect(store.resultsMode.value).toBe('near');
    store.setQuery('DS-010');
    // Tiles arrive before the typing settles: the near-me list must not take the text away.
    store.refreshed();
    expect(store.query.value).toBe('DS-010');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(store.resultsMode.value).toBe('search');
    expect(store.results.value.map((found) => found.code)).toEqual(['DS-010']);
    // Near me again replaces the search.
    await store.findNear();
    expect([store.resultsMode.value, store.query.value]).toEqual(['near', '']);
  });

  it('finds on the server what the map does not hold (the device keeps only the tiles it showed), after the matches on the device', async () => {
    const host = fakeHost(SEGMENTS);
    const store = fieldStore(host, await technicianOutbox());
    store.open();
    const row = (id: string, code: string) => ({
      id,
      code,
      status: 'active',
      tier: 'drop',
      placement: 'aerial',
      lengthM: 10,
      phaseId: null,
      phaseName: null,
      kecamatanNames: [],
      desaNames: [],
      updatedAt: '2026-12-01T00:00:00Z',
      version: 1,
    });
    const { requests } = fakeFetch((request) =>
      request.url.pathname === '/api/inventory/segments'
        ? { body: { rows: [row('s3', 'BB-030'), row('far', 'BB-0300')], total: 2, offset: 0, limit: 30 } }
        : { body: { rows: [], total: 0, offset: 0, limit: 30 } },
    );
    store.setQuery('bb-030');
    await new Promise((resolve) => setTimeout(resolve, 250));
    // The device's match first, the server's other one after it; none twice.
    expect(store.results.value.map((found) => found.code)).toEqual(['BB-030', 'BB-0300']);
    const asked = requests.find((request) => request.url.pathname === '/api/inventory/segments')!;
    expect(Object.fromEntries(asked.url.searchParams)).toMatchObject({ q: 'bb-030', limit: '30' });
    // The map reading its view again keeps the server's matches without asking again.
    const askedBefore = requests.length;
    store.refreshed();
    expect(store.results.value.map((found) => found.code)).toEqual(['BB-030', 'BB-0300']);
    expect(requests.length).toBe(askedBefore);
    // Offline (the server does not answer): the device's matches stand.
    fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    store.setQuery('bb-03');
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(store.results.value.map((found) => found.code)).toEqual(['BB-030']);
  });

  it('offers the next stage, and refuses a skipped stage without a reason before anything is queued', async () => {
    fakeSegmentApi(SEGMENTS);
    const outbox = await technicianOutbox();
    const store = fieldStore(fakeHost(SEGMENTS), outbox);
    store.openTarget({ subject: 'segment', id: 's1' });
    expect(store.base.value).toMatchObject({ status: 'in_construction', version: 3, basedOnQueued: false });

    store.chooseOther('tested');
    expect(await store.save()).toBe(false);
    expect(store.formMessage.value?.key).toBe('field.noteRequired');
    // Typing the reason takes the complaint away.
    store.setNote('Disambung dan diuji hari yang sama');
    expect(store.formMessage.value).toBeNull();
    store.chooseNext('installed');
    expect(store.chosen.value).toBe('installed');
    // A second tap on the big button takes the choice back.
    store.chooseNext('installed');
    expect(store.chosen.value).toBeNull();
    expect(await store.save()).toBe(false);
    expect(store.formMessage.value?.key).toBe('field.chooseStatus');
    expect(outbox.items()).toHaveLength(0);
  });

  it('warns once when the expected evidence is missing, then queues; the next change builds on the queued one', async () => {
    fakeSegmentApi(SEGMENTS, () => ({ status: 503, body: errorBody('UNAVAILABLE', 'maintenance') }));
    const outbox = await technicianOutbox();
    const store = fieldStore(fakeHost(SEGMENTS), outbox);
    store.openTarget({ subject: 'segment', id: 's1' });
    store.chooseNext('installed');

    expect(await store.save()).toBe(false);
    expect(store.formMessage.value).toMatchObject({ key: 'field.evidenceMissing', params: { evidence: 'foto atau posisi GPS' } });
    expect(store.confirmNoEvidence.value).toBe(true);
    expect(await store.save()).toBe(true);
    await settle(outbox);

    expect(outbox.items().map((item) => [item.fromStatus, item.toStatus, item.baseVersion, item.state])).toEqual([['in_construction', 'installed', 3, 'pending']]);
    expect(store.formMessage.value?.key).toBe('field.savedOnline');
    // The form is empty again, and the next change starts where the queued one ends.
    expect(store.chosen.value).toBeNull();
    expect(store.base.value).toMatchObject({ status: 'installed', version: 4, basedOnQueued: true });
  });

  it('attaches the GPS position as evidence, and queues an OTDR reading typed the Indonesian way', async () => {
    fakeSegmentApi(SEGMENTS, () => ({ status: 503, body: errorBody('UNAVAILABLE', 'maintenance') }));
    const outbox = await technicianOutbox();
    const store = fieldStore(fakeHost(SEGMENTS), outbox);
    store.openTarget({ subject: 'segment', id: 's2' });
    store.chooseNext('spliced');
    await store.attachGps();
    expect(store.gps.value).toEqual({ lon: 112.955, lat: -2.53, accuracyM: 8 });

    store.setOtdr('length', '1146,5');
    store.setOtdr('loss', 'banyak');
    expect(await store.save()).toBe(false);
    expect(store.formMessage.value?.key).toBe('field.otdrInvalid');
    store.setOtdr('loss', '0,42');
    store.setOtdr('wavelength', '1550');
    expect(await store.save()).toBe(true);
    await settle(outbox);
    expect(outbox.items()[0]).toMatchObject({
      toStatus: 'spliced',
      gps: { lon: 112.955, lat: -2.53, accuracyM: 8 },
      otdr: { lengthM: 1146.5, lossDb: 0.42, wavelengthNm: 1550 },
    });
  });

  it('asks before leaving a form whose photos are still being made smaller', async () => {
    fakeSegmentApi(SEGMENTS);
    const asked: string[] = [];
    let answer = false;
    const store = fieldStore(fakeHost(SEGMENTS), await technicianOutbox(), {
      // Never done: the photo stays "being made smaller".
      shrinkPhoto: () => new Promise(() => undefined),
      confirm: (text) => {
        asked.push(text);
        return answer;
      },
    });
    store.openTarget({ subject: 'segment', id: 's1' });
    store.addPhotos([new File([new Uint8Array(600 * 1024)], 'IMG_0001.jpg', { type: 'image/jpeg' })]);
    expect(store.shrinking.value).toHaveLength(1);
    store.chooseNext('installed');
    expect(await store.save()).toBe(false);

    store.back();
    expect(asked).toEqual(['Foto masih diproses (1). Tinggalkan perubahan ini? Foto itu dan isian lainnya tidak akan disimpan.']);
    expect(store.target.value).toEqual({ subject: 'segment', id: 's1' });
    answer = true;
    store.openTarget({ subject: 'segment', id: 's2' });
    expect(store.target.value).toEqual({ subject: 'segment', id: 's2' });
    expect(store.shrinking.value).toHaveLength(0);
  });

  it('refuses files that are not photos and more than ten photos for one change', async () => {
    fakeSegmentApi(SEGMENTS);
    const store = fieldStore(fakeHost(SEGMENTS), await technicianOutbox());
    store.openTarget({ subject: 'segment', id: 's1' });
    store.addPhotos([new File(['%PDF'], 'denah.pdf', { type: 'application/pdf' })]);
    expect(store.formMessage.value?.key).toBe('field.photoNotImage');
    store.addPhotos(Array.from({ length: 11 }, (_, i) => new File([new Uint8Array(10)], `foto-${i}.jpg`, { type: 'image/jpeg' })));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.photos.value).toHaveLength(10);
    expect(store.formMessage.value).toMatchObject({ key: 'field.photoTooMany', params: { max: 10 } });
  });
});
