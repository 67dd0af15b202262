/**
 * The map's data path: what one signed-in session reads (the areas, and of the network only the
 * tiles its view needs: GET /api/map/tiles, see libs/contract/src/tiles.ts), what a change the
 * server answered or the live feed brought does to the map, and reading the view again after
 * changes went through. Features that no tile of the view holds go off the map, so what the page
 * keeps stays bounded whatever the size of the network.
 * Figures for the header and the legend are the server's (GET /api/map/summary, kept as the network
 * changes), read at the start and again after a change here or on the live feed, and published as
 * signals. Each session's requests are
 * cancelled, and their late answers ignored, once it ends (signing out, the session expiring, a
 * reload of the data).
 */
import { signal } from '@preact/signals';
import { tileZoomFor, tilesCovering, type FeedChange, type MapSummary, type TileAddress } from '../../../../libs/contract/src';
import {
  api,
  ApiError,
  editApi,
  figuresApi,
  type AreaFeature,
  type Editable,
  type EditableRecord,
  type Meta,
  type NodeRecord,
  type Phase,
  type SegmentRecord,
  type SiteFeature,
  type SiteRecord,
  type Subject,
  type SubjectState,
} from '../shared/api';
import type { LiveFeed } from '../shared/live-feed';
import { siteCountsOf, type SiteCount } from '../shared/ui';
import type { AreaLayers } from './areas';
import type { NetworkLayers } from './network-layers';
import type { SeratMap } from './serat-map';
import { pageMoment, TileSource, type TileAnswer } from './tile-source';

/** Metres per status, for the legend and the header. */
export interface LengthFigures {
  lengthsByStatus: Map<string, number>;
  networkM: number;
  activeM: number;
}

/** One signed-in session of the map. */
interface MapSession {
  readonly controller: AbortController;
}

export interface NetworkDataHost {
  /** /api/meta, asked once by the app (the region comes first: the view depends on it). */
  meta(): Promise<Meta>;
  /** The whole load is done (whatever failed is in `errors`). */
  loaded(): void;
  /** The network was read again or changed: panels that list it look again. */
  refreshed(): void;
  /** The live feed says the session has ended. */
  signedOut(): void;
}

const FEED_SUBJECTS: ReadonlySet<string> = new Set<Editable>(['segment', 'node', 'site']);

/** The view is read with a margin around it (a share of its size), so a small pan needs no request. */
const VIEW_MARGIN = 0.25;
/** After a pan or zoom ends, how long the view must stay before its tiles are asked for. */
const VIEW_SETTLE_MS = 120;

/** Whether two features' properties say the same (a tile answer that changes nothing on screen). */
function sameProperties(a: object, b: object): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key]);
}

/** The legend's and the header's metres per status, from the server's figures of the whole network. */
export function lengthsOf(summary: Pick<MapSummary, 'segments'>): LengthFigures {
  const lengthsByStatus = new Map<string, number>();
  let networkM = 0;
  for (const { status, lengthM } of summary.segments) {
    const metres = Number(lengthM) || 0;
    lengthsByStatus.set(status, (lengthsByStatus.get(status) ?? 0) + metres);
    networkM += metres;
  }
  return { lengthsByStatus, networkM, activeM: lengthsByStatus.get('active') ?? 0 };
}

/** After a change, how long to wait for more before the figures are read again (one read for a burst). */
const FIGURES_SETTLE_MS = 250;

export class NetworkData {
  /** Null until the session's figures are read. */
  readonly figures = signal<LengthFigures | null>(null);
  /** Sites per kind (connected of total); null until read. */
  readonly sitesByKind = signal<SiteCount[] | null>(null);
  readonly loading = signal(false);
  /** What failed in the last load (retried whole by reload()). */
  readonly errors = signal<unknown[]>([]);
  /** When the oldest data on screen was stored on this device rather than read just now; null when all came from the server. */
  readonly offlineCopyAt = signal<string | null>(null);
  /** The load of this session has finished. */
  loaded = false;
  /** When the map's data was last asked for (the service worker keeps what is asked after it took over). */
  readSince = 0;
  private session: MapSession | null = null;
  private offlineCopies = 0;
  /**
   * Features whose properties on the page are not the whole story (only a status was applied, or
   * they were drawn from an edit answer without the names the list carries): the next read of the
   * network replaces them even at the same version.
   */
  private readonly partialIds = new Set<string>();
  private refreshTimer = 0;
  private figuresTimer = 0;
  /** Bumped for every read of the figures: an older answer is not shown over a newer one. */
  private figuresRound = 0;
  /**
   * The work packages to choose from: read once per session from /api/phases (also those nothing
   * uses yet; the service worker keeps a copy for offline use). Until that list is read, or when
   * it cannot be (offline, no copy), the phases the loaded map data names stand in.
   */
  private phaseList: Phase[] | null = null;
  private phaseRequest: Promise<void> | null = null;
  /** The tiles of the network this session has read (bounded). */
  private readonly tiles = new TileSource(
    (address, signal) => api.tile(address, signal),
    () => this.feed?.state.value === 'live',
  );
  /** Bumped for every read of the view: an answer of an older one draws nothing. */
  private viewRound = 0;
  private viewTimer = 0;
  private viewRefreshTimer = 0;
  /** The view moved since it was last read. */
  private viewPending = false;
  /** For each feature drawn from a tile, the tile zoom it came from (a line's detail follows the zoom). */
  private readonly shownDetail = new Map<string, number>();
  /** Features stored from the server's own answers (edits, reads by id), and when (a page moment): kept on the map until a view read asked after that says. */
  private readonly pinned = new Map<string, number>();
  /** Features deleted on the server as this page learned it, and when (a page moment): a tile asked before that still lists them and must not bring them back. */
  private readonly removed = new Map<string, number>();

  constructor(
    private readonly base: SeratMap,
    private readonly areas: AreaLayers,
    private readonly layers: NetworkLayers,
    private readonly host: NetworkDataHost,
    /** Others' changes as they are committed (GET /api/events); none in component tests. */
    private readonly feed: LiveFeed | null = null,
  ) {}

  /** A session's data is on the map (or on its way). */
  get active(): boolean {
    return !!this.session;
  }

  private isCurrent(current: MapSession): boolean {
    return this.session === current && !current.controller.signal.aborted;
  }

  /**
   * Reads the network's figures (a 304 while they are the same). Where they cannot be read (offline
   * without a copy, a failing server), the figures on screen stay as they were.
   */
  private async readFigures(current: MapSession): Promise<void> {
    const round = ++this.figuresRound;
    const summary = await figuresApi.summary({}, current.controller.signal);
    if (!this.isCurrent(current) || round !== this.figuresRound) return;
    if (!Array.isArray(summary?.segments) || !Array.isArray(summary?.sites)) throw new ApiError('/api/map/summary', 200, 'invalid');
    this.figures.value = lengthsOf(summary);
    this.sitesByKind.value = siteCountsOf(summary.sites);
  }

  /** Something changed (here or on the feed): the figures are read again, once for changes close together. */
  private scheduleFigures(delayMs = FIGURES_SETTLE_MS): void {
    const current = this.session;
    if (!current || this.figuresTimer) return;
    this.figuresTimer = window.setTimeout(() => {
      this.figuresTimer = 0;
      if (this.isCurrent(current)) void this.base.activity.track('figures', this.readFigures(current)).catch(() => undefined);
    }, delayMs);
  }

  /** Reads the areas of a new session and the network its view shows, and draws them as they arrive. */
  async load(): Promise<void> {
    const current: MapSession = { controller: new AbortController() };
    this.session = current;
    this.readSince = Date.now();
    const { signal: abort } = current.controller;
    const { map, activity } = this.base;
    const errors: unknown[] = [];
    this.loading.value = true;
    activity.set('load', true);
    map.invalidateSize({ animate: false });
    // Opened before the reads, so that what changes while they are under way comes through it.
    this.feed?.start({
      change: (change) => this.applyChange(change),
      resync: () => void this.refresh().catch(() => undefined),
      signedOut: () => this.host.signedOut(),
    });

    // Everything starts at once; the view needs the region first, so meta is awaited before any
    // layer is added to the map.
    const metaRequest = this.host.meta();
    const requests = {
      kabupaten: api.areas('kabupaten', undefined, abort),
      kecamatan: api.areas('kecamatan', undefined, abort),
    };
    for (const request of Object.values(requests)) request.catch(() => undefined);
    const figuresRequest = this.readFigures(current);
    figuresRequest.catch(() => undefined);

    try {
      await metaRequest;
    } catch (error) {
      if (this.isCurrent(current)) errors.push(error);
    }
    if (!this.isCurrent(current)) return;
    const linked = this.base.openView();
    this.areas.addTo(map);
    this.layers.addTo(map);
    this.base.buildControls(() => [
      ['layers.kecamatan', this.areas.kecamatanGroup],
      ['layers.desa', this.areas.desaOverlay],
      ['layers.segments', this.layers.segmentsGroup],
      ['layers.nodes', this.layers.nodesGroup],
      ['layers.sites', this.layers.sitesGroup],
    ]);

    /** Runs `draw` with the answer only while this session is still the one on screen. */
    const whenCurrent =
      <T>(draw: (value: T) => void) =>
      (value: T) => {
        if (this.isCurrent(current)) draw(value);
      };
    const areaTasks = [
      requests.kabupaten.then(
        whenCurrent((features: AreaFeature[]) => {
          const bounds = this.areas.drawKabupaten(features);
          if (features.length && this.base.regionFromAreas(bounds) && !linked) this.base.fitRegion(false);
        }),
      ),
      requests.kecamatan.then(whenCurrent((features: AreaFeature[]) => this.areas.drawKecamatan(features))),
    ];
    // The network of the view as it is now; fitting the region moves it, and the tiles of the
    // fitted view follow (those of both views are mostly the same, and asked for once).
    map.on('moveend', this.viewMoved);
    const results = await Promise.allSettled([...areaTasks, figuresRequest, this.readView(current)]);
    if (!this.isCurrent(current)) return;
    for (const result of results) if (result.status === 'rejected') errors.push(result.reason);
    // The region fitted while the first tiles were read: the fitted view is the one that counts.
    if (this.viewPending) await this.readView(current).catch((error: unknown) => errors.push(error));
    if (!this.isCurrent(current)) return;

    this.errors.value = errors;
    this.loading.value = false;
    document.body.dataset.mapReady = 'true';
    activity.setReady(true);
    activity.set('load', false);
    this.loaded = true;
    this.host.loaded();
    this.areas.scheduleDesa();
  }

  /** The view moved: its tiles are read once it has settled. */
  private readonly viewMoved = () => {
    const current = this.session;
    if (!current) return;
    this.viewPending = true;
    window.clearTimeout(this.viewTimer);
    this.viewTimer = window.setTimeout(() => {
      if (!this.loaded) return; // load() reads the settled view itself
      void this.base.activity.track('tiles', this.readView(current)).catch(() => undefined);
    }, VIEW_SETTLE_MS);
  };

  /** The tiles that the view (with its margin) needs, at the zoom it is drawn at. */
  private wantedTiles(): TileAddress[] {
    const { map } = this.base;
    const bounds = map.getBounds().pad(VIEW_MARGIN);
    return tilesCovering([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], tileZoomFor(map.getZoom()));
  }

  /**
   * Reads the tiles of the view and draws each as it arrives. Once every one of them has answered
   * from the server, what none of them holds goes off the map (out of view, or deleted), except
   * what this page stored from the server after those answers were asked for. A later view
   * supersedes an earlier one still being read.
   */
  private async readView(current: MapSession): Promise<void> {
    if (!this.isCurrent(current)) return;
    const round = ++this.viewRound;
    this.viewPending = false;
    const wanted = this.wantedTiles();
    const isLatest = () => this.isCurrent(current) && round === this.viewRound;
    let changed = false;
    const settled = await Promise.allSettled(
      wanted.map((address) =>
        this.tiles.get(address, current.controller.signal).then((answer) => {
          if (isLatest() && this.drawTile(answer)) changed = true;
          return answer;
        }),
      ),
    );
    if (!isLatest()) return;
    const answers = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    if (answers.length === wanted.length && answers.every((answer) => !answer.storedAt) && this.dropUnlisted(answers)) changed = true;
    if (changed) {
      this.layers.settleRenderers();
      this.layers.layoutSites();
      this.host.refreshed();
    }
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Draws what a tile holds that the map does not show as it is; returns whether anything changed. */
  private drawTile({ tile, storedAt, askedMoment }: TileAnswer): boolean {
    const { layers, partialIds, shownDetail } = this;
    const fromServer = !storedAt;
    let changed = false;
    /** Whether the map should draw this feature anew: new, newer, more or less detailed, or saying something else. */
    const news = (id: string, known: { properties: object } | undefined, fresh: { properties: { version?: number } }, detail: number) => {
      if (!known) return true;
      const knownVersion = Number((known.properties as { version?: number }).version);
      const freshVersion = Number(fresh.properties.version);
      // A copy kept on the device before sites carried a version has none: any answer is newer.
      if (Number.isNaN(knownVersion)) return true;
      // Versions only grow: an older copy never undoes what this page already knows.
      if (knownVersion > freshVersion) return false;
      if (knownVersion < freshVersion) return true;
      if (fromServer && partialIds.has(id)) return true;
      return shownDetail.get(id) !== detail || !sameProperties(known.properties, fresh.properties);
    };
    const drawn = (id: string) => {
      shownDetail.set(id, tile.z);
      if (fromServer) partialIds.delete(id);
      changed = true;
    };
    // Decommissioned below, damaged on top: the order a reader cares about.
    const rank = (status: string) => (status === 'decommissioned' ? 0 : status === 'damaged' ? 2 : 1);
    const segments = [...tile.segments.features].sort((a, b) => rank(a.properties.status) - rank(b.properties.status));
    const unknown = (features: readonly { properties: { id: unknown } }[], known: Map<string, unknown>) => features.filter((f) => !known.has(String(f.properties.id))).length;
    layers.prepareFor({
      segments: unknown(tile.segments.features, layers.segments),
      nodes: unknown(tile.nodes.features, layers.nodes),
      sites: unknown(tile.sites.features, layers.sites),
    });
    /** Deleted after this tile was asked for: the answer still lists it. */
    const gone = (id: string) => (this.removed.get(id) ?? -1) >= askedMoment;
    for (const feature of segments) {
      const id = String(feature.properties.id);
      if (gone(id)) continue;
      if (news(id, layers.segments.get(id), feature, tile.z)) {
        layers.putSegment(feature);
        drawn(id);
      }
    }
    // The NOC last, so it is drawn on top of the nodes around it.
    const nodes = [...tile.nodes.features].sort((a, b) => Number(a.properties.kind === 'noc') - Number(b.properties.kind === 'noc'));
    for (const feature of nodes) {
      const id = String(feature.properties.id);
      if (gone(id)) continue;
      // A point is the same at every zoom: only its properties matter.
      if (news(id, layers.nodes.get(id), feature, shownDetail.get(id) ?? tile.z)) {
        layers.putNode(feature);
        drawn(id);
      }
    }
    for (const feature of tile.sites.features) {
      const id = String(feature.properties.id);
      if (gone(id)) continue;
      if (news(id, layers.sites.get(id), feature, shownDetail.get(id) ?? tile.z)) {
        layers.putSite(feature);
        drawn(id);
      }
    }
    return changed;
  }

  /** Takes off the map what none of these answers (the whole view) holds; returns whether anything went. */
  private dropUnlisted(answers: TileAnswer[]): boolean {
    const { layers, pinned } = this;
    const askedSince = Math.min(...answers.map((answer) => answer.askedMoment));
    const listed = new Set<string>();
    for (const { tile } of answers) for (const layer of [tile.segments, tile.nodes, tile.sites]) for (const feature of layer.features) listed.add(String(feature.properties.id));
    /** Stored from the server after the oldest of these answers was asked for: the next view tells. */
    const keep = (id: string) => listed.has(id) || (pinned.get(id) ?? -1) >= askedSince;
    for (const [id, at] of pinned) if (at < askedSince) pinned.delete(id);
    // Every answer was asked after these went: none of them lists them any more.
    for (const [id, at] of this.removed) if (at < askedSince) this.removed.delete(id);
    let dropped = false;
    const drop = (ids: Iterable<string>, remove: (id: string) => void) => {
      for (const id of [...ids]) {
        if (keep(id)) continue;
        remove(id);
        this.shownDetail.delete(id);
        this.partialIds.delete(id);
        dropped = true;
      }
    };
    drop(layers.segments.keys(), (id) => layers.dropSegment(id));
    drop(layers.nodes.keys(), (id) => layers.dropNode(id));
    drop(layers.sites.keys(), (id) => layers.dropSite(id));
    return dropped;
  }

  /** Empties every layer and forgets everything that came with the last session's data. */
  clear(): void {
    this.feed?.stop();
    this.session?.controller.abort();
    this.session = null;
    window.clearTimeout(this.refreshTimer);
    window.clearTimeout(this.viewTimer);
    window.clearTimeout(this.viewRefreshTimer);
    this.viewRefreshTimer = 0;
    window.clearTimeout(this.figuresTimer);
    this.figuresTimer = 0;
    this.base.map.off('moveend', this.viewMoved);
    this.base.activity.reset();
    this.base.map.closePopup();
    this.areas.clear();
    this.layers.clear();
    this.base.labels.clear();
    this.partialIds.clear();
    this.tiles.clear();
    this.shownDetail.clear();
    this.pinned.clear();
    this.removed.clear();
    this.viewPending = false;
    this.phaseList = null;
    this.phaseRequest = null;
    this.loaded = false;
    this.readSince = 0;
    this.offlineCopyAt.value = null;
    delete document.body.dataset.offlineReady;
    this.base.forgetRegion();
    this.base.legend.setLengths(new Map());
    this.figures.value = null;
    this.sitesByKind.value = null;
    this.errors.value = [];
    this.loading.value = false;
    delete document.body.dataset.mapReady;
    delete document.body.dataset.mapError;
  }

  /** "Try again" after a failed load: the same session, fresh data. */
  reload(): void {
    this.clear();
    void this.load();
  }

  /** An answer came from the copy kept on this device (the service worker), stored at `storedAt`. */
  noteOfflineCopy(storedAt: string): void {
    this.offlineCopies += 1;
    const oldest = this.offlineCopyAt.value;
    if (!oldest || storedAt < oldest) this.offlineCopyAt.value = storedAt;
  }

  loadPhases(): Promise<void> {
    const current = this.session;
    if (!current) return Promise.resolve();
    this.phaseRequest ??= api.phases(current.controller.signal).then(
      (phases) => {
        if (this.isCurrent(current)) this.phaseList = phases;
      },
      () => {
        // Tried again the next time the form opens.
        if (this.isCurrent(current)) this.phaseRequest = null;
      },
    );
    return this.phaseRequest;
  }

  phases(): Array<{ id: string; name: string }> {
    if (this.phaseList) return this.phaseList;
    const phases = new Map<string, string>();
    for (const { properties: p } of [...this.layers.segments.values(), ...this.layers.sites.values()]) {
      if (p.phaseId && p.phaseName) phases.set(p.phaseId, p.phaseName);
    }
    return [...phases].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'id'));
  }

  private phaseNameOf(phaseId: string | null): string | null {
    if (!phaseId) return null;
    const listed = this.phaseList?.find((p) => p.id === phaseId);
    if (listed) return listed.name;
    for (const { properties: p } of [...this.layers.segments.values(), ...this.layers.sites.values()]) if (p.phaseId === phaseId && p.phaseName) return p.phaseName;
    return null;
  }

  /**
   * A record the server answered with (an edit, a 409's current state, a fresh read) replaces what
   * the map shows, unless the map already has that version or a newer one. The list's extra names
   * (areas, phase) are filled from what the page knows; where it cannot, the next read of the
   * network completes them.
   */
  storeRecord(subject: Editable, record: EditableRecord): void {
    const id = String(record.id);
    const version = Number(record.version);
    const current = (known: { properties: { version?: number } } | undefined) => !!known && !this.partialIds.has(id) && Number(known.properties.version) >= version;
    const { layers } = this;
    let incomplete = false;
    if (subject === 'segment') {
      const r = record as SegmentRecord;
      if (current(layers.segments.get(id))) return;
      incomplete = !!r.phaseId && !this.phaseNameOf(r.phaseId);
      layers.putSegment({
        type: 'Feature',
        id,
        geometry: r.geometry,
        properties: {
          id,
          code: r.code,
          fromNodeId: r.fromNodeId,
          toNodeId: r.toNodeId,
          placement: r.placement,
          tier: r.tier,
          cableType: r.cableType,
          coreCount: r.coreCount,
          lengthM: Math.round(Number(r.lengthM) * 10) / 10,
          status: r.status,
          phaseId: r.phaseId,
          phaseName: this.phaseNameOf(r.phaseId),
          version,
        },
      });
    } else if (subject === 'node') {
      const r = record as NodeRecord;
      const known = layers.nodes.get(id);
      if (current(known)) return;
      const moved = !!known && JSON.stringify(known.geometry.coordinates) !== JSON.stringify(r.geometry.coordinates);
      layers.putNode({
        type: 'Feature',
        id,
        geometry: r.geometry,
        properties: {
          id,
          code: r.code,
          name: r.name,
          kind: r.kind,
          status: r.status,
          owner: r.owner,
          kabupatenCode: known?.properties.kabupatenCode ?? null,
          kecamatanCode: known?.properties.kecamatanCode ?? null,
          desaCode: known?.properties.desaCode ?? null,
          version,
        },
      });
      // Its segments' ends moved with it, and its areas may have changed: read the network again.
      incomplete = moved || !known;
    } else {
      const r = record as SiteRecord;
      const known = layers.sites.get(id);
      if (current(known)) return;
      const properties: SiteFeature['properties'] = {
        id,
        code: r.code,
        name: r.name,
        shortName: r.shortName,
        kind: r.kind,
        phaseId: r.phaseId,
        phaseName: this.phaseNameOf(r.phaseId),
        costIdrPerMonth: r.costIdrPerMonth === null ? null : Number(r.costIdrPerMonth),
        // The record leaves out the kabupaten (one a region); the map's copy keeps it.
        kabupatenCode: known?.properties.kabupatenCode ?? null,
        kecamatanCode: r.kecamatanCode,
        kecamatanName: this.areas.kecamatanName(r.kecamatanCode) ?? (known?.properties.kecamatanCode === r.kecamatanCode ? known.properties.kecamatanName : null),
        desaCode: r.desaCode,
        // Desa names are known only where the map was zoomed in; the list's name serves meanwhile.
        desaName: this.areas.desaName(r.desaCode) ?? (known?.properties.desaCode === r.desaCode ? known.properties.desaName : null),
        isDemo: known?.properties.isDemo ?? false,
        connected: known?.properties.connected ?? false,
        terminationNodeId: r.terminationNodeId,
        version,
      };
      layers.putSite({ type: 'Feature', id, geometry: r.geometry, properties });
      layers.layoutSites();
      // "Connected" follows the termination node; names the page does not know come with the next read.
      incomplete =
        !known ||
        (known.properties.terminationNodeId ?? null) !== r.terminationNodeId ||
        (!!r.phaseId && !properties.phaseName) ||
        (!!r.kecamatanCode && !properties.kecamatanName) ||
        (!!r.desaCode && !properties.desaName);
    }
    layers.settleRenderers();
    this.partialIds.delete(id);
    this.scheduleFigures();
    // Drawn from the record in full detail; the tiles under it changed with it.
    this.shownDetail.delete(id);
    this.pinned.set(id, pageMoment());
    this.tiles.invalidate();
    if (incomplete) {
      this.partialIds.add(id);
      this.scheduleRefresh(300);
    }
  }

  /**
   * Makes sure one feature is on the map, even where no tile of the view holds it (a row of the
   * inventory list, a search result far away): read by id when it is not there. False when it
   * cannot be (gone, offline without a copy, the session ended).
   */
  async reveal(subject: Editable, id: string): Promise<boolean> {
    const shown = () => (subject === 'segment' ? this.layers.segments : subject === 'node' ? this.layers.nodes : this.layers.sites).has(id);
    if (shown()) return true;
    const current = this.session;
    if (!current) return false;
    try {
      const { record } = await editApi.read(subject, id, current.controller.signal);
      if (!this.isCurrent(current)) return false;
      this.storeRecord(subject, record);
      return shown();
    } catch {
      return false;
    }
  }

  /** Deleted on the server (here, or found gone): off the map. */
  removeFeature(subject: Editable, id: string): void {
    if (subject === 'segment') this.layers.dropSegment(id);
    else if (subject === 'node') this.layers.dropNode(id);
    else {
      this.layers.dropSite(id);
      this.layers.layoutSites();
    }
    this.layers.settleRenderers();
    this.partialIds.delete(id);
    this.shownDetail.delete(id);
    this.pinned.delete(id);
    this.removed.set(id, pageMoment());
    // The tiles under it changed: a kept answer would draw it again.
    this.tiles.invalidate();
    this.scheduleFigures();
  }

  /** A status the server accepted (or read again): recolour the feature and recount the legend. */
  applyState(subject: Subject, state: SubjectState): void {
    const feature = subject === 'segment' ? this.layers.segments.get(state.id) : this.layers.nodes.get(state.id);
    if (!feature) return;
    const before = feature.properties.status;
    feature.properties.status = state.status;
    feature.properties.version = state.version;
    // Someone else may have changed more than the status in between: the next read tells.
    this.partialIds.add(state.id);
    this.layers.restyle(subject, state, before);
    this.scheduleFigures();
    this.base.openPopup?.update();
  }

  /**
   * Reads the view again: statuses and attributes others changed, which sites are connected now,
   * and anything new or deleted since (every tile revalidated: a 304 where nothing changed).
   */
  refresh(): Promise<void> {
    const current = this.session;
    if (!current) return Promise.resolve();
    this.tiles.invalidate();
    const copiesBefore = this.offlineCopies;
    this.readFigures(current).catch(() => undefined);
    return this.base.activity.track(
      'network',
      this.readView(current).then(() => {
        // Read from the server this time: what is on screen is current again.
        if (this.isCurrent(current) && this.offlineCopies === copiesBefore) this.offlineCopyAt.value = null;
      }),
    );
  }

  /**
   * One change from the live feed. A segment, node or site the map shows an older version of (or
   * does not show) is read again by id and drawn anew; one deleted goes off the map. A status
   * change of cable or equipment can connect or cut sites: their "connected" is read again, once
   * for many changes close together. Everything else on the feed is for others to follow.
   */
  applyChange(change: FeedChange): void {
    const current = this.session;
    if (!current || !change.id || !FEED_SUBJECTS.has(change.entity)) return;
    const subject = change.entity as Editable;
    const id = change.id;
    const known = subject === 'segment' ? this.layers.segments.get(id) : subject === 'node' ? this.layers.nodes.get(id) : this.layers.sites.get(id);
    // This map shows it already (its own change coming back, or one read meanwhile).
    if (change.action !== 'delete' && known && change.version !== null && Number(known.properties.version) >= change.version && !this.partialIds.has(id)) return;
    // The tiles under it changed: the view is read again soon (revalidated, so only the tiles
    // that changed come whole), which also brings new features and the sites a status change
    // connected or cut.
    this.tiles.invalidate();
    this.scheduleViewRefresh();
    this.scheduleFigures();
    if (change.action === 'delete') {
      this.removeFeature(subject, id);
      this.host.refreshed();
      return;
    }
    // Not on this map: the view's tiles bring it if it is in view. On it: read by id at once.
    if (known) {
      const read = editApi.read(subject, id, current.controller.signal).then(
        ({ record, storedAt }) => {
          // An offline copy is no news; the next read from the server brings it.
          if (!this.isCurrent(current) || storedAt) return;
          this.storeRecord(subject, record);
          this.host.refreshed();
        },
        (error: unknown) => {
          if (!this.isCurrent(current)) return;
          // Gone again before it was read: as a delete.
          if (error instanceof ApiError && error.httpStatus === 404) this.removeFeature(subject, id);
        },
      );
      void this.base.activity.track('feed', read);
    }
  }

  /** Reads the view again after the live feed's changes, once for changes close together. */
  private scheduleViewRefresh(delayMs = 300): void {
    if (this.viewRefreshTimer) return;
    this.base.activity.set('view-soon', true);
    this.viewRefreshTimer = window.setTimeout(() => {
      this.viewRefreshTimer = 0;
      this.base.activity.set('view-soon', false);
      const current = this.session;
      if (current && this.loaded) void this.base.activity.track('tiles', this.readView(current)).catch(() => undefined);
    }, delayMs);
  }

  /** After changes went through: read the network again, which also refreshes the offline copy. */
  scheduleRefresh(delayMs = 1500): void {
    window.clearTimeout(this.refreshTimer);
    this.base.activity.set('network-soon', true);
    this.refreshTimer = window.setTimeout(() => {
      this.base.activity.set('network-soon', false);
      if (navigator.onLine) void this.refresh().catch(() => undefined);
    }, delayMs);
  }
}
