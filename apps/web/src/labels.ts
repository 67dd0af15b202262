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

  constructor(private readonly map: L.Map) {
    map.on('zoomend moveend resize', () => this.schedule());
  }

  add(marker: L.Marker, bounds: L.LatLngBounds, priority: number): void {
    this.entries.add({ marker, latlng: marker.getLatLng(), bounds, priority });
    this.schedule();
  }

  remove(marker: L.Marker): void {
    for (const entry of this.entries) if (entry.marker === marker) this.entries.delete(entry);
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
    const placed: Array<[number, number, number, number]> = [];
    const hidden = new Set<HTMLElement>();
    for (const { entry, el, w, h } of visible) {
      const p = map.latLngToContainerPoint(entry.latlng);
      const box: [number, number, number, number] = [p.x - w / 2 - 6, p.y - h / 2 - 3, p.x + w / 2 + 6, p.y + h / 2 + 3];
      const nw = map.latLngToContainerPoint(entry.bounds.getNorthWest());
      const se = map.latLngToContainerPoint(entry.bounds.getSouthEast());
      const fits = se.x - nw.x > w * 0.7 && se.y - nw.y > h * 1.2;
      const onScreen = box[2] > 0 && box[0] < size.x && box[3] > 0 && box[1] < size.y;
      const collides = placed.some((o) => box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]);
      if (!fits || !onScreen || collides) hidden.add(el);
      else placed.push(box);
    }
    for (const { el } of visible) el.classList.toggle('serat-label--hidden', hidden.has(el));
  }
}
