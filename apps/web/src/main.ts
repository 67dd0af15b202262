/**
 * Serat web map. Checks the session first: without one the sign-in screen is shown, and the map
 * data (which needs the session) is only asked for after signing in. Then loads the region, the
 * admin areas and the network from /api, draws them with Leaflet (SVG renderer, no tiles needed)
 * and keeps the page in the chosen language. Signing out, or a session that ends, clears every
 * layer so the next person never sees the previous one's data.
 *
 * Roles that may change a status get the field panel ("Lapangan", field.ts) and its outbox
 * (outbox.ts); planners and admins get their tools (planner.ts) and, from a feature's popup, its
 * attribute form (editor.ts); everyone gets the service worker (sw.ts), so the app and the last
 * viewed area open without a connection.
 */
import type { Geometry } from 'geojson';
import 'leaflet/dist/leaflet.css';
import './app/styles.css';
import * as L from 'leaflet';
import markerIconRetinaUrl from 'leaflet/dist/images/marker-icon-2x.png';
import markerIconUrl from 'leaflet/dist/images/marker-icon.png';
import markerShadowUrl from 'leaflet/dist/images/marker-shadow.png';
import { PasswordDialog, UserMenu } from './features/account/account';
import {
  api,
  ApiError,
  auth,
  getHealth,
  setOfflineCopyHandler,
  setUnauthorizedHandler,
  type AreaFeature,
  type Editable,
  type EditableRecord,
  type Health,
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
  type User,
} from './shared/api';
import type { FeatureEditor } from './features/editor/editor';
import { FieldPanel } from './features/field/field';
import { formatDateTimeWib } from './shared/format';
import { boundsToBboxParam, bboxToBounds, labelPosition, navigationTarget, toLatLng, type Position } from './map/geo';
import { getLang, onLangChange, t, type MessageKey } from './shared/i18n';
import { LabelCollider } from './map/labels';
import { LegendControl } from './map/legend';
import { LoginScreen, type SignInReason } from './features/account/login';
import { labelMarker, siteIcon, siteIconSize } from './map/markers';
import { SiteDeclutter } from './map/site-declutter';
import { forgetOfflineData, registerServiceWorker } from './app/offline';
import { Outbox } from './features/field/outbox';
import type { PlannerTools } from './features/planner/planner';
import { nodePopup, segmentPopup, sitePopup, type PopupLookups } from './map/popups';
import { SegmentDetailsCache, type SegmentDetailsState } from './map/segment-details';
import {
  desaPathOptions,
  kabupatenPathOptions,
  kecamatanHoverOptions,
  kecamatanPathOptions,
  nodeHitOptions,
  nodePathOptions,
  segmentCasingOptions,
  segmentHitOptions,
  segmentPathOptions,
  safeToken,
} from './map/symbology';
import { countSitesByKind, el, Header, Notices } from './shared/ui';
import { MapActivity } from './map/map-activity';
import { FIELD_ROLES, PLANNER_ROLES } from './shared/vocabulary';

/** Desa polygons are only worth drawing (and fetching) from this zoom on. */
const DESA_MIN_ZOOM = 11;
const DESA_DEBOUNCE_MS = 300;
/** Beyond this many cached desa, the ones out of view are dropped again. */
const DESA_CACHE_LIMIT = 1500;
const HEALTH_INTERVAL_MS = 60_000;

// Leaflet finds its default marker images through a CSS trick that breaks once the bundler
// renames the files; point the default icon at the bundled images explicitly.
L.Marker.prototype.options.icon = L.icon({
  iconUrl: markerIconUrl,
  iconRetinaUrl: markerIconRetinaUrl,
  shadowUrl: markerShadowUrl,
  iconSize: [25, 41],
  iconAnchor: [12, 41],
  popupAnchor: [1, -34],
  tooltipAnchor: [16, -28],
  shadowSize: [41, 41],
});

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Tile providers write attributions as HTML; keep only their text (DOMParser runs no script). */
function htmlToText(html: string): string {
  return new DOMParser().parseFromString(html, 'text/html').body.textContent?.trim() ?? '';
}

function textElement(text: string, className?: string): HTMLElement {
  const span = document.createElement('span');
  if (className) span.className = className;
  span.textContent = text;
  return span;
}

function errorDetail(error: unknown): string {
  if (error instanceof ApiError) {
    const reason =
      error.reason === 'http' ? (error.serverMessage ?? t('error.http', { status: error.httpStatus ?? '?' })) : t(error.reason === 'network' ? 'error.network' : 'error.invalid');
    return `${error.endpoint} — ${reason}`;
  }
  return error instanceof Error ? error.message : String(error);
}

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

// ---------------------------------------------------------------------------------------------
// Page shell

document.documentElement.lang = getLang();
document.title = t('app.documentTitle');
/**
 * The map page, invisible until someone has signed in. Hidden with `visibility` rather than
 * `display: none`, so Leaflet always measures the real size of its box.
 */
const appRoot = document.querySelector<HTMLElement>('.serat-app')!;
function setAppVisible(visible: boolean): void {
  appRoot.classList.toggle('serat-app--signed-out', !visible);
  appRoot.inert = !visible;
}
setAppVisible(false);
const header = new Header(document.getElementById('serat-bar')!);
const notices = new Notices(document.getElementById('serat-notices')!);
const mapElement = document.getElementById('map')!;
/** `body[data-map-idle]`: nothing pending on the map (see map-activity.ts). */
const activity = new MapActivity();

const map = L.map(mapElement, {
  zoomControl: false,
  minZoom: 5,
  maxZoom: 18,
  zoomSnap: 0.25,
  zoomDelta: 0.5,
  wheelPxPerZoomLevel: 90,
  // Tap tolerance for thumbs on small screens.
  tapTolerance: 20,
});

function createPane(name: string, zIndex: number, interactive = true): void {
  const pane = map.createPane(name);
  pane.style.zIndex = String(zIndex);
  if (!interactive) pane.style.pointerEvents = 'none';
}
// Stacking, bottom to top: the kabupaten fill, kecamatan, desa, kabupaten outline, the field
// panel's highlight, the invisible hit areas of segments and of nodes, segments (overlayPane, 400),
// labels, nodes, the leader lines of sites moved apart, sites (markerPane, 600), tooltips, popups. Each kind of area has its own pane: within one pane SVG paints in the order the answers
// arrived, and a kabupaten read after the kecamatan would cover all of them.
createPane('serat-kabupaten', 240, false);
createPane('serat-areas', 250);
createPane('serat-desa', 300);
createPane('serat-boundary', 350, false);
createPane('serat-highlight', 390, false);
createPane('serat-segment-hits', 392);
createPane('serat-node-hits', 395);
createPane('serat-labels', 420, false);
createPane('serat-nodes', 450);
createPane('serat-site-leaders', 455, false);

L.control.scale({ position: 'bottomleft', imperial: false, maxWidth: 140 }).addTo(map);
map.attributionControl.setPrefix('<a href="https://leafletjs.com" target="_blank" rel="noopener">Leaflet</a>');

const legend = new LegendControl();
legend.addTo(map);

// ---------------------------------------------------------------------------------------------
// Layers

const kabupatenFill = L.geoJSON<AreaFeature['properties']>(undefined, {
  coordsToLatLng: toLatLng,
  pane: 'serat-kabupaten',
  interactive: false,
  style: () => ({ ...kabupatenPathOptions(withTiles), stroke: false, className: 'serat-area-kabupaten-fill' }),
});
const kabupatenOutline = L.geoJSON<AreaFeature['properties']>(undefined, {
  coordsToLatLng: toLatLng,
  pane: 'serat-boundary',
  interactive: false,
  style: () => ({ ...kabupatenPathOptions(withTiles), fill: false }),
});

const kecamatanNames = new Map<string, string>();
const desaNames = new Map<string, string>();
const nodeCodes = new Map<string, string>();
/** The loaded network by id, with each feature's layers: the field panel searches these. */
const segmentFeatures = new Map<string, SegmentFeature>();
const nodeFeatures = new Map<string, NodeFeature>();
const segmentLayers = new Map<string, { line?: L.Path; casing?: L.Path; hit?: L.Path }>();
const nodeLayers = new Map<string, L.CircleMarker>();
const nodeHitLayers = new Map<string, L.CircleMarker>();
/** A finger rather than a mouse: wider hit areas around lines and points. */
const coarsePointer = window.matchMedia('(pointer: coarse)').matches;
const siteFeatures = new Map<string, SiteFeature>();
const siteLayers = new Map<string, L.Marker>();
/**
 * Features whose properties on the page are not the whole story (only a status was applied, or
 * they were drawn from an edit answer without the names the list carries): the next read of the
 * network replaces them even at the same version.
 */
const partialIds = new Set<string>();
const labels = new LabelCollider(map);

let withTiles = false;
/** A stable tint per kecamatan: the last part of its Kemendagri code (62.02.NN). */
const tintIndex = (code: string | undefined) => Number.parseInt(code?.split('.').pop() ?? '0', 10) || 0;
const kecamatanLayer = L.geoJSON<AreaFeature['properties']>(undefined, {
  coordsToLatLng: toLatLng,
  pane: 'serat-areas',
  style: (feature) => kecamatanPathOptions(tintIndex(feature?.properties.code), withTiles),
  onEachFeature: (feature, layer) => {
    const name = feature.properties.name;
    layer.bindTooltip(() => textElement(t('area.kecamatan', { name })), {
      sticky: true,
      direction: 'top',
      offset: [0, -8],
      className: 'serat-tooltip',
    });
    layer.on('mouseover', () => (layer as L.Path).setStyle(kecamatanHoverOptions()));
    layer.on('mouseout', () => kecamatanLayer.resetStyle(layer));
  },
});
const kecamatanLabels = L.layerGroup();

const desaPolygons = L.geoJSON<AreaFeature['properties']>(undefined, {
  coordsToLatLng: toLatLng,
  pane: 'serat-desa',
  style: () => desaPathOptions(),
  onEachFeature: (feature, layer) => {
    const name = feature.properties.name;
    layer.bindTooltip(() => textElement(name), {
      sticky: true,
      direction: 'top',
      offset: [0, -8],
      className: 'serat-tooltip',
    });
  },
});
const desaLabels = L.layerGroup();
/** What is drawn when zoomed in far enough. */
const desaContent = L.layerGroup([desaPolygons, desaLabels]);
/** What the layer switch turns on and off; holds desaContent only at DESA_MIN_ZOOM and above. */
const desaOverlay = L.layerGroup();
const desaByCode = new Map<string, { polygon: L.Layer; label: L.Marker | null }>();

/** The name of the site whose termination node `nodeId` is (about 50 sites: a scan is enough). */
function siteNameOfNode(nodeId: string | null): string | null {
  if (!nodeId) return null;
  for (const { properties: p } of siteFeatures.values()) if (p.terminationNodeId === nodeId) return p.name;
  return null;
}

const lookups: PopupLookups = {
  nodeCode: (id) => (id ? (nodeCodes.get(id) ?? null) : null),
  kecamatanName: (code) => (code ? (kecamatanNames.get(code) ?? null) : null),
  desaName: (code) => (code ? (desaNames.get(code) ?? null) : null),
  siteName: (nodeId) => siteNameOfNode(nodeId),
};

/** A segment's areas, history and photos for its popup, read as it opens. */
const segmentDetails = new SegmentDetailsCache((work) => activity.track('popup details', work));

/**
 * The popup's history and photos on a wide screen only: on a phone the popup stays small over the
 * map, and the field panel (one tap away) shows all of it.
 */
function segmentDetailsFor(p: SegmentFeature['properties']): SegmentDetailsState | null {
  if (!window.matchMedia('(min-width: 900px)').matches) return null;
  const id = String(p.id);
  return segmentDetails.get(id, Number(p.version), () => {
    // Drawn again from the kept answer (update() builds the content anew), if still open.
    if (segmentLayers.get(id)?.line?.isPopupOpen()) openPopup?.update();
  });
}

/** "Navigate here" where a phone's map app can take the link (a touch screen), else none. */
function navigateTo(geometry: Geometry | null): Position | null {
  if (!window.matchMedia('(pointer: coarse)').matches) return null;
  return navigationTarget(geometry);
}
const popupOptions: L.PopupOptions = { maxWidth: 320, minWidth: 220, className: 'serat-popup', autoPanPadding: [16, 16] };

/**
 * In a popup: for roles that may change a status, open the segment or node in the field panel;
 * for planners and admins, open its attribute form. Viewers and mentors get neither.
 */
function withActions(content: HTMLElement, subject: Editable, id: string): HTMLElement {
  if (subject !== 'site' && fieldEnabled()) {
    const open = el('button', 'serat-button serat-button--primary serat-popup__action', t('field.openInPanel'));
    open.type = 'button';
    open.dataset.testid = 'popup-field';
    open.addEventListener('click', () => {
      map.closePopup();
      field.openTarget({ subject, id });
    });
    content.append(open);
  }
  if (plannerEnabled() && editor) {
    const edit = el('button', 'serat-button serat-button--secondary serat-popup__action', t('edit.open'));
    edit.type = 'button';
    edit.dataset.testid = 'popup-edit';
    edit.addEventListener('click', () => {
      map.closePopup();
      editor?.open(subject, id);
    });
    content.append(edit);
  }
  return content;
}

const segmentCasing = L.geoJSON<SegmentFeature['properties']>(undefined, {
  coordsToLatLng: toLatLng,
  style: (feature) => segmentCasingOptions(feature!.properties.status, feature!.properties.tier),
  onEachFeature: (feature, layer) => {
    const id = String(feature.properties.id);
    segmentLayers.set(id, { ...segmentLayers.get(id), casing: layer as L.Path });
    // The casing is solid and wider than the line: a click in a dashed line's gap, or just beside
    // a thin one, still opens the segment (not the kecamatan underneath).
    layer.on('click', (event: L.LeafletMouseEvent) => segmentLayers.get(id)?.line?.openPopup(event.latlng));
  },
});
const segmentLines = L.geoJSON<SegmentFeature['properties']>(undefined, {
  coordsToLatLng: toLatLng,
  style: (feature) => segmentPathOptions(feature!.properties.status, feature!.properties.tier),
  onEachFeature: (feature, layer) => {
    const id = String(feature.properties.id);
    segmentLayers.set(id, { ...segmentLayers.get(id), line: layer as L.Path });
    layer.bindPopup(
      () => withActions(segmentPopup(feature.properties, lookups, { details: segmentDetailsFor(feature.properties), navigate: navigateTo(feature.geometry) }), 'segment', id),
      popupOptions,
    );
  },
});
const segmentHits = L.geoJSON<SegmentFeature['properties']>(undefined, {
  coordsToLatLng: toLatLng,
  pane: 'serat-segment-hits',
  style: () => segmentHitOptions(coarsePointer),
  onEachFeature: (feature, layer) => {
    const id = String(feature.properties.id);
    segmentLayers.set(id, { ...segmentLayers.get(id), hit: layer as L.Path });
    layer.on('click', (event: L.LeafletMouseEvent) => segmentLayers.get(id)?.line?.openPopup(event.latlng));
  },
});
const segmentsOverlay = L.layerGroup([segmentHits, segmentCasing, segmentLines]);

const nodeHits = L.geoJSON<NodeFeature['properties']>(undefined, {
  coordsToLatLng: toLatLng,
  pointToLayer: (feature, latlng) => L.circleMarker(latlng, { ...nodeHitOptions(feature.properties.kind, coarsePointer), pane: 'serat-node-hits' }),
  onEachFeature: (feature, layer) => {
    const id = String(feature.properties.id);
    nodeHitLayers.set(id, layer as L.CircleMarker);
    layer.on('click', () => nodeLayers.get(id)?.openPopup());
  },
});
const nodesOverlay = L.geoJSON<NodeFeature['properties']>(undefined, {
  coordsToLatLng: toLatLng,
  pointToLayer: (feature, latlng) => L.circleMarker(latlng, { ...nodePathOptions(feature.properties.kind, feature.properties.status), pane: 'serat-nodes' }),
  onEachFeature: (feature, layer) => {
    const id = String(feature.properties.id);
    nodeLayers.set(id, layer as L.CircleMarker);
    layer.bindPopup(() => withActions(nodePopup(feature.properties, lookups, { navigate: navigateTo(feature.geometry) }), 'node', id), popupOptions);
  },
});

/** What the layer switch turns on and off as "nodes": the dots and their hit areas. */
const nodesGroup = L.layerGroup([nodeHits, nodesOverlay]);

/** The chosen segment or node of the field panel, drawn as a halo under it. */
const highlightLayer = L.layerGroup();
/** The technician's own position ("near me"), with its accuracy circle. */
const positionLayer = L.layerGroup();

/** Kantor kecamatan above SOPD; connected sites above unconnected ones (drawn on top, kept in place first). */
const sitePriority = (p: SiteFeature['properties']) => (p.kind === 'kantor_kecamatan' ? 2 : 0) + (p.connected ? 1 : 0);

const sitesOverlay = L.geoJSON<SiteFeature['properties']>(undefined, {
  coordsToLatLng: toLatLng,
  pointToLayer: (feature, latlng) => {
    const p = feature.properties;
    return L.marker(latlng, {
      icon: siteIcon(p.kind, p.connected),
      title: p.name,
      riseOnHover: true,
      zIndexOffset: sitePriority(p) * 100,
    });
  },
  onEachFeature: (feature, layer) => {
    const id = String(feature.properties.id);
    siteLayers.set(id, layer as L.Marker);
    layer.bindPopup(() => withActions(sitePopup(feature.properties, { navigate: navigateTo(feature.geometry) }), 'site', id), popupOptions);
    layer.bindTooltip(() => textElement(feature.properties.shortName || feature.properties.name), {
      direction: 'top',
      offset: [0, -10],
      className: 'serat-tooltip',
    });
  },
});

/** Sites that would overlap on screen moved apart, each with a leader line to its true place. */
const siteDeclutter = new SiteDeclutter(
  map,
  () => {
    const sites = [];
    for (const [id, marker] of siteLayers) {
      const feature = siteFeatures.get(id);
      if (feature?.geometry?.type !== 'Point') continue;
      sites.push({ marker, latlng: toLatLng(feature.geometry.coordinates), size: siteIconSize(feature.properties.kind), priority: sitePriority(feature.properties), key: id });
    }
    return sites;
  },
  'serat-site-leaders',
);
/** What the layer switch turns on and off as "sites": the markers and their leader lines. */
const sitesGroup = L.layerGroup([sitesOverlay, siteDeclutter.leaders]);

// ---------------------------------------------------------------------------------------------
// Controls that carry text: rebuilt whenever the language changes.

/** A house outline: the usual "back to the whole area" button. */
function homeIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('width', '18');
  svg.setAttribute('height', '18');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M3 9.5 10 3.5l7 6M5 8v8.5h3.8v-5h2.4v5H15V8');
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', '#243040');
  path.setAttribute('stroke-width', '1.8');
  path.setAttribute('stroke-linejoin', 'round');
  path.setAttribute('stroke-linecap', 'round');
  svg.append(path);
  return svg;
}

class FitControl extends L.Control {
  constructor(private readonly onFit: () => void) {
    super({ position: 'topright' });
  }
  onAdd(): HTMLElement {
    const bar = L.DomUtil.create('div', 'leaflet-bar serat-fit');
    const button = L.DomUtil.create('a', 'serat-fit__button', bar) as HTMLAnchorElement;
    button.append(homeIcon());
    button.href = '#';
    button.setAttribute('role', 'button');
    button.title = t('map.fit');
    button.setAttribute('aria-label', t('map.fit'));
    L.DomEvent.disableClickPropagation(bar);
    L.DomEvent.on(button, 'click', (event) => {
      L.DomEvent.preventDefault(event);
      this.onFit();
    });
    return bar;
  }
}

let regionBounds: L.LatLngBounds | null = null;
/** The region from /api/meta (public, the same for everyone): survives signing out. */
let metaBounds: L.LatLngBounds | null = null;
function fitRegion(animate = true): void {
  if (regionBounds) map.fitBounds(regionBounds, { padding: [12, 12], animate });
}

let controls: L.Control[] = [];
function buildControls(): void {
  for (const control of controls) control.remove();
  const overlays: Record<string, L.Layer> = {};
  const entries: Array<[MessageKey, L.Layer]> = [
    ['layers.kecamatan', kecamatanLabelsAndAreas()],
    ['layers.desa', desaOverlay],
    ['layers.segments', segmentsOverlay],
    ['layers.nodes', nodesGroup],
    ['layers.sites', sitesGroup],
  ];
  for (const [key, layer] of entries) overlays[t(key)] = layer;
  controls = [
    L.control.zoom({ position: 'topright', zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') }),
    new FitControl(() => fitRegion()),
    L.control.layers(undefined, overlays, { position: 'topright', collapsed: true }),
  ];
  for (const control of controls) control.addTo(map);
  // Leaflet writes an English title on the layer switch button; say it in the reader's language.
  const toggle = controls[2].getContainer()?.querySelector<HTMLElement>('.leaflet-control-layers-toggle');
  if (toggle) {
    toggle.title = t('layers.title');
    toggle.setAttribute('aria-label', t('layers.title'));
  }
  mapElement.setAttribute('aria-label', t('app.mapLabel'));
}

let kecamatanGroup: L.LayerGroup | null = null;
function kecamatanLabelsAndAreas(): L.LayerGroup {
  kecamatanGroup ??= L.layerGroup([kecamatanLayer, kecamatanLabels]);
  return kecamatanGroup;
}

// ---------------------------------------------------------------------------------------------
// Notices

const loadErrors: unknown[] = [];
let health: Health | null = null;
let loading = false;
let desaError: unknown = null;

function renderNotices(): void {
  if (loading) notices.show('loading', 'info', t('app.loading'));
  else notices.hide('loading');

  if (loadErrors.length) {
    notices.show('load-error', 'error', t('error.title'), {
      detail: `${t('error.body')} (${loadErrors.map(errorDetail).join('; ')})`,
      action: { label: t('error.retry'), onClick: () => reloadMap() },
    });
  } else notices.hide('load-error');

  // Offline by itself is shown by the strip under the bar; this says how old the map's data is.
  if (currentUser && offlineCopyAt) {
    const since = offlineCopyAt > '1971' ? formatDateTimeWib(offlineCopyAt) : null;
    notices.show('offline', 'warning', since ? t('notice.storedData', { time: since }) : t('notice.storedDataUndated'), {
      dismissible: true,
    });
  } else notices.hide('offline');

  if (health?.redis.status === 'down') notices.show('redis', 'warning', t('notice.redisDown'));
  else notices.hide('redis');

  if (health?.database.status === 'down') notices.show('database', 'error', t('notice.dbDown'));
  else notices.hide('database');

  if (desaError) {
    notices.show('desa', 'warning', t('error.desa'), {
      detail: errorDetail(desaError),
      dismissible: true,
    });
  } else notices.hide('desa');
}

async function refreshHealth(): Promise<void> {
  health = await getHealth();
  renderNotices();
}

// ---------------------------------------------------------------------------------------------
// Data

function updateTotals(segments: SegmentFeature[] | null, sites: SiteFeature[] | null): void {
  if (segments) {
    const byStatus = new Map<string, number>();
    let total = 0;
    for (const { properties: p } of segments) {
      const lengthM = Number(p.lengthM) || 0;
      byStatus.set(p.status, (byStatus.get(p.status) ?? 0) + lengthM);
      total += lengthM;
    }
    legend.setLengths(byStatus);
    header.update({ networkM: total, activeM: byStatus.get('active') ?? 0 });
  }
  if (sites) {
    header.update({ sitesByKind: countSitesByKind(sites.map((site) => site.properties)) });
  }
}

function addAreaLabel(feature: AreaFeature, className: string, pane: string, group: L.LayerGroup, priorityBoost: number): L.Marker | null {
  const placement = labelPosition(feature.geometry);
  if (!placement) return null;
  const marker = labelMarker(toLatLng(placement.position), feature.properties.name, className, pane);
  group.addLayer(marker);
  const bounds = L.geoJSON(feature, { coordsToLatLng: toLatLng }).getBounds();
  labels.add(marker, bounds, priorityBoost + placement.area);
  return marker;
}

let desaTimer = 0;
let desaAbort: AbortController | null = null;
/** The bbox of the request in flight or last answered: the same view is not asked for twice. */
let desaBbox: string | null = null;

function scheduleDesa(): void {
  window.clearTimeout(desaTimer);
  activity.set('desa-soon', true);
  desaTimer = window.setTimeout(() => {
    activity.set('desa-soon', false);
    void activity.track('desa', refreshDesa());
  }, DESA_DEBOUNCE_MS);
}

async function refreshDesa(): Promise<void> {
  if (!session) return;
  const wanted = map.hasLayer(desaOverlay);
  const zoomedIn = map.getZoom() >= DESA_MIN_ZOOM;
  legend.setDesaHint(wanted && !zoomedIn);
  if (!wanted || !zoomedIn) {
    desaAbort?.abort();
    desaAbort = null;
    desaBbox = null;
    desaOverlay.removeLayer(desaContent);
    return;
  }
  desaOverlay.addLayer(desaContent);

  const view = map.getBounds().pad(0.1);
  const bbox = boundsToBboxParam(view);
  if (bbox === desaBbox) return;
  // A newer view makes the previous request pointless.
  desaAbort?.abort();
  const controller = new AbortController();
  desaAbort = controller;
  desaBbox = bbox;
  try {
    const features = await api.areas('desa', bbox, controller.signal);
    if (controller.signal.aborted) return;
    if (desaByCode.size + features.length > DESA_CACHE_LIMIT) pruneDesa(view);
    for (const feature of features) {
      const code = feature.properties.code ?? String(feature.id);
      desaNames.set(code, feature.properties.name);
      if (desaByCode.has(code)) continue;
      desaPolygons.addData(feature);
      const polygon = desaPolygons.getLayers()[desaPolygons.getLayers().length - 1];
      const label = addAreaLabel(feature, 'serat-label--desa', 'serat-labels', desaLabels, 0);
      desaByCode.set(code, { polygon, label });
    }
    desaError = null;
    renderNotices();
  } catch (error) {
    if (isAbort(error) || controller.signal.aborted) return;
    desaBbox = null;
    // A 401 has already sent the reader to the sign-in screen.
    if (error instanceof ApiError && error.httpStatus === 401) return;
    // Offline, desa of a view not seen before are simply not there; the offline notice says why.
    if (error instanceof ApiError && error.reason === 'network' && !navigator.onLine) return;
    desaError = error;
    renderNotices();
  } finally {
    if (desaAbort === controller) desaAbort = null;
  }
}

function pruneDesa(keep: L.LatLngBounds): void {
  for (const [code, entry] of desaByCode) {
    const bounds = (entry.polygon as L.Polygon).getBounds();
    if (keep.intersects(bounds)) continue;
    desaPolygons.removeLayer(entry.polygon);
    if (entry.label) {
      desaLabels.removeLayer(entry.label);
      labels.remove(entry.label);
    }
    desaByCode.delete(code);
  }
}

let metaApplied = false;
/** Where the data comes from, as the map's corner shows it now (in the reader's language). */
let dataAttribution: { texts: Meta['attribution'] | string; shown: string | null } | null = null;
function showDataAttribution(): void {
  if (!dataAttribution) return;
  const { texts, shown } = dataAttribution;
  // A copy of /api/meta kept offline by an older version of the app has one text only.
  const text = escapeHtml(typeof texts === 'string' ? texts : (texts[getLang()] ?? texts.id));
  if (text === shown) return;
  if (shown) map.attributionControl.removeAttribution(shown);
  map.attributionControl.addAttribution(text);
  dataAttribution.shown = text;
}
function applyMeta(meta: Meta): void {
  header.update({ regionName: meta.region?.name ?? null, demo: meta.demo === true });
  loginScreen.setRegion(meta.region?.name ?? null);
  if (metaApplied) return;
  metaApplied = true;
  if (meta.attribution) {
    dataAttribution = { texts: meta.attribution, shown: null };
    showDataAttribution();
  }
  if (meta.tileLayer?.url) {
    withTiles = true;
    mapElement.classList.add('serat-has-tiles');
    map.setMaxZoom(meta.tileLayer.maxZoom || 18);
    L.tileLayer(meta.tileLayer.url, {
      maxZoom: meta.tileLayer.maxZoom || 18,
      attribution: escapeHtml(htmlToText(meta.tileLayer.attribution ?? '')),
    }).addTo(map);
  }
  const bbox = meta.region?.bbox;
  if (Array.isArray(bbox) && bbox.length === 4 && bbox.every(Number.isFinite)) {
    metaBounds = bboxToBounds(bbox);
    regionBounds = metaBounds;
  }
}

/** /api/meta is public and the same for everyone: asked once (again only after a failure). */
let metaPromise: Promise<Meta> | null = null;
function fetchMeta(): Promise<Meta> {
  metaPromise ??= api.meta();
  metaPromise.then(applyMeta, () => (metaPromise = null));
  return metaPromise;
}

/**
 * One signed-in session of the map: its requests are cancelled, and their late answers ignored,
 * once it ends (signing out, the session expiring, a reload of the data).
 */
interface MapSession {
  readonly controller: AbortController;
}
let session: MapSession | null = null;

const isCurrent = (current: MapSession) => session === current && !current.controller.signal.aborted;

async function load(): Promise<void> {
  const current: MapSession = { controller: new AbortController() };
  session = current;
  mapReadSince = Date.now();
  const { signal } = current.controller;
  loading = true;
  activity.set('load', true);
  renderNotices();
  map.invalidateSize({ animate: false });

  // Everything starts at once; the view needs the region first, so meta is awaited before any
  // layer is added to the map.
  const metaRequest = fetchMeta();
  const requests = {
    kabupaten: api.areas('kabupaten', undefined, signal),
    kecamatan: api.areas('kecamatan', undefined, signal),
    segments: api.segments(signal),
    nodes: api.nodes(signal),
    sites: api.sites(signal),
  };
  for (const request of Object.values(requests)) request.catch(() => undefined);

  try {
    await metaRequest;
  } catch (error) {
    if (isCurrent(current)) loadErrors.push(error);
  }
  if (!isCurrent(current)) return;
  const linked = viewFromHash();
  if (linked) map.setView(linked.center, linked.zoom, { animate: false });
  else if (regionBounds) fitRegion(false);
  // Until the region is known, Kotim's centre is as good a start as any.
  else map.setView([-2.2, 112.7], 8);

  updateZoomClasses();
  kabupatenFill.addTo(map);
  kecamatanLabelsAndAreas().addTo(map);
  kabupatenOutline.addTo(map);
  desaOverlay.addTo(map);
  segmentsOverlay.addTo(map);
  nodesGroup.addTo(map);
  sitesGroup.addTo(map);
  highlightLayer.addTo(map);
  positionLayer.addTo(map);
  buildControls();

  /** Runs `draw` with the answer only while this session is still the one on screen. */
  const whenCurrent =
    <T>(draw: (value: T) => void) =>
    (value: T) => {
      if (isCurrent(current)) draw(value);
    };
  const tasks = [
    requests.kabupaten.then(
      whenCurrent((features) => {
        for (const feature of features) {
          kabupatenFill.addData(feature);
          kabupatenOutline.addData(feature);
        }
        if (!regionBounds && features.length) {
          regionBounds = kabupatenOutline.getBounds();
          if (!linked) fitRegion(false);
        }
      }),
    ),
    requests.kecamatan.then(
      whenCurrent((features) => {
        for (const feature of features) {
          kecamatanNames.set(feature.properties.code ?? String(feature.id), feature.properties.name);
          kecamatanLayer.addData(feature);
          addAreaLabel(feature, 'serat-label--kecamatan', 'serat-labels', kecamatanLabels, 1e6);
        }
      }),
    ),
    requests.nodes.then(
      whenCurrent((features) => {
        for (const f of features) {
          nodeCodes.set(String(f.properties.id), f.properties.code);
          nodeFeatures.set(String(f.properties.id), f);
        }
        // The NOC last, so it is drawn on top of the nodes around it.
        const sorted = [...features].sort((a, b) => Number(a.properties.kind === 'noc') - Number(b.properties.kind === 'noc'));
        for (const feature of sorted) {
          nodeHits.addData(feature);
          nodesOverlay.addData(feature);
        }
      }),
    ),
    requests.segments.then(
      whenCurrent((features) => {
        // Decommissioned below, damaged on top: the order a reader cares about.
        const rank = (s: string) => (s === 'decommissioned' ? 0 : s === 'damaged' ? 2 : 1);
        const sorted = [...features].sort((a, b) => rank(a.properties.status) - rank(b.properties.status));
        for (const feature of sorted) {
          segmentFeatures.set(String(feature.properties.id), feature);
          segmentHits.addData(feature);
          segmentCasing.addData(feature);
          segmentLines.addData(feature);
        }
        updateTotals(features, null);
      }),
    ),
    requests.sites.then(
      whenCurrent((features) => {
        for (const feature of features) {
          siteFeatures.set(String(feature.properties.id), feature);
          sitesOverlay.addData(feature);
        }
        updateTotals(null, features);
        siteDeclutter.update();
        // Where the markers are drawn, moved apart or not: labels keep clear of them there.
        labels.setObstacles(() => (map.hasLayer(sitesOverlay) ? [...siteLayers.values()].map((marker): [L.LatLng, number] => [marker.getLatLng(), 11]) : []));
      }),
    ),
  ];
  const results = await Promise.allSettled(tasks);
  if (!isCurrent(current)) return;
  for (const result of results) if (result.status === 'rejected') loadErrors.push(result.reason);

  loading = false;
  renderNotices();
  if (loadErrors.length) {
    document.body.dataset.mapError = loadErrors.map((error) => errorDetail(error)).join('; ');
  }
  document.body.dataset.mapReady = 'true';
  activity.setReady(true);
  activity.set('load', false);
  mapLoaded = true;
  field.refreshed();
  renderNotices();
  scheduleDesa();
  void ensureOfflineReady();
}

/** Empties every layer and forgets everything that came with the last session's data. */
function clearMapData(): void {
  session?.controller.abort();
  session = null;
  window.clearTimeout(desaTimer);
  window.clearTimeout(refreshTimer);
  activity.reset();
  desaAbort?.abort();
  desaAbort = null;
  desaBbox = null;
  map.closePopup();
  for (const layer of [kabupatenFill, kabupatenOutline, kecamatanLayer, desaPolygons, segmentHits, segmentCasing, segmentLines, nodeHits, nodesOverlay, sitesOverlay]) {
    layer.clearLayers();
  }
  siteDeclutter.leaders.clearLayers();
  kecamatanLabels.clearLayers();
  desaLabels.clearLayers();
  labels.clear();
  labels.setObstacles(() => []);
  desaByCode.clear();
  desaNames.clear();
  kecamatanNames.clear();
  nodeCodes.clear();
  segmentFeatures.clear();
  nodeFeatures.clear();
  siteFeatures.clear();
  segmentLayers.clear();
  nodeLayers.clear();
  nodeHitLayers.clear();
  siteLayers.clear();
  segmentDetails.clear();
  partialIds.clear();
  phaseList = null;
  phaseRequest = null;
  editor?.close();
  highlightLayer.clearLayers();
  positionLayer.clearLayers();
  mapLoaded = false;
  mapReadSince = 0;
  offlineCopyAt = null;
  delete document.body.dataset.offlineReady;
  regionBounds = metaBounds;
  legend.setLengths(new Map());
  legend.setDesaHint(false);
  header.update({ sitesByKind: null, networkM: null, activeM: null });
  loadErrors.length = 0;
  desaError = null;
  loading = false;
  notices.clear();
  delete document.body.dataset.mapReady;
  delete document.body.dataset.mapError;
}

/** "Try again" after a failed load: the same session, fresh data. */
function reloadMap(): void {
  clearMapData();
  void load();
}

// ---------------------------------------------------------------------------------------------
// The view in the address (#zoom/lat/lon), so a planner can send a link to a place.

function viewFromHash(): { center: L.LatLng; zoom: number } | null {
  const match = /^#(\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(window.location.hash);
  if (!match) return null;
  const [zoom, lat, lon] = match.slice(1).map(Number);
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { center: L.latLng(lat, lon), zoom };
}

function writeHash(): void {
  const center = map.getCenter();
  const zoom = map.getZoom();
  const digits = Math.max(2, Math.ceil(Math.log10(2 ** zoom)));
  const hash = `#${Number(zoom.toFixed(2))}/${center.lat.toFixed(digits)}/${center.lng.toFixed(digits)}`;
  window.history.replaceState(null, '', hash);
}

// A link to a place followed in the same tab (or the address edited) moves the map there.
// The app writes the address with replaceState, which fires no hashchange.
window.addEventListener('hashchange', () => {
  const linked = viewFromHash();
  if (linked && document.body.dataset.mapReady) map.setView(linked.center, linked.zoom, { animate: false });
});

// ---------------------------------------------------------------------------------------------
// Wiring

let openPopup: L.Popup | null = null;
map.on('popupopen', (event) => {
  openPopup = (event as L.PopupEvent).popup;
  labelCloseButton();
});
/** Leaflet labels the popup's close button in English; relabel it on open and on a switch. */
function labelCloseButton(): void {
  const close = openPopup?.getElement()?.querySelector<HTMLElement>('.leaflet-popup-close-button');
  if (close) {
    close.title = t('popup.close');
    close.setAttribute('aria-label', t('popup.close'));
  }
}
map.on('popupclose', () => (openPopup = null));
map.on('moveend', scheduleDesa);
// The map's box changes size when the layout around it does (the header filling in its figures,
// a panel opening, a phone turned): Leaflet only notices window resizes, so it would keep its
// centre at the old middle. Told here, it keeps the same place in the middle of the new box.
new ResizeObserver(() => map.invalidateSize({ animate: false })).observe(mapElement);
map.on('movestart', () => activity.set('moving', true));
map.on('moveend', () => activity.set('moving', false));
// Zoom classes let the stylesheet thin out symbols: small site icons on the overview,
// poles and handholes only when zoomed in.
function updateZoomClasses(): void {
  const zoom = map.getZoom();
  mapElement.classList.toggle('serat-zoom-overview', zoom < 10);
  mapElement.classList.toggle('serat-zoom-detail', zoom >= 12);
}
map.on('zoomend', updateZoomClasses);
map.on('moveend', () => {
  if (document.body.dataset.mapReady) writeHash();
});
map.on('overlayadd overlayremove', scheduleDesa);

onLangChange(() => showDataAttribution());
onLangChange((lang) => {
  document.documentElement.lang = lang;
  document.title = t(currentUser ? 'app.documentTitle' : 'login.documentTitle');
  header.render();
  legend.render();
  buildControls();
  renderNotices();
  openPopup?.update();
  labelCloseButton();
});

// ---------------------------------------------------------------------------------------------
// Session: sign-in screen, user menu, change-password dialog

let currentUser: User | null = null;
let healthTimer = 0;

const loginScreen = new LoginScreen(document.body, (user) => signedIn(user));
const passwordDialog = new PasswordDialog(document.body, {
  changed: () => {
    if (!currentUser) return;
    const wasRequired = currentUser.mustChangePassword;
    currentUser = { ...currentUser, mustChangePassword: false };
    notices.show('password', 'success', t('password.changed'), { dismissible: true, timeoutMs: 6000 });
    if (wasRequired) {
      enableTools(currentUser);
      void load();
    }
  },
  logout: () => logout(),
  user: () => currentUser,
});
// Admin screens are their own chunk, fetched when an admin first opens them.
let adminFeature: typeof import('./features/admin/admin') | null = null;
async function openAdmin(): Promise<void> {
  try {
    adminFeature ??= await import('./features/admin/admin');
  } catch {
    notices.show('admin', 'error', t('user.adminFailed'), { dismissible: true });
    return;
  }
  if (currentUser?.role === 'admin') adminFeature.openAdmin(document.body);
}
// The network list (every signed-in role): its own chunk too; a row shown goes to the map.
let inventoryFeature: typeof import('./features/inventory/inventory') | null = null;
async function openInventory(): Promise<void> {
  try {
    inventoryFeature ??= await import('./features/inventory/inventory');
  } catch {
    notices.show('inventory', 'error', t('user.inventoryFailed'), { dismissible: true });
    return;
  }
  const user = currentUser;
  if (!user) return;
  inventoryFeature.openInventory(document.body, {
    userId: user.id,
    role: user.role,
    focus: (subject, id) => {
      if (!featureBounds(subject, id)) return false;
      // Its popup first (that may pan), then the ring and the fit, which has the last word on the view.
      (subject === 'segment' ? segmentLayers.get(id)?.line : subject === 'node' ? nodeLayers.get(id) : siteLayers.get(id))?.openPopup();
      focusFeature(subject, id, { bottom: 0, left: 0 });
      return true;
    },
  });
}
const userMenu = new UserMenu({
  changePassword: () => passwordDialog.open(false),
  logout: () => logout(),
  openAdmin: () => void openAdmin(),
  openInventory: () => void openInventory(),
});

function signedIn(user: User): void {
  clearMapData();
  currentUser = user;
  // Until a temporary password is changed the server refuses everything else (403
  // PASSWORD_CHANGE_REQUIRED): the tools, the outbox and the map wait for the change.
  const working = !user.mustChangePassword;
  if (working) enableTools(user);
  document.body.dataset.signedIn = 'true';
  document.title = t('app.documentTitle');
  loginScreen.hide();
  setAppVisible(true);
  userMenu.setUser(user);
  header.setUserMenu(userMenu.element);
  void refreshHealth();
  window.clearInterval(healthTimer);
  healthTimer = window.setInterval(() => void refreshHealth(), HEALTH_INTERVAL_MS);
  if (working) void load();
  else passwordDialog.open(true);
}

/** The tools of the user's role and the field outbox. */
function enableTools(user: User): void {
  const mayChange = FIELD_ROLES.includes(user.role);
  field.setEnabled(mayChange);
  if (PLANNER_ROLES.includes(user.role)) void loadPlannerTools();
  planner?.setRole(user.role);
  editor?.setRole(user.role, PLANNER_ROLES);
  void outbox.setUser(mayChange ? user.id : null);
  renderConnectivity();
}

function showSignIn(reason: SignInReason | null, identifier: string | null = null): void {
  clearMapData();
  currentUser = null;
  // Queued changes stay on the device; they are sent once their author signs in again.
  field.setEnabled(false);
  planner?.setRole(null);
  editor?.setRole(null, PLANNER_ROLES);
  void outbox.setUser(null);
  auth.forget();
  window.clearInterval(healthTimer);
  health = null;
  passwordDialog.close();
  adminFeature?.closeAdmin();
  inventoryFeature?.closeInventory(true);
  userMenu.setUser(null);
  header.setUserMenu(null);
  setAppVisible(false);
  document.body.dataset.signedIn = 'false';
  document.title = t('login.documentTitle');
  loginScreen.show({ reason, identifier });
}

async function logout(): Promise<void> {
  try {
    await auth.logout();
  } catch (error) {
    // Still signed in on the server: say so rather than pretend.
    notices.show('logout', 'error', t('user.logoutFailed'), {
      detail: error instanceof ApiError && error.serverMessage ? error.serverMessage : undefined,
      dismissible: true,
    });
    return;
  }
  // The next person starts from the whole region, not from where the last one was looking,
  // and finds none of the map data kept for offline use.
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  await forgetOfflineData();
  showSignIn('signedOut');
}

// Any 401 from a request that needed the session: it has ended (expired, revoked, signed out
// in another tab). Back to the sign-in screen, with the same language and the same identifier.
setUnauthorizedHandler(() => {
  if (currentUser) showSignIn('expired', currentUser.username);
});

// ---------------------------------------------------------------------------------------------
// Field work: the panel, the outbox, the connection, and offline use (service worker)

const outbox = new Outbox();
const fieldEnabled = () => !!currentUser && !currentUser.mustChangePassword && FIELD_ROLES.includes(currentUser.role);

function featureBounds(subject: Editable, id: string): L.LatLngBounds | null {
  if (subject === 'segment') {
    const line = segmentLayers.get(id)?.line as L.Polyline | undefined;
    return line ? line.getBounds() : null;
  }
  if (subject === 'site') {
    // The true place: a marker moved apart from its neighbours goes back to it when zoomed in.
    const geometry = siteFeatures.get(id)?.geometry;
    return geometry?.type === 'Point' ? L.latLngBounds([toLatLng(geometry.coordinates)]) : null;
  }
  const marker = nodeLayers.get(id);
  return marker ? L.latLngBounds([marker.getLatLng()]) : null;
}

/** Draws a halo under a segment, node or site and fits it in view beside or above a panel. */
function focusFeature(subject: Editable, id: string, covered: { bottom: number; left: number }): void {
  highlightLayer.clearLayers();
  const bounds = featureBounds(subject, id);
  if (!bounds) return;
  const feature = subject === 'segment' ? segmentFeatures.get(id) : subject === 'node' ? nodeFeatures.get(id) : siteFeatures.get(id);
  if (feature) {
    L.geoJSON(feature, {
      coordsToLatLng: toLatLng,
      pane: 'serat-highlight',
      interactive: false,
      style: () => ({ color: '#1663a8', weight: 14, opacity: 0.35, lineCap: 'round', className: 'serat-highlight' }),
      pointToLayer: (_point, latlng) =>
        L.circleMarker(latlng, { radius: 14, color: '#1663a8', weight: 3, opacity: 0.8, fillOpacity: 0.15, pane: 'serat-highlight', className: 'serat-highlight' }),
    }).addTo(highlightLayer);
  }
  map.fitBounds(bounds, {
    paddingTopLeft: [covered.left + 24, 24],
    paddingBottomRight: [24, covered.bottom + 24],
    maxZoom: 17,
    animate: true,
  });
}

const field = new FieldPanel(
  document.querySelector<HTMLElement>('.serat-main')!,
  {
    segments: () => [...segmentFeatures.values()],
    nodes: () => [...nodeFeatures.values()],
    refresh: () => refreshNetwork(),
    // Clear of the panel: above it on a phone, beside it on a wide screen.
    focus: (subject, id) => focusFeature(subject, id, field.coverage()),
    unfocus: () => highlightLayer.clearLayers(),
    showPosition: (position) => {
      positionLayer.clearLayers();
      if (!position) return;
      const latlng = toLatLng([position.lon, position.lat]);
      L.circle(latlng, { radius: position.accuracyM, color: '#1a73e8', weight: 1, fillOpacity: 0.12, interactive: false }).addTo(positionLayer);
      L.circleMarker(latlng, { radius: 7, color: '#ffffff', weight: 2.5, fillColor: '#1a73e8', fillOpacity: 1, interactive: false, className: 'serat-position' }).addTo(
        positionLayer,
      );
      map.setView(latlng, Math.max(map.getZoom(), 15));
    },
    kecamatanName: (code) => lookups.kecamatanName(code),
    desaName: (code) => lookups.desaName(code),
    siteName: (nodeId) => siteNameOfNode(nodeId),
  },
  outbox,
);

/**
 * The work packages to choose from: read once per session from /api/phases (also those nothing
 * uses yet; the service worker keeps a copy for offline use). Until that list is read, or when it
 * cannot be (offline, no copy), the phases the loaded map data names stand in.
 */
let phaseList: Phase[] | null = null;
let phaseRequest: Promise<void> | null = null;
function loadPhases(): Promise<void> {
  const current = session;
  if (!current) return Promise.resolve();
  phaseRequest ??= api.phases(current.controller.signal).then(
    (phases) => {
      if (isCurrent(current)) phaseList = phases;
    },
    () => {
      // Tried again the next time the form opens.
      if (isCurrent(current)) phaseRequest = null;
    },
  );
  return phaseRequest;
}

function phasesOnMap(): Array<{ id: string; name: string }> {
  const phases = new Map<string, string>();
  for (const { properties: p } of [...segmentFeatures.values(), ...siteFeatures.values()]) {
    if (p.phaseId && p.phaseName) phases.set(p.phaseId, p.phaseName);
  }
  return [...phases].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'id'));
}

/**
 * The planner's tools (import, export, drawing) and the attribute form of a segment, node or
 * site: their own chunks, fetched once an admin or planner signs in, so a technician's or
 * viewer's phone never loads them before its map. Until they are here the popups offer no form.
 */
let planner: PlannerTools | null = null;
let editor: FeatureEditor | null = null;
let plannerLoad: Promise<void> | null = null;
function loadPlannerTools(): Promise<void> {
  plannerLoad ??= Promise.all([import('./features/planner/planner'), import('./features/editor/editor')]).then(
    ([plannerModule, editorModule]) => {
      /** Import, export and drawing, for admin and planner only (planner.ts). */
      planner = new plannerModule.PlannerTools(document.querySelector<HTMLElement>('.serat-main')!, {
        map,
        kecamatans: () => [...kecamatanNames.entries()].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name, 'id')),
        reload: () => {
          void refreshNetwork().catch(() => reloadMap());
        },
        reloadAll: () => reloadMap(),
        userId: () => currentUser?.id ?? null,
        nodeStored: (record) => storeRecord('node', record),
        nodeRemoved: (id) => removeFeature('node', id),
        nodes: () =>
          [...nodeFeatures.values()].map((feature) => ({
            id: String(feature.properties.id),
            code: feature.properties.code,
            version: Number(feature.properties.version),
            lon: feature.geometry.coordinates[0],
            lat: feature.geometry.coordinates[1],
          })),
      });

      /** The attribute form of one segment, node or site, for admin and planner only (editor.ts). */
      const form: FeatureEditor = new editorModule.FeatureEditor(document.querySelector<HTMLElement>('.serat-main')!, {
        phases: () => phaseList ?? phasesOnMap(),
        loadPhases: () => loadPhases(),
        focus: (subject, id) => focusFeature(subject, id, form.coverage()),
        unfocus: () => highlightLayer.clearLayers(),
        stored: (subject, record) => storeRecord(subject, record),
        removed: (subject, id) => removeFeature(subject, id),
        opening: () => {
          map.closePopup();
          planner?.close();
          field.close();
        },
      });
      // One panel at a time: opening the planner's tools or the field panel puts the form away.
      editor = form;
      planner.opener.addEventListener('click', () => editor?.close());
      // Whoever is signed in now (the one who asked may have signed out meanwhile).
      const role = currentUser && !currentUser.mustChangePassword ? currentUser.role : null;
      planner.setRole(role);
      editor.setRole(role, PLANNER_ROLES);
    },
    (error: unknown) => {
      // Asked again at the next sign-in (a chunk cannot be fetched while offline and not yet cached).
      plannerLoad = null;
      console.error('the planner tools could not be loaded', error);
    },
  );
  return plannerLoad;
}
field.opener.addEventListener('click', () => editor?.close());

const plannerEnabled = () => !!currentUser && !currentUser.mustChangePassword && PLANNER_ROLES.includes(currentUser.role);

const phaseNameOf = (phaseId: string | null) => {
  if (!phaseId) return null;
  const listed = phaseList?.find((p) => p.id === phaseId);
  if (listed) return listed.name;
  for (const { properties: p } of [...segmentFeatures.values(), ...siteFeatures.values()]) if (p.phaseId === phaseId && p.phaseName) return p.phaseName;
  return null;
};

/** Draws a segment anew (its style, class and popup follow its properties), replacing the old one. */
function putSegment(feature: SegmentFeature): void {
  const id = String(feature.properties.id);
  const popupAt = segmentLayers.get(id)?.line?.isPopupOpen() ? openPopup?.getLatLng() : null;
  dropSegment(id);
  segmentFeatures.set(id, feature);
  segmentHits.addData(feature);
  segmentCasing.addData(feature);
  segmentLines.addData(feature);
  // A popup open on the old drawing stays open, now showing the new state.
  if (popupAt) segmentLayers.get(id)?.line?.openPopup(popupAt);
}

function dropSegment(id: string): void {
  const layers = segmentLayers.get(id);
  if (layers?.hit) segmentHits.removeLayer(layers.hit);
  if (layers?.casing) segmentCasing.removeLayer(layers.casing);
  if (layers?.line) segmentLines.removeLayer(layers.line);
  segmentLayers.delete(id);
  segmentFeatures.delete(id);
}

function putNode(feature: NodeFeature): void {
  const id = String(feature.properties.id);
  const popupOpen = !!nodeLayers.get(id)?.isPopupOpen();
  dropNode(id);
  nodeFeatures.set(id, feature);
  nodeCodes.set(id, feature.properties.code);
  nodeHits.addData(feature);
  nodesOverlay.addData(feature);
  if (popupOpen) nodeLayers.get(id)?.openPopup();
}

function dropNode(id: string): void {
  const marker = nodeLayers.get(id);
  if (marker) nodesOverlay.removeLayer(marker);
  const hit = nodeHitLayers.get(id);
  if (hit) nodeHits.removeLayer(hit);
  nodeLayers.delete(id);
  nodeHitLayers.delete(id);
  nodeFeatures.delete(id);
}

function putSite(feature: SiteFeature): void {
  const id = String(feature.properties.id);
  const popupOpen = !!siteLayers.get(id)?.isPopupOpen();
  dropSite(id);
  siteFeatures.set(id, feature);
  sitesOverlay.addData(feature);
  // (Its callers lay the markers out again, once for many sites.)
  if (popupOpen) siteLayers.get(id)?.openPopup();
}

function dropSite(id: string): void {
  const marker = siteLayers.get(id);
  if (marker) sitesOverlay.removeLayer(marker);
  siteLayers.delete(id);
  siteFeatures.delete(id);
}

/**
 * A record the server answered with (an edit, a 409's current state, a fresh read) replaces what
 * the map shows, unless the map already has that version or a newer one. The list's extra names
 * (areas, phase) are filled from what the page knows; where it cannot, the next read of the
 * network completes them.
 */
function storeRecord(subject: Editable, record: EditableRecord): void {
  const id = String(record.id);
  const version = Number(record.version);
  const current = (known: { properties: { version?: number } } | undefined) => !!known && !partialIds.has(id) && Number(known.properties.version) >= version;
  let incomplete = false;
  if (subject === 'segment') {
    const r = record as SegmentRecord;
    if (current(segmentFeatures.get(id))) return;
    incomplete = !!r.phaseId && !phaseNameOf(r.phaseId);
    putSegment({
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
        phaseName: phaseNameOf(r.phaseId),
        version,
      },
    });
    updateTotals([...segmentFeatures.values()], null);
  } else if (subject === 'node') {
    const r = record as NodeRecord;
    const known = nodeFeatures.get(id);
    if (current(known)) return;
    const moved = !!known && JSON.stringify(known.geometry.coordinates) !== JSON.stringify(r.geometry.coordinates);
    putNode({
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
    const known = siteFeatures.get(id);
    if (current(known)) return;
    const properties: SiteFeature['properties'] = {
      id,
      code: r.code,
      name: r.name,
      shortName: r.shortName,
      kind: r.kind,
      phaseId: r.phaseId,
      phaseName: phaseNameOf(r.phaseId),
      costIdrPerMonth: r.costIdrPerMonth === null ? null : Number(r.costIdrPerMonth),
      // The record leaves out the kabupaten (one a region); the map's copy keeps it.
      kabupatenCode: known?.properties.kabupatenCode ?? null,
      kecamatanCode: r.kecamatanCode,
      kecamatanName: lookups.kecamatanName(r.kecamatanCode) ?? (known?.properties.kecamatanCode === r.kecamatanCode ? known.properties.kecamatanName : null),
      desaCode: r.desaCode,
      // Desa names are known only where the map was zoomed in; the list's name serves meanwhile.
      desaName: lookups.desaName(r.desaCode) ?? (known?.properties.desaCode === r.desaCode ? known.properties.desaName : null),
      isDemo: known?.properties.isDemo ?? false,
      connected: known?.properties.connected ?? false,
      terminationNodeId: r.terminationNodeId,
      version,
    };
    putSite({ type: 'Feature', id, geometry: r.geometry, properties });
    siteDeclutter.update();
    updateTotals(null, [...siteFeatures.values()]);
    // "Connected" follows the termination node; names the page does not know come with the next read.
    incomplete =
      !known ||
      (known.properties.terminationNodeId ?? null) !== r.terminationNodeId ||
      (!!r.phaseId && !properties.phaseName) ||
      (!!r.kecamatanCode && !properties.kecamatanName) ||
      (!!r.desaCode && !properties.desaName);
  }
  partialIds.delete(id);
  if (incomplete) {
    partialIds.add(id);
    scheduleRefresh(300);
  }
}

/** Deleted on the server (here, or found gone): off the map. */
function removeFeature(subject: Editable, id: string): void {
  if (subject === 'segment') {
    dropSegment(id);
    updateTotals([...segmentFeatures.values()], null);
  } else if (subject === 'node') dropNode(id);
  else {
    dropSite(id);
    siteDeclutter.update();
    updateTotals(null, [...siteFeatures.values()]);
  }
  partialIds.delete(id);
}

/** A status the server accepted (or read again): recolour the feature and recount the legend. */
function applyState(subject: Subject, state: SubjectState): void {
  if (subject === 'segment') {
    const feature = segmentFeatures.get(state.id);
    if (!feature) return;
    const before = feature.properties.status;
    feature.properties.status = state.status;
    feature.properties.version = state.version;
    // Someone else may have changed more than the status in between: the next read tells.
    partialIds.add(state.id);
    const layers = segmentLayers.get(state.id);
    layers?.casing?.setStyle(segmentCasingOptions(state.status, feature.properties.tier));
    if (layers?.line) {
      layers.line.setStyle(segmentPathOptions(state.status, feature.properties.tier));
      // Leaflet sets a path's class only when drawing it first; the status class is a styling
      // and test hook, so it follows the status here.
      const element = layers.line.getElement();
      element?.classList.remove(`serat-segment-${safeToken(before)}`);
      element?.classList.add(`serat-segment-${safeToken(state.status)}`);
    }
    updateTotals([...segmentFeatures.values()], null);
  } else {
    const feature = nodeFeatures.get(state.id);
    if (!feature) return;
    feature.properties.status = state.status;
    feature.properties.version = state.version;
    partialIds.add(state.id);
    nodeLayers.get(state.id)?.setStyle(nodePathOptions(feature.properties.kind, state.status));
  }
  openPopup?.update();
}

/**
 * Reads segments, nodes and sites again: statuses and attributes others changed, which sites are
 * connected now, and anything new since the start.
 */
function refreshNetwork(): Promise<void> {
  return activity.track('network', readNetworkAgain());
}

async function readNetworkAgain(): Promise<void> {
  const current = session;
  if (!current) return;
  const copiesBefore = offlineCopies;
  const { signal } = current.controller;
  const [segments, nodes, sites] = await Promise.all([api.segments(signal), api.nodes(signal), api.sites(signal)]);
  if (!isCurrent(current)) return;
  const fromServer = offlineCopies === copiesBefore;
  // Versions only grow: an older copy (the offline cache) never undoes what this page already
  // knows. A newer version replaces the whole feature (attributes, route, position), not only
  // its status, so nothing on screen (or in a form opened from it) is older than its version.
  const replaces = (id: string, known: { version: number }, fresh: { version: number }) =>
    Number(fresh.version) > Number(known.version) || (fromServer && partialIds.has(id) && Number(fresh.version) === Number(known.version));
  const seenSegments = new Set<string>();
  for (const feature of segments) {
    const id = String(feature.properties.id);
    seenSegments.add(id);
    const known = segmentFeatures.get(id);
    if (!known || replaces(id, known.properties, feature.properties)) {
      putSegment(feature);
      if (fromServer) partialIds.delete(id);
    }
  }
  const seenNodes = new Set<string>();
  for (const feature of nodes) {
    const id = String(feature.properties.id);
    seenNodes.add(id);
    const known = nodeFeatures.get(id);
    if (!known || replaces(id, known.properties, feature.properties)) {
      putNode(feature);
      if (fromServer) partialIds.delete(id);
    }
  }
  const seenSites = new Set<string>();
  for (const feature of sites) {
    const id = String(feature.properties.id);
    seenSites.add(id);
    const known = siteFeatures.get(id);
    // A copy kept on the device before sites carried a version has none: any answer is newer.
    const unversioned = !!known && typeof known.properties.version !== 'number';
    if (!known || unversioned || replaces(id, known.properties, feature.properties) || (fromServer && derivedChanged(known.properties, feature.properties))) {
      putSite(feature);
      if (fromServer) partialIds.delete(id);
    }
  }
  // Deleted by someone else: only a full answer from the server says so, never the offline copy.
  if (fromServer) {
    for (const id of [...segmentFeatures.keys()]) if (!seenSegments.has(id)) dropSegment(id);
    for (const id of [...nodeFeatures.keys()]) if (!seenNodes.has(id)) dropNode(id);
    for (const id of [...siteFeatures.keys()]) if (!seenSites.has(id)) dropSite(id);
  }
  siteDeclutter.update();
  updateTotals([...segmentFeatures.values()], [...siteFeatures.values()]);
  // Read from the server this time: what is on screen is current again.
  if (fromServer) offlineCopyAt = null;
  renderNotices();
  field.refreshed();
}

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

let refreshTimer = 0;
/** After changes went through: read the network again, which also refreshes the offline copy. */
function scheduleRefresh(delayMs = 1500): void {
  window.clearTimeout(refreshTimer);
  activity.set('network-soon', true);
  refreshTimer = window.setTimeout(() => {
    activity.set('network-soon', false);
    if (navigator.onLine) void refreshNetwork().catch(() => undefined);
  }, delayMs);
}

outbox.onApplied((item, result) => {
  applyState(item.subject, result);
  field.applied(item.targetId);
  scheduleRefresh();
});
outbox.onChange(() => renderConnectivity());

function renderConnectivity(): void {
  const items = outbox.items();
  header.setConnectivity({
    online: navigator.onLine,
    queued: fieldEnabled() ? items.length : null,
    needAttention: items.filter((item) => item.state !== 'pending').length,
    syncing: outbox.syncing,
    onOpenQueue: fieldEnabled() ? () => field.open('home') : null,
  });
  document.body.dataset.online = String(navigator.onLine);
  document.body.dataset.outbox = String(fieldEnabled() ? items.length : 0);
}

/** When the data on screen was stored on this device rather than read from the server just now. */
let offlineCopyAt: string | null = null;
let offlineCopies = 0;
setOfflineCopyHandler((_endpoint, storedAt) => {
  offlineCopies += 1;
  if (!offlineCopyAt || storedAt < offlineCopyAt) offlineCopyAt = storedAt;
  renderNotices();
});

window.addEventListener('offline', () => renderConnectivity());
window.addEventListener('online', () => {
  renderConnectivity();
  renderNotices();
  // Back in touch: what is on screen may be an old copy, and others may have changed things.
  if (currentUser && document.body.dataset.mapReady) {
    // A load that failed offline is done again whole; otherwise only the network is read again.
    if (loadErrors.length) reloadMap();
    else {
      scheduleRefresh(300);
      scheduleDesa();
    }
  }
  void refreshHealth();
});

// Service worker: from the moment it controls the page, every map read is kept for offline use.
let controlledSince = 0;
let mapLoaded = false;
/** When the map's data was last asked for: what was asked before the worker took over is not kept. */
let mapReadSince = 0;
let warming = false;

/** Marks the page ready for offline use once the worker has seen the data of this session. */
async function ensureOfflineReady(): Promise<void> {
  if (!controlledSince || !currentUser || !mapLoaded || warming) return;
  const user = currentUser;
  // The session check and the region are read once at start-up, possibly before the worker was
  // in charge (first visit, a fresh sign-in): read them through it, so an offline start knows
  // who is signed in and where.
  const reads: Array<Promise<unknown>> = [auth.me(), api.meta()];
  if (mapReadSince < controlledSince) {
    // The map was loaded before the worker was in charge: read it all once more through it.
    reads.push(api.areas('kabupaten'), api.areas('kecamatan'), api.segments(), api.nodes(), api.sites());
  }
  warming = true;
  let kept: boolean;
  try {
    kept = (await Promise.allSettled(reads)).every((read) => read.status === 'fulfilled');
  } finally {
    warming = false;
  }
  if (!kept) return;
  mapReadSince = Math.max(mapReadSince, controlledSince);
  if (currentUser === user) document.body.dataset.offlineReady = 'true';
}

registerServiceWorker(() => {
  controlledSince = Date.now();
  void ensureOfflineReady();
});

async function start(): Promise<void> {
  fetchMeta().catch(() => undefined);
  // Public and quick: asked alongside the session check so the sign-in screen appears whole.
  const demoAccounts = loginScreen.loadDemoAccounts();
  let user: User | null;
  try {
    user = await auth.me();
  } catch (error) {
    showSignIn(null);
    loginScreen.showProblem(error);
    return;
  }
  if (user) {
    signedIn(user);
    return;
  }
  await Promise.race([demoAccounts, new Promise((resolve) => window.setTimeout(resolve, 800))]);
  showSignIn(null);
}

void start();
