/**
 * Site markers: the shape says what kind of place it is (square = SOPD, diamond = kantor
 * kecamatan, circle = anything else), the fill says whether it is connected (green) or not
 * (white with a grey ring). Drawn with CSS, so no image is needed.
 */
import * as L from 'leaflet';
import { safeToken } from './symbology';

export function siteShape(kind: string): 'square' | 'diamond' | 'circle' {
  if (kind === 'sopd') return 'square';
  if (kind === 'kantor_kecamatan') return 'diamond';
  return 'circle';
}

export function siteSymbol(kind: string, connected: boolean): HTMLElement {
  const symbol = document.createElement('span');
  symbol.className = ['serat-site', `serat-site--${siteShape(kind)}`, `serat-site--kind-${safeToken(kind)}`, connected ? 'serat-site--connected' : 'serat-site--unconnected'].join(
    ' ',
  );
  return symbol;
}

/** Side of a site marker's box in pixels: what it takes on screen and what a click hits. */
export function siteIconSize(kind: string): number {
  return kind === 'kantor_kecamatan' ? 22 : 18;
}

export function siteIcon(kind: string, connected: boolean): L.DivIcon {
  const size = siteIconSize(kind);
  return L.divIcon({
    className: 'serat-site-icon',
    html: siteSymbol(kind, connected),
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
    popupAnchor: [0, -size / 2],
  });
}

/** A name placed on the map. Not interactive: the polygon underneath keeps its clicks. */
export function labelMarker(latlng: L.LatLng, text: string, className: string, pane: string): L.Marker {
  const label = document.createElement('span');
  label.className = `serat-label ${className}`;
  label.textContent = text;
  return L.marker(latlng, {
    pane,
    interactive: false,
    keyboard: false,
    icon: L.divIcon({ className: 'serat-label-anchor', html: label, iconSize: [0, 0] }),
  });
}
