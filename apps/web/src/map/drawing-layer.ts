/**
 * The planner's drawing tools on the map (features/planner/drawing/drawing-tool.ts keeps what they
 * have done as signals): the map's clicks, double clicks and cursor while a tool is on, the
 * preview of the line drawn or the node moved, and which node a click picks. Positions in and
 * out are [lon, lat]; Leaflet's [lat, lng] stays in this module.
 */
import * as L from 'leaflet';
import { toLatLng } from './geo';

export type LonLat = [number, number];

/** What a tool hears from the map while it listens. */
export interface DrawingListener {
  /** A click on the map (also on a segment or node: while a tool is on, it is a position, not a popup). */
  click(at: LonLat): void;
  /** A double click: the line is done. */
  doubleClick?(): void;
  /** The cursor moved over the map. */
  cursor?(at: LonLat): void;
}

const ORANGE = '#d9480f';
const fromLatLng = (latlng: L.LatLng): LonLat => [latlng.lng, latlng.lat];

/** Clicks on this element (a tool's bar over the map) stay its own: not a point of the line. */
export function keepClicksOff(element: HTMLElement): void {
  L.DomEvent.disableClickPropagation(element);
}

export class DrawingLayer {
  private readonly preview = L.layerGroup();
  private listener: DrawingListener | null = null;

  constructor(private readonly map: L.Map) {}

  private readonly onClick = (event: L.LeafletMouseEvent) => this.listener?.click(fromLatLng(event.latlng));
  private readonly onDoubleClick = (event: L.LeafletMouseEvent) => {
    L.DomEvent.stop(event.originalEvent);
    this.listener?.doubleClick?.();
  };
  private readonly onMove = (event: L.LeafletMouseEvent) => this.listener?.cursor?.(fromLatLng(event.latlng));
  /** While a tool is on, a click on a segment or node would open its popup: it is closed at once. */
  private readonly onPopupOpen = () => window.setTimeout(() => this.map.closePopup(), 0);

  /** The map's clicks (and, for a line, double clicks and the cursor) go to the tool until stop(). */
  listen(listener: DrawingListener): void {
    this.stop();
    this.listener = listener;
    const { map } = this;
    if (listener.doubleClick) {
      map.doubleClickZoom.disable();
      map.on('dblclick', this.onDoubleClick);
    }
    if (listener.cursor) map.on('mousemove', this.onMove);
    map.on('preclick', this.onClick);
    map.on('popupopen', this.onPopupOpen);
    map.getContainer().classList.add('serat-map--drawing');
    this.preview.addTo(map);
  }

  /** The map is the map again (the preview stays until hide()). */
  stop(): void {
    const listener = this.listener;
    if (!listener) return;
    this.listener = null;
    const { map } = this;
    map.off('preclick', this.onClick);
    map.off('popupopen', this.onPopupOpen);
    map.off('dblclick', this.onDoubleClick);
    map.off('mousemove', this.onMove);
    map.getContainer().classList.remove('serat-map--drawing');
    // Leaflet would zoom on the double click that finished the line; turn it back on afterwards.
    if (listener.doubleClick) window.setTimeout(() => map.doubleClickZoom.enable(), 400);
  }

  /** Nothing drawn yet (the preview stays on the map, empty). */
  clear(): void {
    this.preview.clearLayers();
  }

  /** The line so far (its points marked), to the cursor when there is one. */
  showLine(points: LonLat[], cursor: LonLat | null): void {
    this.clear();
    const line = cursor ? [...points, cursor] : points;
    if (line.length >= 2) {
      L.polyline(line.map(toLatLng), { color: ORANGE, weight: 4, dashArray: '8 8', interactive: false, className: 'serat-draw-preview' }).addTo(this.preview);
    }
    for (const point of points) {
      L.circleMarker(toLatLng(point), { radius: 5, color: '#ffffff', weight: 2, fillColor: ORANGE, fillOpacity: 1, interactive: false }).addTo(this.preview);
    }
  }

  /** The node picked, ringed, and where it goes. */
  showMove(from: LonLat, to: LonLat | null): void {
    this.clear();
    const start = toLatLng(from);
    L.circleMarker(start, { radius: 12, color: ORANGE, weight: 3, fill: false, interactive: false }).addTo(this.preview);
    if (!to) return;
    const end = toLatLng(to);
    L.polyline([start, end], { color: ORANGE, weight: 2, dashArray: '6 6', interactive: false }).addTo(this.preview);
    L.circleMarker(end, { radius: 7, color: '#ffffff', weight: 2, fillColor: ORANGE, fillOpacity: 1, interactive: false, className: 'serat-move-preview' }).addTo(this.preview);
  }

  /** No preview on the map. */
  hide(): void {
    this.clear();
    this.preview.remove();
  }

  /** Pixels between two positions on the map as it is drawn now. */
  pixelsBetween(a: LonLat, b: LonLat): number {
    return this.map.latLngToContainerPoint(toLatLng(a)).distanceTo(this.map.latLngToContainerPoint(toLatLng(b)));
  }

  /** The item nearest to `at` on screen within `maxPx` pixels, or null. */
  nearest<T extends { lon: number; lat: number }>(items: Iterable<T>, at: LonLat, maxPx: number): T | null {
    let best: { item: T; px: number } | null = null;
    for (const item of items) {
      const px = this.pixelsBetween([item.lon, item.lat], at);
      if (px <= maxPx && (!best || px < best.px)) best = { item, px };
    }
    return best?.item ?? null;
  }
}
