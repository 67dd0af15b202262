/**
 * The field panel's state as signals: the search and "near me" results, the open segment or node
 * with its detail and history, the status form's draft (status, note, photos, GPS, OTDR) and the
 * messages. The components read these and call the actions; nothing here touches the DOM. What
 * the panel needs from outside (the map page, the outbox, the camera's shrinking, the GPS, the
 * browser's confirm) comes in as `FieldDeps`, so that the component tests can script it.
 */
import { batch, computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { LineString, Point } from 'geojson';
import { DEFAULT_EVIDENCE_RULES, STATUS_STAGES, type EvidenceKind } from '../../../../../libs/contract/src';
import { distanceM, distanceToLineM, type Position } from '../../map/geo';
import { ApiError, fieldApi, type HistoryEntry, type NodeFeature, type SegmentDetail, type SegmentFeature, type Subject } from '../../shared/api';
import { getLang, type Lang } from '../../shared/i18n';
import { judgeMove, NETWORK_STATUSES, type NetworkStatus } from '../../shared/vocabulary';
import type { FieldPhoto } from './field-photos';
import { t, type FieldKey } from './field.i18n';
import type { Outbox, OutboxDraft, OutboxItem } from './outbox';
import type { ShrinkOutcome } from './photo-shrink';

/** The server's limit for one photo (POST /api/photos), checked on the photo as it will be sent. */
export const PHOTO_MAX_BYTES = 15 * 1024 * 1024;
/** Larger files are refused at once: reading one to shrink it would strain a phone's memory. */
const PHOTO_INPUT_MAX_BYTES = 4 * PHOTO_MAX_BYTES;
export const MAX_PHOTOS = 10;
const SEARCH_LIMIT = 30;
const NEAR_LIMIT = 12;
/** Typing settles this long before the list is searched again. */
const SEARCH_DEBOUNCE_MS = 120;
/** A discard armed by the first tap is disarmed again after this long. */
const DISCARD_ARMED_MS = 5000;

/** What the panel needs from the map page. */
export interface FieldHost {
  segments(): readonly SegmentFeature[];
  nodes(): readonly NodeFeature[];
  /** Loads segments and nodes from the server again (new ones, changed ones). */
  refresh(): Promise<void>;
  /** Shows a segment or node on the map, clear of the panel, and marks it. */
  focus(subject: Subject, id: string): void;
  /** Removes that mark. */
  unfocus(): void;
  /** The technician's own position on the map, or none. */
  showPosition(position: { lon: number; lat: number; accuracyM: number } | null): void;
  kecamatanName(code: string | null): string | null;
  desaName(code: string | null): string | null;
  /** The name of the site a node terminates (a node's site, from the loaded sites), or none. */
  siteName(nodeId: string | null): string | null;
}

/** The outbox as the panel uses it (outbox.ts). */
export type FieldOutbox = Pick<Outbox, 'items' | 'itemsFor' | 'onChange' | 'add' | 'edit' | 'discard' | 'applyMineOnTop' | 'syncing' | 'unavailable'>;

export interface FieldDeps {
  host: FieldHost;
  outbox: FieldOutbox;
  /** Makes a photo smaller on the device (field-photos.ts); never fails. */
  shrinkPhoto(file: Blob): Promise<ShrinkOutcome>;
  /** @param maximumAgeMs how old a position the browser may answer with from its last fix */
  currentPosition?(maximumAgeMs: number): Promise<GeolocationPosition>;
  /** Asks the technician a yes/no question (window.confirm). */
  confirm?(text: string): boolean;
  online?(): boolean;
}

export interface Target {
  subject: Subject;
  id: string;
}

export interface Found {
  subject: Subject;
  id: string;
  code: string;
  status: string;
  /** The node kind; null for a segment. Turned into words when drawn (the language may change). */
  kind: string | null;
  /** The site the node terminates, or the site at either end of the segment: codes alone say little. */
  site: string | null;
  distanceM: number | null;
}

/** The open segment or node as the loaded map has it. */
export interface Snapshot {
  subject: Subject;
  id: string;
  code: string;
  status: string;
  version: number;
  segment: SegmentFeature | null;
  node: NodeFeature | null;
}

export type Loadable<T> = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; value: T; offline: boolean } | { state: 'failed'; offline: boolean };

export interface Message {
  key: FieldKey;
  params?: Record<string, string | number>;
  kind: 'ok' | 'error' | 'info';
  /** A server message in its own language, shown while the interface is in that language. */
  server?: { text: string; lang: Lang } | null;
}

/** The state a new change starts from: the server's, or the last change still queued for it. */
export interface Base {
  status: string;
  version: number;
  basedOnQueued: boolean;
  blockedBy: OutboxItem | null;
}

export interface GpsFix {
  lon: number;
  lat: number;
  accuracyM: number;
}

/** A photo being made smaller, in the order it was taken; saving waits for it. */
export interface ShrinkingPhoto {
  key: string;
  name: string;
  originalBytes: number;
}

export type ResultsMode = 'none' | 'search' | 'near';

const STAGES: readonly string[] = STATUS_STAGES;

/**
 * The usual move from `status`: the next construction stage, or back to active after a repair.
 * Active is the last stage; damage is reported through its own action, never as progress.
 */
export function nextStage(status: string): string | null {
  if (status === 'damaged') return 'active';
  const index = STAGES.indexOf(status);
  return index >= 0 && index < STAGES.length - 1 ? STAGES[index + 1] : null;
}

export function isStatus(value: string): value is NetworkStatus {
  return (NETWORK_STATUSES as readonly string[]).includes(value);
}

/** The statuses offered under "other status" from `from`: never the next stage (its own button) nor damage (its own action). */
export function otherStatuses(from: NetworkStatus): NetworkStatus[] {
  const next = nextStage(from);
  return NETWORK_STATUSES.filter((status) => status !== next && status !== 'damaged' && judgeMove(from, status).allowed);
}

/** The evidence the server asks for by default before moving to `status` (any one alternative), or null. */
export function expectedEvidence(status: string): EvidenceKind[][] | null {
  return (isStatus(status) && DEFAULT_EVIDENCE_RULES[status]) || null;
}

/** "foto atau posisi GPS": the evidence `status` asks for, in words. */
export function evidenceText(status: string): string {
  return (expectedEvidence(status) ?? []).map((kinds) => kinds.map((kind) => t(`field.evidence.${kind}`)).join(t('field.and'))).join(t('field.or'));
}

/** A decimal typed the Indonesian way (`12,5`) or the English way (`12.5`); null when empty or not a number. */
export function parseDecimal(text: string): number | null {
  const cleaned = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!cleaned) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

function photoName(file: File, index: number): string {
  if (file.name) return file.name;
  const extension = file.type === 'image/png' ? 'png' : file.type === 'image/webp' ? 'webp' : 'jpg';
  return `foto-${index + 1}.${extension}`;
}

/** The name a shrunk photo is sent under: its own, ending in .jpg. */
export function jpegName(name: string): string {
  return /\.[a-z0-9]{2,5}$/i.test(name) ? name.replace(/\.[a-z0-9]{2,5}$/i, '.jpg') : `${name}.jpg`;
}

function geolocationMessage(error: GeolocationPositionError | null): FieldKey {
  if (!error) return 'field.gpsUnsupported';
  if (error.code === error.PERMISSION_DENIED) return 'field.gpsDenied';
  if (error.code === error.TIMEOUT) return 'field.gpsTimeout';
  return 'field.gpsUnavailable';
}

function browserPosition(maximumAgeMs: number): Promise<GeolocationPosition> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject(null);
      return;
    }
    navigator.geolocation.getCurrentPosition(resolve, reject, { enableHighAccuracy: true, timeout: 20_000, maximumAge: maximumAgeMs });
  });
}

const isNetwork = (error: unknown) => error instanceof ApiError && error.reason === 'network';

/** The bytes of an item's photos, as queued. */
export function photoBytes(item: Pick<OutboxItem, 'photos'>): number {
  return item.photos.reduce((sum, photo) => sum + photo.blob.size, 0);
}

export function createFieldStore(deps: FieldDeps) {
  const { host, outbox } = deps;
  const currentPosition = deps.currentPosition ?? browserPosition;
  const confirm = deps.confirm ?? ((text: string) => window.confirm(text));
  const isOnline = deps.online ?? (() => navigator.onLine);

  const enabled = signal(false);
  const isOpen = signal(false);
  /** Bumped when the outbox changed (and on online/offline, which it reports too). */
  const outboxTick = signal(0);
  /** Bumped when the map's data changed. */
  const mapTick = signal(0);

  // Home: search and near me.
  const query = signal('');
  const results = signal<Found[]>([]);
  const resultsMode = signal<ResultsMode>('none');
  const searchedServer = signal(false);
  const searchingServer = signal(false);
  const locating = signal(false);
  const position = signal<(GpsFix & { at: number }) | null>(null);
  const homeMessage = signal<Message | null>(null);
  /** The search field is to take the focus once it is on screen. */
  const searchFocus = signal(false);

  // Detail: one segment or node.
  const target = signal<Target | null>(null);
  const detail = signal<Loadable<SegmentDetail>>({ state: 'idle' });
  const history = signal<Loadable<HistoryEntry[]>>({ state: 'idle' });
  /** Bumped when the panel's body is to scroll back to its top. */
  const scrollTop = signal(0);

  // The status form's draft.
  const chosen = signal<string | null>(null);
  const note = signal('');
  const otdrLength = signal('');
  const otdrLoss = signal('');
  const otdrWavelength = signal('');
  const otherOpen = signal(false);
  const photos = signal<FieldPhoto[]>([]);
  const shrinking = signal<ShrinkingPhoto[]>([]);
  const gps = signal<GpsFix | null>(null);
  const gpsBusy = signal(false);
  const editing = signal<OutboxItem | null>(null);
  const formMessage = signal<Message | null>(null);
  const confirmNoEvidence = signal(false);
  const saving = signal(false);
  /** The item whose discard was tapped once: a second tap within a few seconds discards it. */
  const armedDiscard = signal<string | null>(null);

  let loadController: AbortController | null = null;
  let searchTimer = 0;
  let armedTimer = 0;

  const outboxItems = computed(() => {
    void outboxTick.value;
    return outbox.items();
  });
  const online = computed(() => {
    void outboxTick.value;
    return isOnline();
  });
  const syncing = computed(() => {
    void outboxTick.value;
    return outbox.syncing;
  });
  const outboxUnavailable = computed(() => {
    void outboxTick.value;
    return outbox.unavailable;
  });

  function snapshotOf(of: Target): Snapshot | null {
    if (of.subject === 'segment') {
      const feature = host.segments().find((f) => String(f.properties.id) === of.id);
      if (!feature) return null;
      const p = feature.properties;
      return { subject: 'segment', id: of.id, code: p.code, status: p.status, version: Number(p.version), segment: feature, node: null };
    }
    const feature = host.nodes().find((f) => String(f.properties.id) === of.id);
    if (!feature) return null;
    const p = feature.properties;
    return { subject: 'node', id: of.id, code: p.code, status: p.status, version: Number(p.version), segment: null, node: feature };
  }

  const snapshot = computed(() => {
    void mapTick.value;
    const open = target.value;
    return open ? snapshotOf(open) : null;
  });

  /** The changes still queued for the open segment or node. */
  const queuedForTarget = computed(() => {
    const open = target.value;
    return open ? outboxItems.value.filter((item) => item.targetId === open.id) : [];
  });

  /** The freshest of what the map and the server's answer for this segment say. */
  const current = computed(() => {
    const shot = snapshot.value;
    if (!shot) return null;
    const loaded = detail.value.state === 'ready' ? detail.value.value : null;
    return loaded && Number(loaded.version) > shot.version ? { status: loaded.status, version: Number(loaded.version) } : { status: shot.status, version: shot.version };
  });

  const base = computed((): Base | null => {
    const shot = snapshot.value;
    if (!shot) return null;
    const edited = editing.value;
    if (edited) return { status: edited.fromStatus, version: edited.baseVersion, basedOnQueued: edited.basedOnQueued, blockedBy: null };
    const queued = queuedForTarget.value;
    const blockedBy = queued.find((item) => item.state !== 'pending') ?? null;
    const last = queued.at(-1);
    if (last) return { status: last.toStatus, version: last.baseVersion + 1, basedOnQueued: true, blockedBy };
    const fresh = current.value!;
    return { status: fresh.status, version: fresh.version, basedOnQueued: false, blockedBy };
  });

  outbox.onChange(() => {
    outboxTick.value++;
  });
  // "Saved, will be sent" stops being true once the server has refused or questioned it.
  effect(() => {
    if (formMessage.value?.kind === 'ok' && queuedForTarget.value.some((item) => item.state !== 'pending')) formMessage.value = null;
  });

  // ------------------------------------------------------------------------------ finding

  /** The site at the segment's far end (a drop ends at its site), else at its near end. */
  const segmentSite = (feature: SegmentFeature) => host.siteName(feature.properties.toNodeId) ?? host.siteName(feature.properties.fromNodeId);

  /** How well a code or names match what was typed (upper case): 0 the code itself … 3 a name holds it; -1 not at all. */
  function matchRank(wanted: string, code: string, names: Array<string | null>): number {
    const upperCode = code.toLocaleUpperCase('id');
    if (upperCode === wanted) return 0;
    if (upperCode.startsWith(wanted)) return 1;
    if (upperCode.includes(wanted)) return 2;
    return names.some((name) => (name ?? '').toLocaleUpperCase('id').includes(wanted)) ? 3 : -1;
  }

  type Ranked = Found & { rank: number };
  const byRank = (a: Ranked, b: Ranked) => a.rank - b.rank || a.code.localeCompare(b.code, 'id', { numeric: true });

  /**
   * The server's matches of the whole network for one query, kept while that query stands: the
   * device holds only the tiles the map showed. They follow the device's own matches, none twice.
   */
  let serverMatches: { wanted: string; found: Ranked[] } | null = null;

  function runSearch(): void {
    const wanted = query.value.trim().toLocaleUpperCase('id');
    batch(() => {
      searchedServer.value = false;
      homeMessage.value = null;
      if (!wanted) {
        if (resultsMode.value === 'search') {
          results.value = [];
          resultsMode.value = 'none';
        }
        return;
      }
      const found: Ranked[] = [];
      const consider = (subject: Subject, id: string, code: string, name: string | null, status: string, kind: string | null, site: string | null) => {
        const rank = matchRank(wanted, code, [name, site]);
        if (rank >= 0) found.push({ subject, id, code, status, kind, site, distanceM: null, rank });
      };
      for (const f of host.segments()) consider('segment', String(f.properties.id), f.properties.code, null, f.properties.status, null, segmentSite(f));
      for (const f of host.nodes()) {
        const id = String(f.properties.id);
        consider('node', id, f.properties.code, f.properties.name, f.properties.status, f.properties.kind, host.siteName(id));
      }
      found.sort(byRank);
      const onDevice = new Set(found.map((row) => row.id));
      const fromServer = serverMatches?.wanted === wanted ? serverMatches.found.filter((row) => !onDevice.has(row.id)) : [];
      results.value = [...found, ...fromServer].slice(0, SEARCH_LIMIT).map(({ rank: _rank, ...row }) => row);
      resultsMode.value = 'search';
    });
  }

  /** The device's matches at once, and the server's after them while online. */
  function searchEverywhere(): void {
    runSearch();
    if (online.value) void searchOnServer();
  }

  let serverSearch: AbortController | null = null;
  /** Asks the server for the query's matches and lists them; false when it could not be asked (offline, refused): the device's matches stand then. */
  async function searchOnServer(): Promise<boolean> {
    const typed = query.value.trim();
    const wanted = typed.toLocaleUpperCase('id');
    serverSearch?.abort();
    if (!wanted) return false;
    const controller = new AbortController();
    serverSearch = controller;
    try {
      const rows = await fieldApi.find(typed, SEARCH_LIMIT, controller.signal);
      if (controller.signal.aborted || query.value.trim().toLocaleUpperCase('id') !== wanted || resultsMode.value !== 'search') return false;
      const found: Ranked[] = [
        ...rows.segments.map((row) => ({
          subject: 'segment' as const,
          id: row.id,
          code: row.code,
          status: row.status,
          kind: null,
          site: null,
          distanceM: null,
          rank: matchRank(wanted, row.code, []),
        })),
        ...rows.nodes.map((row) => ({
          subject: 'node' as const,
          id: row.id,
          code: row.code,
          status: row.status,
          kind: row.kind,
          site: null,
          distanceM: null,
          rank: matchRank(wanted, row.code, [row.name]),
        })),
      ];
      serverMatches = { wanted, found: found.sort(byRank) };
      runSearch();
      return true;
    } catch {
      return false;
    } finally {
      if (serverSearch === controller) serverSearch = null;
    }
  }

  function rankNear(): void {
    const from = position.value;
    if (!from) return;
    const here: Position = [from.lon, from.lat];
    const found: Found[] = [];
    for (const f of host.segments()) {
      const geometry = f.geometry as LineString | null;
      if (!geometry?.coordinates?.length) continue;
      found.push({
        subject: 'segment',
        id: String(f.properties.id),
        code: f.properties.code,
        status: f.properties.status,
        kind: null,
        site: segmentSite(f),
        distanceM: distanceToLineM(here, geometry.coordinates),
      });
    }
    for (const f of host.nodes()) {
      const geometry = f.geometry as Point | null;
      if (!geometry?.coordinates) continue;
      found.push({
        subject: 'node',
        id: String(f.properties.id),
        code: f.properties.code,
        status: f.properties.status,
        kind: f.properties.kind,
        site: host.siteName(String(f.properties.id)),
        distanceM: distanceM(here, geometry.coordinates),
      });
    }
    found.sort((a, b) => (a.distanceM ?? 0) - (b.distanceM ?? 0));
    batch(() => {
      results.value = found.slice(0, NEAR_LIMIT);
      resultsMode.value = 'near';
    });
  }

  function describeLoadError(error: unknown): Message {
    if (error instanceof ApiError && error.serverMessage) {
      return { key: 'field.loadFailed', kind: 'error', server: { text: error.serverMessage, lang: getLang() } };
    }
    return { key: isNetwork(error) ? 'field.offlineNoData' : 'field.loadFailed', kind: 'error' };
  }

  // ------------------------------------------------------------------------------- detail

  async function loadDetail(quiet = false): Promise<void> {
    const open = target.value;
    if (!open) return;
    loadController?.abort();
    const controller = new AbortController();
    loadController = controller;
    if (!quiet) {
      batch(() => {
        detail.value = { state: open.subject === 'segment' ? 'loading' : 'idle' };
        history.value = { state: 'loading' };
      });
    }
    const offline = () => !isOnline();
    const same = () => target.value === open && !controller.signal.aborted;
    const loaded =
      open.subject === 'segment'
        ? fieldApi.segment(open.id, controller.signal).then(
            (value) => same() && (detail.value = { state: 'ready', value, offline: offline() }),
            (error) => same() && !(error instanceof DOMException) && (detail.value = { state: 'failed', offline: offline() || isNetwork(error) }),
          )
        : Promise.resolve();
    const entries = fieldApi.history(open.subject, open.id, controller.signal).then(
      (value) => same() && (history.value = { state: 'ready', value, offline: offline() }),
      (error) => same() && !(error instanceof DOMException) && (history.value = { state: 'failed', offline: offline() || isNetwork(error) }),
    );
    await Promise.allSettled([loaded, entries]);
  }

  // --------------------------------------------------------------------------------- form

  function resetForm(item: OutboxItem | null = null): void {
    batch(() => {
      photos.value = item ? item.photos.map((photo) => ({ ...photo })) : [];
      // Photos still being shrunk belong to the form being left (the technician agreed to leave
      // them, leaveForm): their results are dropped.
      shrinking.value = [];
      gps.value = item?.gps ? { lon: item.gps.lon, lat: item.gps.lat, accuracyM: Number(item.gps.accuracyM ?? 0) } : null;
      note.value = item?.note ?? '';
      otdrLength.value = item?.otdr ? String(item.otdr.lengthM).replace('.', ',') : '';
      otdrLoss.value = item?.otdr ? String(item.otdr.lossDb).replace('.', ',') : '';
      otdrWavelength.value = item?.otdr?.wavelengthNm ? String(item.otdr.wavelengthNm) : '';
      otherOpen.value = false;
      chosen.value = item?.toStatus ?? null;
      formMessage.value = null;
      confirmNoEvidence.value = false;
    });
  }

  /**
   * Whether the form may be left for another feature, the list or the queue: photos still being
   * shrunk would be lost with it, so the technician is asked first ("Foto masih diproses…").
   */
  function leaveForm(): boolean {
    const count = shrinking.value.length;
    if (!count) return true;
    return confirm(t('field.photoShrinkingLeave', { count }));
  }

  function choose(status: string | null): void {
    batch(() => {
      chosen.value = status;
      confirmNoEvidence.value = false;
      formMessage.value = null;
    });
  }

  function photoShrunk(key: string, file: File, name: string, outcome: ShrinkOutcome): void {
    // Removed meanwhile, or the form was left.
    if (!shrinking.value.some((photo) => photo.key === key)) return;
    const photo: FieldPhoto =
      outcome.kind === 'shrunk'
        ? { key, blob: outcome.blob, name: jpegName(name), uploadedId: null, originalBytes: outcome.originalBytes }
        : { key, blob: file, name, uploadedId: null };
    batch(() => {
      shrinking.value = shrinking.value.filter((waiting) => waiting.key !== key);
      if (photo.blob.size > PHOTO_MAX_BYTES) formMessage.value = { key: 'field.photoTooLarge', params: { maxMb: PHOTO_MAX_BYTES / 1024 / 1024 }, kind: 'error' };
      else photos.value = [...photos.value, photo];
    });
  }

  function showHome(): void {
    if (target.value) host.unfocus();
    loadController?.abort();
    batch(() => {
      target.value = null;
      editing.value = null;
      resetForm();
    });
  }

  function reset(): void {
    loadController?.abort();
    batch(() => {
      target.value = null;
      results.value = [];
      resultsMode.value = 'none';
      query.value = '';
      position.value = null;
      homeMessage.value = null;
      detail.value = { state: 'idle' };
      history.value = { state: 'idle' };
      editing.value = null;
      resetForm();
    });
  }

  const store = {
    enabled: enabled as ReadonlySignal<boolean>,
    isOpen: isOpen as ReadonlySignal<boolean>,
    outboxItems,
    online,
    syncing,
    outboxUnavailable,
    query: query as ReadonlySignal<string>,
    results: results as ReadonlySignal<Found[]>,
    resultsMode: resultsMode as ReadonlySignal<ResultsMode>,
    searchedServer: searchedServer as ReadonlySignal<boolean>,
    searchingServer: searchingServer as ReadonlySignal<boolean>,
    locating: locating as ReadonlySignal<boolean>,
    position: position as ReadonlySignal<(GpsFix & { at: number }) | null>,
    homeMessage: homeMessage as ReadonlySignal<Message | null>,
    searchFocus: searchFocus as ReadonlySignal<boolean>,
    target: target as ReadonlySignal<Target | null>,
    snapshot,
    current,
    base,
    queuedForTarget,
    detail: detail as ReadonlySignal<Loadable<SegmentDetail>>,
    history: history as ReadonlySignal<Loadable<HistoryEntry[]>>,
    scrollTop: scrollTop as ReadonlySignal<number>,
    chosen: chosen as ReadonlySignal<string | null>,
    note: note as ReadonlySignal<string>,
    otdrLength: otdrLength as ReadonlySignal<string>,
    otdrLoss: otdrLoss as ReadonlySignal<string>,
    otdrWavelength: otdrWavelength as ReadonlySignal<string>,
    otherOpen: otherOpen as ReadonlySignal<boolean>,
    photos: photos as ReadonlySignal<FieldPhoto[]>,
    shrinking: shrinking as ReadonlySignal<ShrinkingPhoto[]>,
    gps: gps as ReadonlySignal<GpsFix | null>,
    gpsBusy: gpsBusy as ReadonlySignal<boolean>,
    editing: editing as ReadonlySignal<OutboxItem | null>,
    formMessage: formMessage as ReadonlySignal<Message | null>,
    confirmNoEvidence: confirmNoEvidence as ReadonlySignal<boolean>,
    saving: saving as ReadonlySignal<boolean>,
    armedDiscard: armedDiscard as ReadonlySignal<string | null>,

    host,

    /** Shown only to roles that may change a status. */
    setEnabled(on: boolean): void {
      if (!on) {
        store.close();
        reset();
      }
      enabled.value = on;
    },

    open(view?: 'home'): void {
      if (!enabled.value) return;
      if (view === 'home' && leaveForm()) showHome();
      isOpen.value = true;
    },

    /** The search field takes the focus as soon as it is on screen (a mouse and keyboard: a phone's keyboard would cover the list). */
    focusSearch(): void {
      searchFocus.value = true;
    },
    searchFocused(): void {
      searchFocus.value = false;
    },

    close(): void {
      isOpen.value = false;
      host.showPosition(null);
      host.unfocus();
    },

    /** Opens one segment or node (from a map popup, a search result or the outbox). */
    openTarget(next: Target): void {
      if (!enabled.value || !leaveForm()) return;
      batch(() => {
        target.value = { subject: next.subject, id: next.id };
        editing.value = null;
        resetForm();
      });
      store.open();
      host.focus(next.subject, next.id);
      void loadDetail();
      scrollTop.value++;
    },

    back(): void {
      if (leaveForm()) showHome();
    },

    /** The map has new data (after a sync or a reload): the open detail may have changed. */
    refreshed(): void {
      // The server's matches for this query are kept: a map that read its view again asks no more of them.
      if (resultsMode.value === 'search') runSearch();
      // Near-me ranked again, unless a search is being typed (its list comes when the typing settles).
      else if (resultsMode.value === 'near' && !query.value.trim()) rankNear();
      mapTick.value++;
    },

    /** A change of this target was accepted by the server: its history has a new entry. */
    applied(targetId: string): void {
      if (target.value?.id !== targetId) return;
      // "Saved, will be sent" is no longer news.
      if (formMessage.value?.kind === 'ok') formMessage.value = null;
      void loadDetail(true);
    },

    /** Typing in the search field: the list follows once the typing settles. */
    setQuery(text: string): void {
      query.value = text;
      window.clearTimeout(searchTimer);
      searchTimer = window.setTimeout(searchEverywhere, SEARCH_DEBOUNCE_MS);
    },

    /** Enter: search now, and open the only match straight away. */
    submitQuery(): void {
      window.clearTimeout(searchTimer);
      runSearch();
      if (results.value.length === 1) store.openTarget(results.value[0]);
    },

    /** Nothing on the device matches: load the network from the server again and look once more. */
    async searchServer(): Promise<void> {
      if (searchingServer.value) return;
      searchingServer.value = true;
      try {
        runSearch();
        if (!(await searchOnServer())) await host.refresh();
        searchedServer.value = true;
      } catch (error) {
        homeMessage.value = describeLoadError(error);
      } finally {
        searchingServer.value = false;
      }
    },

    async findNear(): Promise<void> {
      if (locating.value) return;
      batch(() => {
        locating.value = true;
        homeMessage.value = null;
      });
      try {
        // Asked for where the technician stands now: half a minute in a car is half a kilometre.
        const { coords } = await currentPosition(0);
        position.value = { lon: coords.longitude, lat: coords.latitude, accuracyM: coords.accuracy, at: Date.now() };
        host.showPosition(position.value);
        // Near me replaces a search: its text goes with it.
        window.clearTimeout(searchTimer);
        batch(() => {
          query.value = '';
          rankNear();
        });
      } catch (error) {
        homeMessage.value = { key: geolocationMessage(error as GeolocationPositionError | null), kind: 'error' };
      } finally {
        locating.value = false;
      }
    },

    /** The big "next stage" button: a second tap takes the choice back. */
    chooseNext(next: string): void {
      batch(() => {
        choose(chosen.value === next ? null : next);
      });
    },
    chooseDamage(): void {
      batch(() => {
        choose(chosen.value === 'damaged' ? null : 'damaged');
        otherOpen.value = false;
      });
    },
    chooseOther(status: string): void {
      choose(status || null);
    },
    setOtherOpen(open: boolean): void {
      otherOpen.value = open;
    },
    setNote(text: string): void {
      batch(() => {
        note.value = text;
        if (formMessage.value?.kind === 'error') formMessage.value = null;
      });
    },
    setOtdr(part: 'length' | 'loss' | 'wavelength', text: string): void {
      ({ length: otdrLength, loss: otdrLoss, wavelength: otdrWavelength })[part].value = text;
    },

    /**
     * Each photo is made smaller on the device before it is queued (at most 2048 px, EXIF position
     * and time kept): a camera's 5 MB becomes well under 1 MB to send over 3G and to keep on the
     * phone. Whatever fails, the photo is kept as taken.
     */
    addPhotos(files: readonly File[]): void {
      batch(() => {
        for (const [index, file] of files.entries()) {
          if (photos.value.length + shrinking.value.length >= MAX_PHOTOS) {
            formMessage.value = { key: 'field.photoTooMany', params: { max: MAX_PHOTOS }, kind: 'error' };
            break;
          }
          if (file.type && !file.type.startsWith('image/')) {
            formMessage.value = { key: 'field.photoNotImage', kind: 'error' };
            continue;
          }
          if (file.size > PHOTO_INPUT_MAX_BYTES) {
            formMessage.value = { key: 'field.photoTooLarge', params: { maxMb: PHOTO_MAX_BYTES / 1024 / 1024 }, kind: 'error' };
            continue;
          }
          const key = `${Date.now()}-${index}-${Math.random().toString(36).slice(2, 8)}`;
          const name = photoName(file, photos.value.length + shrinking.value.length);
          shrinking.value = [...shrinking.value, { key, name, originalBytes: file.size }];
          void deps.shrinkPhoto(file).then((outcome) => photoShrunk(key, file, name, outcome));
        }
        confirmNoEvidence.value = false;
      });
    },

    removePhoto(key: string): void {
      batch(() => {
        shrinking.value = shrinking.value.filter((photo) => photo.key !== key);
        photos.value = photos.value.filter((photo) => photo.key !== key);
      });
    },

    async attachGps(): Promise<void> {
      if (gpsBusy.value) return;
      batch(() => {
        gpsBusy.value = true;
        formMessage.value = null;
      });
      try {
        const { coords } = await currentPosition(30_000);
        batch(() => {
          gps.value = { lon: Number(coords.longitude.toFixed(7)), lat: Number(coords.latitude.toFixed(7)), accuracyM: Math.round(coords.accuracy) };
          confirmNoEvidence.value = false;
        });
      } catch (error) {
        formMessage.value = { key: geolocationMessage(error as GeolocationPositionError | null), kind: 'error' };
      } finally {
        gpsBusy.value = false;
      }
    },

    removeGps(): void {
      gps.value = null;
    },

    /**
     * Checks the draft as the server would (the lifecycle, a reason where one is needed, the OTDR
     * figures, the expected evidence once) and queues it in the outbox. Resolves to whether it was
     * queued; the form's message says why not.
     */
    async save(): Promise<boolean> {
      const shot = snapshot.value;
      const from = base.value;
      // The button says "Memperkecil foto…" meanwhile; Enter in a field must not get past it either.
      if (!shot || !from || saving.value || shrinking.value.length) return false;
      const fail = (message: Message) => {
        formMessage.value = message;
        return false;
      };
      const to = chosen.value;
      if (!to || !isStatus(to) || !isStatus(from.status)) return fail({ key: 'field.chooseStatus', kind: 'error' });
      const verdict = judgeMove(from.status, to);
      if (!verdict.allowed) return fail({ key: 'field.notAllowed', kind: 'error' });
      const text = note.value.trim();
      if (verdict.needsReason && !text) return fail({ key: 'field.noteRequired', kind: 'error' });
      let otdr: OutboxDraft['otdr'] = null;
      if (to === 'tested' || otdrLength.value.trim() || otdrLoss.value.trim()) {
        const lengthM = parseDecimal(otdrLength.value);
        const lossDb = parseDecimal(otdrLoss.value);
        if (lengthM !== null || lossDb !== null) {
          if (lengthM === null || lossDb === null || lengthM < 0 || lossDb < -10 || lossDb > 100) return fail({ key: 'field.otdrInvalid', kind: 'error' });
          const wavelength = Number(otdrWavelength.value);
          otdr = { lengthM, lossDb, ...(wavelength ? { wavelengthNm: wavelength } : {}) };
        }
      }
      const expected = expectedEvidence(to);
      const given: Record<EvidenceKind, boolean> = { photo: photos.value.length > 0, gps: !!gps.value, otdr: !!otdr, note: !!text };
      if (expected && !expected.some((kinds) => kinds.every((kind) => given[kind])) && !confirmNoEvidence.value) {
        // The server decides, but telling the technician on the spot beats a refusal hours later.
        confirmNoEvidence.value = true;
        return fail({ key: 'field.evidenceMissing', params: { evidence: evidenceText(to) }, kind: 'error' });
      }

      const draft: OutboxDraft = {
        subject: shot.subject,
        targetId: shot.id,
        code: shot.code,
        fromStatus: from.status,
        baseVersion: from.version,
        basedOnQueued: from.basedOnQueued,
        toStatus: to,
        note: text,
        gps: gps.value,
        otdr,
        photos: photos.value.map((photo) => ({ ...photo })),
      };
      saving.value = true;
      try {
        const edited = editing.value;
        if (edited) await outbox.edit(edited.id, draft);
        else await outbox.add(draft);
        batch(() => {
          editing.value = null;
          resetForm();
          formMessage.value = { key: isOnline() ? 'field.savedOnline' : 'field.savedOffline', kind: 'ok' };
          // Back to the top: the message and the queued change are what the technician wants to see.
          scrollTop.value++;
        });
        return true;
      } catch {
        formMessage.value = { key: 'field.saveFailed', kind: 'error' };
        return false;
      } finally {
        saving.value = false;
      }
    },

    cancelEdit(): void {
      if (!leaveForm()) return;
      batch(() => {
        editing.value = null;
        resetForm();
      });
    },

    /** "Perbaiki" on a refused change: the form opens with it, to be sent again in its place. */
    startEdit(item: OutboxItem): void {
      if (!leaveForm()) return;
      batch(() => {
        target.value = { subject: item.subject, id: item.targetId };
        editing.value = item;
        resetForm(item);
      });
      store.open();
      host.focus(item.subject, item.targetId);
      void loadDetail();
    },

    /** The first tap arms the discard, a second within a few seconds discards. */
    discard(item: OutboxItem): void {
      window.clearTimeout(armedTimer);
      if (armedDiscard.value !== item.id) {
        armedDiscard.value = item.id;
        armedTimer = window.setTimeout(() => {
          armedDiscard.value = null;
        }, DISCARD_ARMED_MS);
        return;
      }
      batch(() => {
        armedDiscard.value = null;
        if (editing.value?.id === item.id) {
          editing.value = null;
          resetForm();
        }
      });
      void outbox.discard(item.id);
    },

    applyMineOnTop(item: OutboxItem): void {
      void outbox.applyMineOnTop(item.id);
    },
  };
  return store;
}

export type FieldStore = ReturnType<typeof createFieldStore>;
