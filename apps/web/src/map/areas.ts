/**
 * The administrative areas on the map: the kabupaten (a fill under everything and an outline over
 * the areas), its kecamatan with their names, and the desa, read for the view from DESA_MIN_ZOOM
 * on (bounded: those far out of view are dropped again). Each kind has its own pane, so the order
 * they are drawn in never depends on which answer arrives first.
 */
import * as L from 'leaflet';
import { api, ApiError, type AreaFeature } from '../shared/api';
import { t } from '../shared/i18n';
import { boundsToBboxParam, labelPosition, toLatLng } from './geo';
import { labelMarker } from './markers';
import type { SeratMap } from './serat-map';
import { desaPathOptions, kabupatenPathOptions, kecamatanHoverOptions, kecamatanPathOptions } from './symbology';

/** Desa polygons are only worth drawing (and fetching) from this zoom on. */
export const DESA_MIN_ZOOM = 11;
const DESA_DEBOUNCE_MS = 300;
/** Beyond this many cached desa, the ones out of view are dropped again. */
const DESA_CACHE_LIMIT = 1500;

export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

export function textElement(text: string, className?: string): HTMLElement {
  const span = document.createElement('span');
  if (className) span.className = className;
  span.textContent = text;
  return span;
}

/** A stable tint per kecamatan: the last part of its Kemendagri code (62.02.NN). */
const tintIndex = (code: string | undefined) => Number.parseInt(code?.split('.').pop() ?? '0', 10) || 0;

export interface AreaEvents {
  /** Whether a session's data is on the map (desa are read only then). */
  active(): boolean;
  /** The desa of the view could not be read (null: they could again). */
  desaProblem(error: unknown): void;
}

export class AreaLayers {
  private readonly kecamatanNames = new Map<string, string>();
  private readonly desaNames = new Map<string, string>();
  private readonly kabupatenFill: L.GeoJSON<AreaFeature['properties']>;
  private readonly kabupatenOutline: L.GeoJSON<AreaFeature['properties']>;
  private readonly kecamatanLayer: L.GeoJSON<AreaFeature['properties']>;
  private readonly kecamatanLabels = L.layerGroup();
  /** What the layer switch turns on and off as "kecamatan": areas and names. */
  readonly kecamatanGroup: L.LayerGroup;
  private readonly desaPolygons: L.GeoJSON<AreaFeature['properties']>;
  private readonly desaLabels = L.layerGroup();
  /** What is drawn when zoomed in far enough. */
  private readonly desaContent: L.LayerGroup;
  /** What the layer switch turns on and off; holds desaContent only at DESA_MIN_ZOOM and above. */
  readonly desaOverlay = L.layerGroup();
  private readonly desaByCode = new Map<string, { polygon: L.Layer; label: L.Marker | null }>();
  private desaTimer = 0;
  private desaAbort: AbortController | null = null;
  /** The bbox of the request in flight or last answered: the same view is not asked for twice. */
  private desaBbox: string | null = null;

  constructor(
    private readonly base: SeratMap,
    private readonly events: AreaEvents,
  ) {
    const withTiles = () => base.withTiles;
    this.kabupatenFill = L.geoJSON<AreaFeature['properties']>(undefined, {
      coordsToLatLng: toLatLng,
      pane: 'serat-kabupaten',
      interactive: false,
      style: () => ({ ...kabupatenPathOptions(withTiles()), stroke: false, className: 'serat-area-kabupaten-fill' }),
    });
    this.kabupatenOutline = L.geoJSON<AreaFeature['properties']>(undefined, {
      coordsToLatLng: toLatLng,
      pane: 'serat-boundary',
      interactive: false,
      style: () => ({ ...kabupatenPathOptions(withTiles()), fill: false }),
    });
    this.kecamatanLayer = L.geoJSON<AreaFeature['properties']>(undefined, {
      coordsToLatLng: toLatLng,
      pane: 'serat-areas',
      style: (feature) => kecamatanPathOptions(tintIndex(feature?.properties.code), withTiles()),
      onEachFeature: (feature, layer) => {
        const name = feature.properties.name;
        layer.bindTooltip(() => textElement(t('area.kecamatan', { name })), { sticky: true, direction: 'top', offset: [0, -8], className: 'serat-tooltip' });
        layer.on('mouseover', () => (layer as L.Path).setStyle(kecamatanHoverOptions()));
        layer.on('mouseout', () => this.kecamatanLayer.resetStyle(layer));
      },
    });
    this.kecamatanGroup = L.layerGroup([this.kecamatanLayer, this.kecamatanLabels]);
    this.desaPolygons = L.geoJSON<AreaFeature['properties']>(undefined, {
      coordsToLatLng: toLatLng,
      pane: 'serat-desa',
      style: () => desaPathOptions(),
      onEachFeature: (feature, layer) => {
        const name = feature.properties.name;
        layer.bindTooltip(() => textElement(name), { sticky: true, direction: 'top', offset: [0, -8], className: 'serat-tooltip' });
      },
    });
    this.desaContent = L.layerGroup([this.desaPolygons, this.desaLabels]);
    base.map.on('moveend overlayadd overlayremove', () => this.scheduleDesa());
  }

  /** The layers, bottom to top (their panes keep that order whatever arrives first). */
  addTo(map: L.Map): void {
    this.kabupatenFill.addTo(map);
    this.kecamatanGroup.addTo(map);
    this.kabupatenOutline.addTo(map);
    this.desaOverlay.addTo(map);
  }

  kecamatanName(code: string | null | undefined): string | null {
    return code ? (this.kecamatanNames.get(code) ?? null) : null;
  }

  desaName(code: string | null | undefined): string | null {
    return code ? (this.desaNames.get(code) ?? null) : null;
  }

  /** The kecamatan drawn, by name. */
  kecamatans(): Array<{ code: string; name: string }> {
    return [...this.kecamatanNames.entries()].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name, 'id'));
  }

  /** Draws the kabupaten; answers its extent. */
  drawKabupaten(features: AreaFeature[]): L.LatLngBounds {
    for (const feature of features) {
      this.kabupatenFill.addData(feature);
      this.kabupatenOutline.addData(feature);
    }
    return this.kabupatenOutline.getBounds();
  }

  drawKecamatan(features: AreaFeature[]): void {
    for (const feature of features) {
      this.kecamatanNames.set(feature.properties.code ?? String(feature.id), feature.properties.name);
      this.kecamatanLayer.addData(feature);
      this.addLabel(feature, 'serat-label--kecamatan', this.kecamatanLabels, 1e6);
    }
  }

  private addLabel(feature: AreaFeature, className: string, group: L.LayerGroup, priorityBoost: number): L.Marker | null {
    const placement = labelPosition(feature.geometry);
    if (!placement) return null;
    const marker = labelMarker(toLatLng(placement.position), feature.properties.name, className, 'serat-labels');
    group.addLayer(marker);
    const bounds = L.geoJSON(feature, { coordsToLatLng: toLatLng }).getBounds();
    this.base.labels.add(marker, bounds, priorityBoost + placement.area);
    return marker;
  }

  /** Reads the desa of the view once the map has stopped moving for a moment. */
  scheduleDesa(): void {
    window.clearTimeout(this.desaTimer);
    this.base.activity.set('desa-soon', true);
    this.desaTimer = window.setTimeout(() => {
      this.base.activity.set('desa-soon', false);
      void this.base.activity.track('desa', this.refreshDesa());
    }, DESA_DEBOUNCE_MS);
  }

  private async refreshDesa(): Promise<void> {
    if (!this.events.active()) return;
    const { map, legend } = this.base;
    const wanted = map.hasLayer(this.desaOverlay);
    const zoomedIn = map.getZoom() >= DESA_MIN_ZOOM;
    legend.setDesaHint(wanted && !zoomedIn);
    if (!wanted || !zoomedIn) {
      this.desaAbort?.abort();
      this.desaAbort = null;
      this.desaBbox = null;
      this.desaOverlay.removeLayer(this.desaContent);
      return;
    }
    this.desaOverlay.addLayer(this.desaContent);

    const view = map.getBounds().pad(0.1);
    const bbox = boundsToBboxParam(view);
    if (bbox === this.desaBbox) return;
    // A newer view makes the previous request pointless.
    this.desaAbort?.abort();
    const controller = new AbortController();
    this.desaAbort = controller;
    this.desaBbox = bbox;
    try {
      const features = await api.areas('desa', bbox, controller.signal);
      if (controller.signal.aborted) return;
      if (this.desaByCode.size + features.length > DESA_CACHE_LIMIT) this.pruneDesa(view);
      for (const feature of features) {
        const code = feature.properties.code ?? String(feature.id);
        this.desaNames.set(code, feature.properties.name);
        if (this.desaByCode.has(code)) continue;
        this.desaPolygons.addData(feature);
        const polygon = this.desaPolygons.getLayers()[this.desaPolygons.getLayers().length - 1];
        const label = this.addLabel(feature, 'serat-label--desa', this.desaLabels, 0);
        this.desaByCode.set(code, { polygon, label });
      }
      this.events.desaProblem(null);
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) return;
      this.desaBbox = null;
      // A 401 has already sent the reader to the sign-in screen.
      if (error instanceof ApiError && error.httpStatus === 401) return;
      // Offline, desa of a view not seen before are simply not there; the offline notice says why.
      if (error instanceof ApiError && error.reason === 'network' && !navigator.onLine) return;
      this.events.desaProblem(error);
    } finally {
      if (this.desaAbort === controller) this.desaAbort = null;
    }
  }

  private pruneDesa(keep: L.LatLngBounds): void {
    for (const [code, entry] of this.desaByCode) {
      const bounds = (entry.polygon as L.Polygon).getBounds();
      if (keep.intersects(bounds)) continue;
      this.desaPolygons.removeLayer(entry.polygon);
      if (entry.label) {
        this.desaLabels.removeLayer(entry.label);
        this.base.labels.remove(entry.label);
      }
      this.desaByCode.delete(code);
    }
  }

  /** Stops reading desa and empties every area layer (the next session may see another region). */
  clear(): void {
    window.clearTimeout(this.desaTimer);
    this.desaAbort?.abort();
    this.desaAbort = null;
    this.desaBbox = null;
    for (const layer of [this.kabupatenFill, this.kabupatenOutline, this.kecamatanLayer, this.desaPolygons]) layer.clearLayers();
    this.kecamatanLabels.clearLayers();
    this.desaLabels.clearLayers();
    this.desaByCode.clear();
    this.desaNames.clear();
    this.kecamatanNames.clear();
    this.base.legend.setDesaHint(false);
  }
}
