/**
 * The Leaflet map itself: its panes (the stacking of every layer), the controls that carry text,
 * the region and the view in the address, the base tiles and the data attribution. Layers are
 * added by the modules beside it (areas.ts, network-layers.ts); nothing here knows the network.
 * Created by the app at start-up, never on import.
 */
import * as L from 'leaflet';
import markerIconRetinaUrl from 'leaflet/dist/images/marker-icon-2x.png';
import markerIconUrl from 'leaflet/dist/images/marker-icon.png';
import markerShadowUrl from 'leaflet/dist/images/marker-shadow.png';
import type { Meta } from '../shared/api';
import { getLang, t, type MessageKey } from '../shared/i18n';
import { bboxToBounds } from './geo';
import { LabelCollider } from './labels';
import { LegendControl } from './legend';
import type { MapActivity } from './map-activity';
import { formatViewHash, parseViewHash } from './view-hash';

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

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Tile providers write attributions as HTML; keep only their text (DOMParser runs no script). */
function htmlToText(html: string): string {
  return new DOMParser().parseFromString(html, 'text/html').body.textContent?.trim() ?? '';
}

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

/** What the layer switch lists, in its order: a label key and the layer it turns on and off. */
export type Overlay = [MessageKey, L.Layer];

export class SeratMap {
  readonly map: L.Map;
  readonly legend = new LegendControl();
  readonly labels: LabelCollider;
  /** A base tile layer is configured: areas are drawn lighter over it. */
  withTiles = false;
  /** The popup open now (at most one), so that a change or a language switch can redraw it. */
  openPopup: L.Popup | null = null;
  private regionBounds: L.LatLngBounds | null = null;
  /** The region from /api/meta (public, the same for everyone): survives signing out. */
  private metaBounds: L.LatLngBounds | null = null;
  private controls: L.Control[] = [];
  private overlays: () => Overlay[] = () => [];
  private metaApplied = false;
  /** Where the data comes from, as the map's corner shows it now (in the reader's language). */
  private dataAttribution: { texts: Meta['attribution'] | string; shown: string | null } | null = null;

  constructor(
    readonly element: HTMLElement,
    readonly activity: MapActivity,
  ) {
    this.map = L.map(element, {
      zoomControl: false,
      minZoom: 5,
      maxZoom: 18,
      zoomSnap: 0.25,
      zoomDelta: 0.5,
      wheelPxPerZoomLevel: 90,
      // Tap tolerance for thumbs on small screens.
      tapTolerance: 20,
    });
    // Stacking, bottom to top: the kabupaten fill, kecamatan, desa, kabupaten outline, the field
    // panel's highlight, the invisible hit areas of segments and of nodes, segments (overlayPane,
    // 400), labels, nodes, the leader lines of sites moved apart, sites (markerPane, 600),
    // tooltips, popups. Each kind of area has its own pane: within one pane SVG paints in the
    // order the answers arrived, and a kabupaten read after the kecamatan would cover all of them.
    this.createPane('serat-kabupaten', 240, false);
    this.createPane('serat-areas', 250);
    this.createPane('serat-desa', 300);
    this.createPane('serat-boundary', 350, false);
    this.createPane('serat-highlight', 390, false);
    this.createPane('serat-segment-hits', 392);
    this.createPane('serat-node-hits', 395);
    this.createPane('serat-labels', 420, false);
    this.createPane('serat-nodes', 450);
    this.createPane('serat-site-leaders', 455, false);

    L.control.scale({ position: 'bottomleft', imperial: false, maxWidth: 140 }).addTo(this.map);
    this.map.attributionControl.setPrefix('<a href="https://leafletjs.com" target="_blank" rel="noopener">Leaflet</a>');
    this.legend.addTo(this.map);
    this.labels = new LabelCollider(this.map);

    this.map.on('popupopen', (event) => {
      this.openPopup = (event as L.PopupEvent).popup;
      this.labelCloseButton();
    });
    this.map.on('popupclose', () => (this.openPopup = null));
    // The map's box changes size when the layout around it does (the header filling in its
    // figures, a panel opening, a phone turned): Leaflet only notices window resizes, so it would
    // keep its centre at the old middle. Told here, it keeps the same place in the middle.
    new ResizeObserver(() => this.map.invalidateSize({ animate: false })).observe(element);
    this.map.on('movestart', () => activity.set('moving', true));
    this.map.on('moveend', () => activity.set('moving', false));
    this.map.on('zoomend', () => this.updateZoomClasses());
    this.map.on('moveend', () => {
      if (document.body.dataset.mapReady) this.writeHash();
    });
    // A link to a place followed in the same tab (or the address edited) moves the map there.
    // The app writes the address with replaceState, which fires no hashchange.
    window.addEventListener('hashchange', () => {
      const linked = parseViewHash(window.location.hash);
      if (linked && document.body.dataset.mapReady) this.map.setView([linked.lat, linked.lon], linked.zoom, { animate: false });
    });
  }

  private createPane(name: string, zIndex: number, interactive = true): void {
    const pane = this.map.createPane(name);
    pane.style.zIndex = String(zIndex);
    if (!interactive) pane.style.pointerEvents = 'none';
  }

  /** Opens the view the address names, else the region, else Kotim's centre. Says whether the address named one. */
  openView(): boolean {
    const linked = parseViewHash(window.location.hash);
    if (linked) this.map.setView([linked.lat, linked.lon], linked.zoom, { animate: false });
    else if (this.regionBounds) this.fitRegion(false);
    // Until the region is known, Kotim's centre is as good a start as any.
    else this.map.setView([-2.2, 112.7], 8);
    this.updateZoomClasses();
    return !!linked;
  }

  private writeHash(): void {
    const center = this.map.getCenter();
    window.history.replaceState(null, '', formatViewHash({ zoom: this.map.getZoom(), lat: center.lat, lon: center.lng }));
  }

  fitRegion(animate = true): void {
    if (this.regionBounds) this.map.fitBounds(this.regionBounds, { padding: [12, 12], animate });
  }

  /** The region's extent when /api/meta named none: from the kabupaten drawn. Says whether it was taken. */
  regionFromAreas(bounds: L.LatLngBounds): boolean {
    if (this.regionBounds || !bounds.isValid()) return false;
    this.regionBounds = bounds;
    return true;
  }

  /** Back to the region /api/meta names (the next session may be someone else's). */
  forgetRegion(): void {
    this.regionBounds = this.metaBounds;
  }

  /** The zoom, the fit button and the layer switch; built again whenever the language changes. */
  buildControls(overlays?: () => Overlay[]): void {
    if (overlays) this.overlays = overlays;
    for (const control of this.controls) control.remove();
    const named: Record<string, L.Layer> = {};
    for (const [key, layer] of this.overlays()) named[t(key)] = layer;
    this.controls = [
      L.control.zoom({ position: 'topright', zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') }),
      new FitControl(() => this.fitRegion()),
      L.control.layers(undefined, named, { position: 'topright', collapsed: true }),
    ];
    for (const control of this.controls) control.addTo(this.map);
    // Leaflet writes an English title on the layer switch button; say it in the reader's language.
    const toggle = this.controls[2].getContainer()?.querySelector<HTMLElement>('.leaflet-control-layers-toggle');
    if (toggle) {
      toggle.title = t('layers.title');
      toggle.setAttribute('aria-label', t('layers.title'));
    }
    this.element.setAttribute('aria-label', t('app.mapLabel'));
  }

  /** Zoom classes let the stylesheet thin out symbols: small site icons on the overview, poles and handholes only when zoomed in. */
  updateZoomClasses(): void {
    const zoom = this.map.getZoom();
    this.element.classList.toggle('serat-zoom-overview', zoom < 10);
    this.element.classList.toggle('serat-zoom-detail', zoom >= 12);
  }

  /** Leaflet labels the popup's close button in English; relabel it on open and on a switch. */
  private labelCloseButton(): void {
    const close = this.openPopup?.getElement()?.querySelector<HTMLElement>('.leaflet-popup-close-button');
    if (close) {
      close.title = t('popup.close');
      close.setAttribute('aria-label', t('popup.close'));
    }
  }

  /** The tiles, the data attribution and the region of /api/meta: applied once. */
  applyMeta(meta: Meta): void {
    if (this.metaApplied) return;
    this.metaApplied = true;
    if (meta.attribution) {
      this.dataAttribution = { texts: meta.attribution, shown: null };
      this.showDataAttribution();
    }
    if (meta.tileLayer?.url) {
      this.withTiles = true;
      this.element.classList.add('serat-has-tiles');
      this.map.setMaxZoom(meta.tileLayer.maxZoom || 18);
      L.tileLayer(meta.tileLayer.url, {
        maxZoom: meta.tileLayer.maxZoom || 18,
        attribution: escapeHtml(htmlToText(meta.tileLayer.attribution ?? '')),
      }).addTo(this.map);
    }
    const bbox = meta.region?.bbox;
    if (Array.isArray(bbox) && bbox.length === 4 && bbox.every(Number.isFinite)) {
      this.metaBounds = bboxToBounds(bbox);
      this.regionBounds = this.metaBounds;
    }
  }

  private showDataAttribution(): void {
    if (!this.dataAttribution) return;
    const { texts, shown } = this.dataAttribution;
    // A copy of /api/meta kept offline by an older version of the app has one text only.
    const text = escapeHtml(typeof texts === 'string' ? texts : (texts[getLang()] ?? texts.id));
    if (text === shown) return;
    if (shown) this.map.attributionControl.removeAttribution(shown);
    this.map.attributionControl.addAttribution(text);
    this.dataAttribution.shown = text;
  }

  /** Everything on the map that carries text, in the language just chosen. */
  languageChanged(): void {
    this.showDataAttribution();
    this.legend.render();
    this.buildControls();
    this.openPopup?.update();
    this.labelCloseButton();
  }
}
