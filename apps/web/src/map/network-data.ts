/**
 * The map's data path: what one signed-in session reads (areas and network), what a change the
 * server answered does to the map, and reading the network again after changes went through.
 * Figures for the header and the legend are published as signals. Each session's requests are
 * cancelled, and their late answers ignored, once it ends (signing out, the session expiring, a
 * reload of the data).
 */
import { signal } from '@preact/signals';
import type { FeedChange } from '../../../../libs/contract/src';
import {
  api,
  ApiError,
  editApi,
  type AreaFeature,
  type Editable,
  type EditableRecord,
  type Meta,
  type NodeFeature,
  type NodeRecord,
  type Phase,
  type SegmentFeature,
  type SegmentRecord,
  type SiteFeature,
  type SiteRecord,
  type Subject,
  type SubjectState,
} from '../shared/api';
import type { LiveFeed } from '../shared/live-feed';
import { countSitesByKind, type SiteCount } from '../shared/ui';
import type { AreaLayers } from './areas';
import type { NetworkLayers } from './network-layers';
import type { SeratMap } from './serat-map';

/** Km per status, for the legend and the header. */
export interface NetworkFigures {
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

/**
 * What a site's version does not cover: "connected" follows the network, and the names of its
 * phase and areas come from other tables. The server's answer is current for these at any version.
 */
function derivedChanged(known: SiteFeature['properties'], fresh: SiteFeature['properties']): boolean {
  return (
    Number(fresh.version) === Number(known.version) &&
    (known.connected !== fresh.connected || known.phaseName !== fresh.phaseName || known.kecamatanName !== fresh.kecamatanName || known.desaName !== fresh.desaName)
  );
}

/** Km per status of these segments. */
export function figuresOf(segments: Iterable<SegmentFeature>): NetworkFigures {
  const lengthsByStatus = new Map<string, number>();
  let networkM = 0;
  for (const { properties: p } of segments) {
    const lengthM = Number(p.lengthM) || 0;
    lengthsByStatus.set(p.status, (lengthsByStatus.get(p.status) ?? 0) + lengthM);
    networkM += lengthM;
  }
  return { lengthsByStatus, networkM, activeM: lengthsByStatus.get('active') ?? 0 };
}

export class NetworkData {
  /** Null until a session's segments are read. */
  readonly figures = signal<NetworkFigures | null>(null);
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
  /**
   * The work packages to choose from: read once per session from /api/phases (also those nothing
   * uses yet; the service worker keeps a copy for offline use). Until that list is read, or when
   * it cannot be (offline, no copy), the phases the loaded map data names stand in.
   */
  private phaseList: Phase[] | null = null;
  private phaseRequest: Promise<void> | null = null;
  private sitesTimer = 0;

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

  private publishFigures(segments: boolean, sites: boolean): void {
    if (segments) this.figures.value = figuresOf(this.layers.segments.values());
    if (sites) this.sitesByKind.value = countSitesByKind([...this.layers.sites.values()].map((site) => site.properties));
  }

  /** Reads the areas and the network of a new session and draws them as they arrive. */
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
      segments: api.segments(abort),
      nodes: api.nodes(abort),
      sites: api.sites(abort),
    };
    for (const request of Object.values(requests)) request.catch(() => undefined);

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
    const tasks = [
      requests.kabupaten.then(
        whenCurrent((features: AreaFeature[]) => {
          const bounds = this.areas.drawKabupaten(features);
          if (features.length && this.base.regionFromAreas(bounds) && !linked) this.base.fitRegion(false);
        }),
      ),
      requests.kecamatan.then(whenCurrent((features: AreaFeature[]) => this.areas.drawKecamatan(features))),
      requests.nodes.then(
        whenCurrent((features: NodeFeature[]) => {
          // The NOC last, so it is drawn on top of the nodes around it.
          const sorted = [...features].sort((a, b) => Number(a.properties.kind === 'noc') - Number(b.properties.kind === 'noc'));
          for (const feature of sorted) if (!this.newerShown(this.layers.nodes.get(String(feature.properties.id)), feature)) this.layers.putNode(feature);
        }),
      ),
      requests.segments.then(
        whenCurrent((features: SegmentFeature[]) => {
          // Decommissioned below, damaged on top: the order a reader cares about.
          const rank = (s: string) => (s === 'decommissioned' ? 0 : s === 'damaged' ? 2 : 1);
          const sorted = [...features].sort((a, b) => rank(a.properties.status) - rank(b.properties.status));
          for (const feature of sorted) if (!this.newerShown(this.layers.segments.get(String(feature.properties.id)), feature)) this.layers.putSegment(feature);
          this.publishFigures(true, false);
        }),
      ),
      requests.sites.then(
        whenCurrent((features: SiteFeature[]) => {
          for (const feature of features) if (!this.newerShown(this.layers.sites.get(String(feature.properties.id)), feature)) this.layers.putSite(feature);
          this.publishFigures(false, true);
          this.layers.layoutSites();
        }),
      ),
    ];
    const results = await Promise.allSettled(tasks);
    if (!this.isCurrent(current)) return;
    for (const result of results) if (result.status === 'rejected') errors.push(result.reason);

    this.errors.value = errors;
    this.loading.value = false;
    document.body.dataset.mapReady = 'true';
    activity.setReady(true);
    activity.set('load', false);
    this.loaded = true;
    this.host.loaded();
    this.areas.scheduleDesa();
  }

  /** The map already shows a newer version than this answer (brought by the live feed while it was read). */
  private newerShown(known: { properties: { version?: number } } | undefined, fresh: { properties: { version?: number } }): boolean {
    return !!known && Number(known.properties.version) > Number(fresh.properties.version);
  }

  /** Empties every layer and forgets everything that came with the last session's data. */
  clear(): void {
    this.feed?.stop();
    this.session?.controller.abort();
    this.session = null;
    window.clearTimeout(this.refreshTimer);
    window.clearTimeout(this.sitesTimer);
    this.base.activity.reset();
    this.base.map.closePopup();
    this.areas.clear();
    this.layers.clear();
    this.base.labels.clear();
    this.partialIds.clear();
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
      this.publishFigures(true, false);
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
      this.publishFigures(false, true);
      // "Connected" follows the termination node; names the page does not know come with the next read.
      incomplete =
        !known ||
        (known.properties.terminationNodeId ?? null) !== r.terminationNodeId ||
        (!!r.phaseId && !properties.phaseName) ||
        (!!r.kecamatanCode && !properties.kecamatanName) ||
        (!!r.desaCode && !properties.desaName);
    }
    this.partialIds.delete(id);
    if (incomplete) {
      this.partialIds.add(id);
      this.scheduleRefresh(300);
    }
  }

  /** Deleted on the server (here, or found gone): off the map. */
  removeFeature(subject: Editable, id: string): void {
    if (subject === 'segment') {
      this.layers.dropSegment(id);
      this.publishFigures(true, false);
    } else if (subject === 'node') this.layers.dropNode(id);
    else {
      this.layers.dropSite(id);
      this.layers.layoutSites();
      this.publishFigures(false, true);
    }
    this.partialIds.delete(id);
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
    if (subject === 'segment') this.publishFigures(true, false);
    this.base.openPopup?.update();
  }

  /**
   * Reads segments, nodes and sites again: statuses and attributes others changed, which sites are
   * connected now, and anything new since the start.
   */
  refresh(): Promise<void> {
    return this.base.activity.track('network', this.readAgain());
  }

  private async readAgain(): Promise<void> {
    const current = this.session;
    if (!current) return;
    const copiesBefore = this.offlineCopies;
    const { signal: abort } = current.controller;
    const [segments, nodes, sites] = await Promise.all([api.segments(abort), api.nodes(abort), api.sites(abort)]);
    if (!this.isCurrent(current)) return;
    const { layers, partialIds } = this;
    const fromServer = this.offlineCopies === copiesBefore;
    // Versions only grow: an older copy (the offline cache) never undoes what this page already
    // knows. A newer version replaces the whole feature (attributes, route, position), not only
    // its status, so nothing on screen (or in a form opened from it) is older than its version.
    const replaces = (id: string, known: { version: number }, fresh: { version: number }) =>
      Number(fresh.version) > Number(known.version) || (fromServer && partialIds.has(id) && Number(fresh.version) === Number(known.version));
    const seenSegments = new Set<string>();
    for (const feature of segments) {
      const id = String(feature.properties.id);
      seenSegments.add(id);
      const known = layers.segments.get(id);
      if (!known || replaces(id, known.properties, feature.properties)) {
        layers.putSegment(feature);
        if (fromServer) partialIds.delete(id);
      }
    }
    const seenNodes = new Set<string>();
    for (const feature of nodes) {
      const id = String(feature.properties.id);
      seenNodes.add(id);
      const known = layers.nodes.get(id);
      if (!known || replaces(id, known.properties, feature.properties)) {
        layers.putNode(feature);
        if (fromServer) partialIds.delete(id);
      }
    }
    const seenSites = new Set<string>();
    for (const feature of sites) {
      const id = String(feature.properties.id);
      seenSites.add(id);
      const known = layers.sites.get(id);
      // A copy kept on the device before sites carried a version has none: any answer is newer.
      const unversioned = !!known && typeof known.properties.version !== 'number';
      if (!known || unversioned || replaces(id, known.properties, feature.properties) || (fromServer && derivedChanged(known.properties, feature.properties))) {
        layers.putSite(feature);
        if (fromServer) partialIds.delete(id);
      }
    }
    // Deleted by someone else: only a full answer from the server says so, never the offline copy.
    if (fromServer) {
      for (const id of [...layers.segments.keys()]) if (!seenSegments.has(id)) layers.dropSegment(id);
      for (const id of [...layers.nodes.keys()]) if (!seenNodes.has(id)) layers.dropNode(id);
      for (const id of [...layers.sites.keys()]) if (!seenSites.has(id)) layers.dropSite(id);
    }
    layers.layoutSites();
    this.publishFigures(true, true);
    // Read from the server this time: what is on screen is current again.
    if (fromServer) this.offlineCopyAt.value = null;
    this.host.refreshed();
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
    if (change.action === 'delete') {
      this.removeFeature(subject, id);
      this.scheduleSitesRefresh();
      this.host.refreshed();
      return;
    }
    const known = subject === 'segment' ? this.layers.segments.get(id) : subject === 'node' ? this.layers.nodes.get(id) : this.layers.sites.get(id);
    const shownVersion = known ? Number(known.properties.version) : null;
    const stale = shownVersion === null || change.version === null || shownVersion < change.version || this.partialIds.has(id);
    if (stale) {
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
    if (subject !== 'site' && change.fields.includes('status')) this.scheduleSitesRefresh();
  }

  /** Reads the sites again (their "connected" follows the network), once for changes close together. */
  private scheduleSitesRefresh(delayMs = 250): void {
    window.clearTimeout(this.sitesTimer);
    this.base.activity.set('sites-soon', true);
    this.sitesTimer = window.setTimeout(() => {
      this.base.activity.set('sites-soon', false);
      void this.base.activity.track('sites', this.readSitesAgain()).catch(() => undefined);
    }, delayMs);
  }

  private async readSitesAgain(): Promise<void> {
    const current = this.session;
    if (!current) return;
    const copiesBefore = this.offlineCopies;
    const sites = await api.sites(current.controller.signal);
    if (!this.isCurrent(current) || this.offlineCopies !== copiesBefore) return;
    let changed = false;
    for (const feature of sites) {
      const known = this.layers.sites.get(String(feature.properties.id));
      if (!known || Number(feature.properties.version) > Number(known.properties.version) || derivedChanged(known.properties, feature.properties)) {
        this.layers.putSite(feature);
        changed = true;
      }
    }
    if (!changed) return;
    this.layers.layoutSites();
    this.publishFigures(false, true);
    this.host.refreshed();
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
