/**
 * Area names on the map. Every label is placed, then the ones that would collide with a more
 * important label (larger area, higher level) or do not fit their polygon are hidden, so the
 * map never shows a pile of overlapping names.
 */
import * as L from 'leaflet';

interface LabelEntry {
  marker: L.Marker;
  latlng: L.LatLng;
  bounds: L.LatLngBounds;
  priority: number;
}

export class LabelCollider {
  private readonly entries = new Set<LabelEntry>();
  private frame = 0;
  /** Point symbols (sites, the NOC) that a label must not cover, with a radius in pixels. */
  private obstacles: () => Array<[L.LatLng, number]> = () => [];

  constructor(private readonly map: L.Map) {
    map.on('zoomend moveend resize', () => this.schedule());
  }

  add(marker: L.Marker, bounds: L.LatLngBounds, priority: number): void {
    this.entries.add({ marker, latlng: marker.getLatLng(), bounds, priority });
    this.schedule();
  }

  setObstacles(obstacles: () => Array<[L.LatLng, number]>): void {
    this.obstacles = obstacles;
    this.schedule();
  }

  remove(marker: L.Marker): void {
    for (const entry of this.entries) if (entry.marker === marker) this.entries.delete(entry);
  }

  /** Forgets every label (their markers are removed from the map by their owners). */
  clear(): void {
    this.entries.clear();
  }

  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
    });
  }

  private update(): void {
    const map = this.map;
    const size = map.getSize();
    const visible: Array<{ entry: LabelEntry; el: HTMLElement; w: number; h: number }> = [];
    // Read every size first, then write classes, to avoid forcing a layout per label.
    for (const entry of this.entries) {
      const el = entry.marker.getElement()?.firstElementChild as HTMLElement | null | undefined;
      if (!el || !map.hasLayer(entry.marker)) continue;
      visible.push({ entry, el, w: el.offsetWidth, h: el.offsetHeight });
    }
    visible.sort((a, b) => b.entry.priority - a.entry.priority);
    type Box = [number, number, number, number];
    const placed: Box[] = [];
    for (const [latlng, radius] of this.obstacles()) {
      const p = map.latLngToContainerPoint(latlng);
      placed.push([p.x - radius, p.y - radius, p.x + radius, p.y + radius]);
    }
    const overlaps = (box: Box) => placed.some((o) => box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]);
    const results: Array<{ el: HTMLElement; shift: number | null }> = [];
    for (const { entry, el, w, h } of visible) {
      const p = map.latLngToContainerPoint(entry.latlng);
      const nw = map.latLngToContainerPoint(entry.bounds.getNorthWest());
      const se = map.latLngToContainerPoint(entry.bounds.getSouthEast());
      const fits = se.x - nw.x > w * 0.7 && se.y - nw.y > h * 1.2;
      let shift: number | null = null;
      if (fits) {
        // Try the label where it belongs, then just above or below it (e.g. clear of a site).
        for (const dy of [0, -(h + 2), h + 2]) {
          const box: Box = [p.x - w / 2 - 6, p.y + dy - h / 2 - 3, p.x + w / 2 + 6, p.y + dy + h / 2 + 3];
          const onScreen = box[2] > 0 && box[0] < size.x && box[3] > 0 && box[1] < size.y;
          if (onScreen && !overlaps(box)) {
            placed.push(box);
            shift = dy;
            break;
          }
        }
      }
      results.push({ el, shift });
    }
    for (const { el, shift } of results) {
      el.classList.toggle('serat-label--hidden', shift === null);
      el.style.marginTop = shift ? `${shift}px` : '';
    }
  }
}
