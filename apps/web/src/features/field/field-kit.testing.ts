/**
 * For the field panel's component tests: a map page with a few segments, a real outbox on an
 * in-memory IndexedDB (fake-indexeddb, loaded by the spec) and the server answered by the test
 * through `fetch` (shared/fake-fetch.testing.ts).
 */
import type { HistoryEntry, SegmentFeature } from '../../shared/api';
import { fieldApi } from '../../shared/api';
import { errorBody, fakeFetch, type FakeAnswer, type FakeRequest } from '../../shared/fake-fetch.testing';
import { getLang, setLang } from '../../shared/i18n';
import type { NetworkStatus } from '../../shared/vocabulary';
import { createFieldStore, type FieldDeps, type FieldHost } from './field-store';
import { Outbox, type OutboxItem } from './outbox';
import { OutboxStore } from './outbox-store';
import type { ShrinkOutcome } from './photo-shrink';

export function segment(id: string, code: string, status: NetworkStatus, version = 3): SegmentFeature {
  return {
    type: 'Feature',
    geometry: {
      type: 'LineString',
      coordinates: [
        [112.95, -2.53],
        [112.96, -2.53],
      ],
    },
    properties: {
      id,
      code,
      fromNodeId: `${id}-a`,
      toNodeId: `${id}-b`,
      placement: 'aerial',
      tier: 'distribution',
      cableType: 'ADSS',
      coreCount: 24,
      lengthM: 1146.5,
      status,
      phaseId: null,
      phaseName: 'Tahap 1',
      version,
    },
  } as SegmentFeature;
}

export function historyEntry(id: string, toStatus: NetworkStatus, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id,
    fromStatus: null,
    toStatus,
    changedAt: '2026-11-30T02:00:00Z',
    deviceTime: null,
    changedBy: 'system:seed',
    note: 'initial status',
    gps: null,
    otdr: null,
    photoIds: [],
    ...extra,
  };
}

export type StatusAnswer = (request: FakeRequest) => FakeAnswer;

/** The api of one segment: its record and history, and what POST …/status answers (a 500 unless the test says). */
export function fakeSegmentApi(segments: SegmentFeature[], onStatus: StatusAnswer = () => ({ status: 500, body: errorBody('INTERNAL', 'no answer scripted') })) {
  return fakeFetch((request) => {
    const match = /^\/api\/segments\/([^/]+)(\/history|\/status)?$/.exec(request.url.pathname);
    const feature = match && segments.find((f) => f.properties.id === match[1]);
    if (!match || !feature) return { status: 404, body: errorBody('NOT_FOUND', 'not found') };
    if (match[2] === '/history') return { body: { history: [historyEntry(`${feature.properties.id}-h1`, feature.properties.status)] } };
    if (match[2] === '/status') return onStatus(request);
    return {
      body: {
        ...feature.properties,
        areas: [
          { level: 'kecamatan', code: '62.02.05', name: 'Mentawa Baru Ketapang', lengthM: 900 },
          { level: 'desa', code: '62.02.05.2001', name: 'Ketapang', lengthM: 900 },
        ],
      },
    };
  });
}

export interface FakeHost extends FieldHost {
  focused: string[];
  unfocused: number;
}

export function fakeHost(segments: SegmentFeature[]): FakeHost {
  const host: FakeHost = {
    focused: [],
    unfocused: 0,
    segments: () => segments,
    nodes: () => [],
    refresh: () => Promise.resolve(),
    focus: (subject, id) => host.focused.push(`${subject}:${id}`),
    unfocus: () => {
      host.unfocused++;
    },
    showPosition: () => undefined,
    kecamatanName: () => null,
    desaName: () => null,
    siteName: (nodeId) => (nodeId === 's2-b' ? 'SDN 1 Ketapang' : null),
  };
  return host;
}

let databases = 0;

/** A signed-in technician's outbox of its own (a database per test). */
export async function technicianOutbox(): Promise<Outbox> {
  const outbox = new Outbox({ store: new OutboxStore<OutboxItem>(`field-test-${++databases}`), api: fieldApi, lang: getLang });
  await outbox.setUser('user-1');
  return outbox;
}

/** A GPS fix at the segment, as the browser gives it. */
export const here = (accuracy = 7.6) => Promise.resolve({ coords: { longitude: 112.955, latitude: -2.53, accuracy } } as GeolocationPosition);

export function fieldStore(host: FieldHost, outbox: Outbox, deps: Partial<FieldDeps> = {}) {
  const store = createFieldStore({
    host,
    outbox,
    shrinkPhoto: (blob): Promise<ShrinkOutcome> => Promise.resolve({ kind: 'kept', reason: 'small', originalBytes: blob.size }),
    currentPosition: () => here(),
    confirm: () => true,
    online: () => true,
    ...deps,
  });
  store.setEnabled(true);
  return store;
}

/** Lets the outbox and the fake server finish what they started. */
export async function settle(outbox: Outbox): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (!outbox.syncing) return;
  }
  throw new Error('the outbox kept sending');
}

export function inDom(): void {
  setLang('id');
  // jsdom has no media queries: a desktop with a mouse, no map app for `geo:` links.
  window.matchMedia = ((query: string) => ({ matches: query.includes('fine'), media: query }) as MediaQueryList) as typeof window.matchMedia;
}
