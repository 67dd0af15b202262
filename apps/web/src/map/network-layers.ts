/**
 * The network on the map: segments (an invisible hit line, a casing and the line), nodes (a hit
 * circle and the dot) and sites (markers moved apart where they would overlap), each with its
 * popup; the halo of a chosen feature and the technician's position. Holds the features drawn,
 * by id; network-data.ts decides what to draw.
 */
import type { Geometry } from 'geojson';
import * as L from 'leaflet';
import type { Editable, NodeFeature, SegmentFeature, SiteFeature, Subject, SubjectState } from '../shared/api';
import { textElement } from './areas';
import { navigationTarget, toLatLng, type Position } from './geo';
import { siteIcon, siteIconSize } from './markers';
import { nodePopup, segmentPopup, sitePopup, type PopupLookups } from './popups';
import { SegmentDetailsCache, type SegmentDetailsState } from './segment-details';
import type { SeratMap } from './serat-map';
import { SiteDeclutter } from './site-declutter';
import {
  CANVAS_FROM_FEATURES,
  nodeHitOptions,
  nodePathOptions,
  safeToken,
  segmentCasingOptions,
  segmentHitOptions,
  segmentPathOptions,
  siteDotOptions,
  SITE_DOTS_FROM,
  SITE_MARKERS_BELOW,
  SVG_BELOW_FEATURES,
} from './symbology';

/** What the app adds to a popup: the buttons of the reader's role. */
export type PopupActions = (content: HTMLElement, subject: Editable, id: string) => HTMLElement;

/** Kantor kecamatan above SOPD; connected sites above unconnected ones (drawn on top, kept in place first). */
const sitePriority = (p: SiteFeature['properties']) => (p.kind === 'kantor_kecamatan' ? 2 : 0) + (p.connected ? 1 : 0);

const popupOptions: L.PopupOptions = { maxWidth: 320, minWidth: 220, className: 'serat-popup', autoPanPadding: [16, 16] };

/** "Navigate here" where a phone's map app can take the link (a touch screen), else none. */
function navigateTo(geometry: Geometry | null): Position | null {
  if (!window.matchMedia('(pointer: coarse)').matches) return null;
  return navigationTarget(geometry);
}

export class NetworkLayers {
  /** The features drawn, by id: the field panel searches these. */
  readonly segments = new Map<string, SegmentFeature>();
  readonly nodes = new Map<string, NodeFeature>();
  readonly sites = new Map<string, SiteFeature>();
  private readonly nodeCodes = new Map<string, string>();
  private readonly segmentLayers = new Map<string, { line?: L.Path; casing?: L.Path; hit?: L.Path }>();
  private readonly nodeLayers = new Map<string, L.CircleMarker>();
  private readonly nodeHitLayers = new Map<string, L.CircleMarker>();
  private readonly siteLayers = new Map<string, L.Marker | L.CircleMarker>();
  private readonly segmentCasing: L.GeoJSON<SegmentFeature['properties']>;
  private readonly segmentLines: L.GeoJSON<SegmentFeature['properties']>;
  private readonly segmentHits: L.GeoJSON<SegmentFeature['properties']>;
  private readonly nodeHits: L.GeoJSON<NodeFeature['properties']>;
  private readonly nodesOverlay: L.GeoJSON<NodeFeature['properties']>;
  private readonly sitesOverlay: L.GeoJSON<SiteFeature['properties']>;
  private readonly siteDeclutter: SiteDeclutter;
  /** What the layer switch turns on and off as "segments", "nodes" (dots and hit areas) and "sites" (markers and leader lines). */
  readonly segmentsGroup: L.LayerGroup;
  readonly nodesGroup: L.LayerGroup;
  readonly sitesGroup: L.LayerGroup;
  /** The chosen segment, node or site of a panel, drawn as a halo under it. */
  private readonly highlightLayer = L.layerGroup();
  /** The technician's own position ("near me"), with its accuracy circle. */
  private readonly positionLayer = L.layerGroup();
  /** A segment's areas, history and photos for its popup, read as it opens. */
  private readonly segmentDetails: SegmentDetailsCache;
  /** Names the popups show for the ids and codes a feature carries. */
  readonly lookups: PopupLookups;
  /**
   * A dense view's lines, dots and sites: one canvas for all (a canvas takes every click over its
   * whole box, so a second one on top would keep the first from ever being clicked), whose click
   * tolerance stands in for the hit lines and circles. Drawn in the order added: after a batch,
   * nodes and then sites are brought back above lines that came later (settleRenderers).
   */
  private readonly canvas: L.Canvas;
  /** Segments and nodes on the canvas, both or neither: an SVG line under the canvas could not be clicked. */
  private networkOnCanvas = false;
  private sitesOnCanvas = false;
  /** A line was put on the canvas since the points were last brought to the front. */
  private linesAddedOnCanvas = false;

  constructor(
    private readonly base: SeratMap,
    areas: { kecamatanName(code: string | null): string | null; desaName(code: string | null): string | null },
    actions: PopupActions,
  ) {
    this.lookups = {
      nodeCode: (id) => (id ? (this.nodeCodes.get(id) ?? null) : null),
      kecamatanName: (code) => areas.kecamatanName(code),
      desaName: (code) => areas.desaName(code),
      siteName: (nodeId) => this.siteNameOfNode(nodeId),
    };
    this.segmentDetails = new SegmentDetailsCache((work) => base.activity.track('popup details', work));
    /** A finger rather than a mouse: wider hit areas around lines and points. */
    const coarsePointer = window.matchMedia('(pointer: coarse)').matches;
    const segmentLayers = this.segmentLayers;
    const tolerance = coarsePointer ? 10 : 4;
    this.canvas = L.canvas({ padding: 0.3, tolerance });

    this.segmentCasing = L.geoJSON<SegmentFeature['properties']>(undefined, {
      coordsToLatLng: toLatLng,
      style: (feature) => segmentCasingOptions(feature!.properties.status, feature!.properties.tier),
      onEachFeature: (feature, layer) => {
        const id = String(feature.properties.id);
        segmentLayers.set(id, { ...segmentLayers.get(id), casing: layer as L.Path });
        // The casing is solid and wider than the line: a click in a dashed line's gap, or just
        // beside a thin one, still opens the segment (not the kecamatan underneath).
        layer.on('click', (event: L.LeafletMouseEvent) => segmentLayers.get(id)?.line?.openPopup(event.latlng));
      },
    });
    this.segmentLines = L.geoJSON<SegmentFeature['properties']>(undefined, {
      coordsToLatLng: toLatLng,
      style: (feature) => segmentPathOptions(feature!.properties.status, feature!.properties.tier),
      onEachFeature: (feature, layer) => {
        const id = String(feature.properties.id);
        segmentLayers.set(id, { ...segmentLayers.get(id), line: layer as L.Path });
        // The drawn line says which segment it is (for assistive and automated readers of the page).
        layer.on('add', () => (layer as L.Path).getElement()?.setAttribute('data-code', feature.properties.code));
        layer.bindPopup(
          () =>
            actions(segmentPopup(feature.properties, this.lookups, { details: this.segmentDetailsFor(feature.properties), navigate: navigateTo(feature.geometry) }), 'segment', id),
          popupOptions,
        );
      },
    });
    this.segmentHits = L.geoJSON<SegmentFeature['properties']>(undefined, {
      coordsToLatLng: toLatLng,
      pane: 'serat-segment-hits',
      style: () => segmentHitOptions(coarsePointer),
      onEachFeature: (feature, layer) => {
        const id = String(feature.properties.id);
        segmentLayers.set(id, { ...segmentLayers.get(id), hit: layer as L.Path });
        layer.on('click', (event: L.LeafletMouseEvent) => segmentLayers.get(id)?.line?.openPopup(event.latlng));
      },
    });
    this.segmentsGroup = L.layerGroup([this.segmentHits, this.segmentCasing, this.segmentLines]);

    this.nodeHits = L.geoJSON<NodeFeature['properties']>(undefined, {
      coordsToLatLng: toLatLng,
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, { ...nodeHitOptions(feature.properties.kind, coarsePointer), pane: 'serat-node-hits' }),
      onEachFeature: (feature, layer) => {
        const id = String(feature.properties.id);
        this.nodeHitLayers.set(id, layer as L.CircleMarker);
        layer.on('click', () => this.nodeLayers.get(id)?.openPopup());
      },
    });
    this.nodesOverlay = L.geoJSON<NodeFeature['properties']>(undefined, {
      coordsToLatLng: toLatLng,
      pointToLayer: (feature, latlng) =>
        L.circleMarker(latlng, {
          ...nodePathOptions(feature.properties.kind, feature.properties.status),
          pane: 'serat-nodes',
          renderer: this.networkOnCanvas ? this.canvas : undefined,
        }),
      onEachFeature: (feature, layer) => {
        const id = String(feature.properties.id);
        this.nodeLayers.set(id, layer as L.CircleMarker);
        layer.bindPopup(() => actions(nodePopup(feature.properties, this.lookups, { navigate: navigateTo(feature.geometry) }), 'node', id), popupOptions);
      },
    });
    this.nodesGroup = L.layerGroup([this.nodeHits, this.nodesOverlay]);

    this.sitesOverlay = L.geoJSON<SiteFeature['properties']>(undefined, {
      coordsToLatLng: toLatLng,
      pointToLayer: (feature, latlng) => {
        const p = feature.properties;
        if (this.sitesOnCanvas) return L.circleMarker(latlng, { ...siteDotOptions(p.kind, p.connected), renderer: this.canvas });
        return L.marker(latlng, { icon: siteIcon(p.kind, p.connected), title: p.name, riseOnHover: true, zIndexOffset: sitePriority(p) * 100 });
      },
      onEachFeature: (feature, layer) => {
        const id = String(feature.properties.id);
        this.siteLayers.set(id, layer as L.Marker | L.CircleMarker);
        layer.bindPopup(() => actions(sitePopup(feature.properties, { navigate: navigateTo(feature.geometry) }), 'site', id), popupOptions);
        layer.bindTooltip(() => textElement(feature.properties.shortName || feature.properties.name), { direction: 'top', offset: [0, -10], className: 'serat-tooltip' });
      },
    });
    /** Sites that would overlap on screen moved apart, each with a leader line to its true place. */
    this.siteDeclutter = new SiteDeclutter(
      base.map,
      () => {
        const sites = [];
        // Dots on the canvas are not moved apart: there are too many for any layout.
        if (this.sitesOnCanvas) return [];
        for (const [id, marker] of this.siteLayers) {
          if (!(marker instanceof L.Marker)) continue;
          const feature = this.sites.get(id);
          if (feature?.geometry?.type !== 'Point') continue;
          sites.push({ marker, latlng: toLatLng(feature.geometry.coordinates), size: siteIconSize(feature.properties.kind), priority: sitePriority(feature.properties), key: id });
        }
        return sites;
      },
      'serat-site-leaders',
    );
    this.sitesGroup = L.layerGroup([this.sitesOverlay, this.siteDeclutter.leaders]);
  }

  /** The layers, bottom to top. */
  addTo(map: L.Map): void {
    this.segmentsGroup.addTo(map);
    this.nodesGroup.addTo(map);
    this.sitesGroup.addTo(map);
    this.highlightLayer.addTo(map);
    this.positionLayer.addTo(map);
  }

  /** The name of the site whose termination node `nodeId` is (about 50 sites: a scan is enough). */
  siteNameOfNode(nodeId: string | null): string | null {
    if (!nodeId) return null;
    for (const { properties: p } of this.sites.values()) if (p.terminationNodeId === nodeId) return p.name;
    return null;
  }

  /**
   * The popup's history and photos on a wide screen only: on a phone the popup stays small over
   * the map, and the field panel (one tap away) shows all of it.
   */
  private segmentDetailsFor(p: SegmentFeature['properties']): SegmentDetailsState | null {
    if (!window.matchMedia('(min-width: 900px)').matches) return null;
    const id = String(p.id);
    return this.segmentDetails.get(id, Number(p.version), () => {
      // Drawn again from the kept answer (update() builds the content anew), if still open.
      if (this.segmentLayers.get(id)?.line?.isPopupOpen()) this.base.openPopup?.update();
    });
  }

  /**
   * Before a batch of features (a tile): onto the canvas first when the batch would take the map
   * past its limits, so that thousands are not made as SVG and then made again.
   */
  prepareFor(incoming: { segments: number; nodes: number; sites: number }): void {
    if (!this.networkOnCanvas && (this.segments.size + incoming.segments >= CANVAS_FROM_FEATURES || this.nodes.size + incoming.nodes >= CANVAS_FROM_FEATURES))
      this.drawNetworkOn('canvas');
    if (!this.sitesOnCanvas && this.sites.size + incoming.sites >= SITE_DOTS_FROM) this.drawSitesOn('canvas');
  }

  /** Draws a segment anew (its style, class and popup follow its properties), replacing the old one. */
  putSegment(feature: SegmentFeature): void {
    const id = String(feature.properties.id);
    const popupAt = this.segmentLayers.get(id)?.line?.isPopupOpen() ? this.base.openPopup?.getLatLng() : null;
    this.dropSegment(id);
    if (!this.networkOnCanvas && this.segments.size + 1 >= CANVAS_FROM_FEATURES) this.drawNetworkOn('canvas');
    this.segments.set(id, feature);
    this.drawSegment(feature);
    // A popup open on the old drawing stays open, now showing the new state.
    if (popupAt) this.segmentLayers.get(id)?.line?.openPopup(popupAt);
  }

  private drawSegment(feature: SegmentFeature): void {
    // On the canvas, its click tolerance serves as the wide invisible line.
    if (this.networkOnCanvas) this.linesAddedOnCanvas = true;
    else this.segmentHits.addData(feature);
    this.segmentCasing.addData(feature);
    this.segmentLines.addData(feature);
  }

  /** Draws every segment and node anew on SVG or on the canvas (what this many need). */
  private drawNetworkOn(renderer: 'svg' | 'canvas'): void {
    this.networkOnCanvas = renderer === 'canvas';
    // Read by the GeoJSON layers as each line is made: undefined is the map's own (SVG).
    for (const layer of [this.segmentCasing, this.segmentLines]) (layer.options as L.PathOptions).renderer = this.networkOnCanvas ? this.canvas : undefined;
    const openSegment = [...this.segmentLayers].find(([, layers]) => layers.line?.isPopupOpen())?.[0];
    const popupAt = openSegment ? this.base.openPopup?.getLatLng() : null;
    const openNode = [...this.nodeLayers].find(([, marker]) => marker.isPopupOpen())?.[0];
    const segments = [...this.segments.values()];
    const nodes = [...this.nodes.values()];
    for (const feature of segments) this.dropSegment(String(feature.properties.id));
    for (const feature of nodes) this.dropNode(String(feature.properties.id));
    for (const feature of segments) {
      this.segments.set(String(feature.properties.id), feature);
      this.drawSegment(feature);
    }
    for (const feature of nodes) this.drawNode(feature);
    // Sites as dots sit on the canvas too: above the lines just drawn again.
    if (this.sitesOnCanvas) this.drawSitesOn('canvas');
    this.linesAddedOnCanvas = false;
    if (openSegment && popupAt) this.segmentLayers.get(openSegment)?.line?.openPopup(popupAt);
    if (openNode) this.nodeLayers.get(openNode)?.openPopup();
    const element = this.base.map.getContainer();
    element.dataset.segmentRenderer = renderer;
    element.dataset.nodeRenderer = renderer;
  }

  /** Draws every site anew as a marker or as a dot on the canvas. */
  private drawSitesOn(renderer: 'markers' | 'canvas'): void {
    this.sitesOnCanvas = renderer === 'canvas';
    const open = [...this.siteLayers].find(([, marker]) => marker.isPopupOpen())?.[0];
    const sites = [...this.sites.values()];
    for (const feature of sites) this.dropSite(String(feature.properties.id));
    for (const feature of sites) {
      this.sites.set(String(feature.properties.id), feature);
      this.sitesOverlay.addData(feature);
    }
    if (open) this.siteLayers.get(open)?.openPopup();
    this.base.map.getContainer().dataset.siteRenderer = renderer;
  }

  /**
   * After a batch of changes: back to SVG and markers when few are left, the points above lines
   * that came later on the canvas, and the counts drawn on the map's element (for readers of the
   * page that cannot see into a canvas).
   */
  settleRenderers(): void {
    if (this.networkOnCanvas && this.segments.size < SVG_BELOW_FEATURES && this.nodes.size < SVG_BELOW_FEATURES) this.drawNetworkOn('svg');
    if (this.sitesOnCanvas && this.sites.size < SITE_MARKERS_BELOW) this.drawSitesOn('markers');
    if (this.linesAddedOnCanvas) {
      for (const marker of this.nodeLayers.values()) marker.bringToFront();
      if (this.sitesOnCanvas) for (const marker of this.siteLayers.values()) (marker as L.CircleMarker).bringToFront();
      this.linesAddedOnCanvas = false;
    }
    const element = this.base.map.getContainer();
    element.dataset.segmentsDrawn = String(this.segments.size);
    element.dataset.nodesDrawn = String(this.nodes.size);
    element.dataset.sitesDrawn = String(this.sites.size);
  }

  dropSegment(id: string): void {
    const layers = this.segmentLayers.get(id);
    if (layers?.hit) this.segmentHits.removeLayer(layers.hit);
    if (layers?.casing) this.segmentCasing.removeLayer(layers.casing);
    if (layers?.line) this.segmentLines.removeLayer(layers.line);
    this.segmentLayers.delete(id);
    this.segments.delete(id);
  }

  putNode(feature: NodeFeature): void {
    const id = String(feature.properties.id);
    const popupOpen = !!this.nodeLayers.get(id)?.isPopupOpen();
    this.dropNode(id);
    if (!this.networkOnCanvas && this.nodes.size + 1 >= CANVAS_FROM_FEATURES) this.drawNetworkOn('canvas');
    this.drawNode(feature);
    if (popupOpen) this.nodeLayers.get(id)?.openPopup();
  }

  private drawNode(feature: NodeFeature): void {
    this.nodes.set(String(feature.properties.id), feature);
    this.nodeCodes.set(String(feature.properties.id), feature.properties.code);
    // On the canvas, its click tolerance serves as the wider invisible circle.
    if (!this.networkOnCanvas) this.nodeHits.addData(feature);
    this.nodesOverlay.addData(feature);
  }

  dropNode(id: string): void {
    const marker = this.nodeLayers.get(id);
    if (marker) this.nodesOverlay.removeLayer(marker);
    const hit = this.nodeHitLayers.get(id);
    if (hit) this.nodeHits.removeLayer(hit);
    this.nodeLayers.delete(id);
    this.nodeHitLayers.delete(id);
    this.nodes.delete(id);
  }

  /** Draws a site anew; its callers lay the markers out again (layoutSites), once for many sites. */
  putSite(feature: SiteFeature): void {
    const id = String(feature.properties.id);
    const popupOpen = !!this.siteLayers.get(id)?.isPopupOpen();
    this.dropSite(id);
    if (!this.sitesOnCanvas && this.sites.size + 1 >= SITE_DOTS_FROM) this.drawSitesOn('canvas');
    this.sites.set(id, feature);
    this.sitesOverlay.addData(feature);
    if (popupOpen) this.siteLayers.get(id)?.openPopup();
  }

  dropSite(id: string): void {
    const marker = this.siteLayers.get(id);
    if (marker) this.sitesOverlay.removeLayer(marker);
    this.siteLayers.delete(id);
    this.sites.delete(id);
  }

  /** Moves overlapping site markers apart; labels keep clear of where the markers are drawn. */
  layoutSites(): void {
    this.siteDeclutter.update();
    this.base.labels.setObstacles(() =>
      // Dots of a dense view are not kept clear of: labels would have nowhere left to go.
      this.base.map.hasLayer(this.sitesOverlay) && !this.sitesOnCanvas ? [...this.siteLayers.values()].map((marker): [L.LatLng, number] => [marker.getLatLng(), 11]) : [],
    );
  }

  /** Recolours a segment or node whose status changed, without drawing it anew. */
  restyle(subject: Subject, state: SubjectState, before: string): void {
    if (subject === 'segment') {
      const feature = this.segments.get(state.id);
      const layers = this.segmentLayers.get(state.id);
      if (!feature || !layers) return;
      layers.casing?.setStyle(segmentCasingOptions(state.status, feature.properties.tier));
      if (layers.line) {
        layers.line.setStyle(segmentPathOptions(state.status, feature.properties.tier));
        // Leaflet sets a path's class only when drawing it first; the status class is a styling
        // and test hook, so it follows the status here.
        const element = layers.line.getElement();
        element?.classList.remove(`serat-segment-${safeToken(before)}`);
        element?.classList.add(`serat-segment-${safeToken(state.status)}`);
      }
    } else {
      const feature = this.nodes.get(state.id);
      if (feature) this.nodeLayers.get(state.id)?.setStyle(nodePathOptions(feature.properties.kind, state.status));
    }
  }

  private featureBounds(subject: Editable, id: string): L.LatLngBounds | null {
    if (subject === 'segment') {
      const line = this.segmentLayers.get(id)?.line as L.Polyline | undefined;
      return line ? line.getBounds() : null;
    }
    if (subject === 'site') {
      // The true place: a marker moved apart from its neighbours goes back to it when zoomed in.
      const geometry = this.sites.get(id)?.geometry;
      return geometry?.type === 'Point' ? L.latLngBounds([toLatLng(geometry.coordinates)]) : null;
    }
    const marker = this.nodeLayers.get(id);
    return marker ? L.latLngBounds([marker.getLatLng()]) : null;
  }

  /** Opens the popup of a feature on the map; says whether it is there. */
  openPopup(subject: Editable, id: string): boolean {
    const layer = subject === 'segment' ? this.segmentLayers.get(id)?.line : subject === 'node' ? this.nodeLayers.get(id) : this.siteLayers.get(id);
    if (!layer) return false;
    layer.openPopup();
    return true;
  }

  /** Draws a halo under a segment, node or site and fits it in view beside or above a panel. Says whether it is on the map. */
  focus(subject: Editable, id: string, covered: { bottom: number; left: number }): boolean {
    this.highlightLayer.clearLayers();
    const bounds = this.featureBounds(subject, id);
    if (!bounds) return false;
    const feature = subject === 'segment' ? this.segments.get(id) : subject === 'node' ? this.nodes.get(id) : this.sites.get(id);
    if (feature) {
      L.geoJSON(feature, {
        coordsToLatLng: toLatLng,
        pane: 'serat-highlight',
        interactive: false,
        style: () => ({ color: '#1663a8', weight: 14, opacity: 0.35, lineCap: 'round', className: 'serat-highlight' }),
        pointToLayer: (_point, latlng) =>
          L.circleMarker(latlng, { radius: 14, color: '#1663a8', weight: 3, opacity: 0.8, fillOpacity: 0.15, pane: 'serat-highlight', className: 'serat-highlight' }),
      }).addTo(this.highlightLayer);
    }
    this.base.map.fitBounds(bounds, { paddingTopLeft: [covered.left + 24, 24], paddingBottomRight: [24, covered.bottom + 24], maxZoom: 17, animate: true });
    return true;
  }

  unfocus(): void {
    this.highlightLayer.clearLayers();
  }

  /** The technician's position with its accuracy, or none. */
  showPosition(position: { lon: number; lat: number; accuracyM: number } | null): void {
    this.positionLayer.clearLayers();
    if (!position) return;
    const latlng = toLatLng([position.lon, position.lat]);
    L.circle(latlng, { radius: position.accuracyM, color: '#1a73e8', weight: 1, fillOpacity: 0.12, interactive: false }).addTo(this.positionLayer);
    L.circleMarker(latlng, { radius: 7, color: '#ffffff', weight: 2.5, fillColor: '#1a73e8', fillOpacity: 1, interactive: false, className: 'serat-position' }).addTo(
      this.positionLayer,
    );
    this.base.map.setView(latlng, Math.max(this.base.map.getZoom(), 15));
  }

  /** Empties every layer and forgets every feature. */
  clear(): void {
    for (const layer of [this.segmentHits, this.segmentCasing, this.segmentLines, this.nodeHits, this.nodesOverlay, this.sitesOverlay]) layer.clearLayers();
    this.siteDeclutter.leaders.clearLayers();
    this.base.labels.setObstacles(() => []);
    for (const map of [this.nodeCodes, this.segments, this.nodes, this.sites, this.segmentLayers, this.nodeLayers, this.nodeHitLayers, this.siteLayers]) map.clear();
    this.segmentDetails.clear();
    this.highlightLayer.clearLayers();
    this.positionLayer.clearLayers();
  }
}
