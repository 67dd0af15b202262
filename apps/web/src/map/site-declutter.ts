/**
 * Keeps site markers apart on screen: after each zoom (not on every pan frame: a pan moves all
 * of them alike) the markers that would overlap are moved to free places near their true ones,
 * with a thin leader line and a dot at the true place, so that every site can be told apart and
 * clicked. Layout by `declutter`, in pixels of the whole world at the zoom (not of the view), so
 * a zoom always gives the same layout wherever the view is.
 */
import * as L from 'leaflet';
import { declutter } from './declutter';

export interface DeclutteredSite {
  marker: L.Marker;
  /** Where the site really is. */
  latlng: L.LatLng;
  /** Side of the marker's box on screen, in pixels. */
  size: number;
  priority: number;
  key: string;
}

export class SiteDeclutter {
  /** Leader lines and true-place dots: below the markers, never in the way of a click. */
  readonly leaders = L.layerGroup();

  constructor(
    private readonly map: L.Map,
    private readonly sites: () => DeclutteredSite[],
    private readonly pane: string,
  ) {
    map.on('zoomend', () => this.update());
  }

  update(): void {
    const map = this.map;
    const zoom = map.getZoom();
    const sites = this.sites();
    // Whole pixels in, so the layout of a zoom never depends on rounding of the view.
    const points = sites.map((site) => {
      const p = map.project(site.latlng, zoom).round();
      return { x: p.x, y: p.y, size: site.size, priority: site.priority, key: site.key };
    });
    const placed = declutter(points, { gap: 3 });
    this.leaders.clearLayers();
    sites.forEach((site, index) => {
      const at = placed[index];
      const latlng = at.displaced ? map.unproject([at.x, at.y], zoom) : site.latlng;
      if (!site.marker.getLatLng().equals(latlng, 0)) site.marker.setLatLng(latlng);
      if (!at.displaced) return;
      const options = { pane: this.pane, interactive: false, className: 'serat-site-leader' };
      this.leaders.addLayer(L.polyline([site.latlng, latlng], { ...options, weight: 1.25, opacity: 0.85, color: '#3b4654' }));
      this.leaders.addLayer(L.circleMarker(site.latlng, { ...options, radius: 2, weight: 0, fillOpacity: 0.9, fillColor: '#3b4654' }));
    });
  }
}
