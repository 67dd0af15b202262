/**
 * The overview's small map of the kecamatan, each filled by its percent complete: Leaflet with no
 * tile layer (it works without internet tiles), only the polygons on a plain background, in SVG so
 * that every kecamatan is one element (a test hook too: `data-code`, `data-percent`).
 * It takes only [lon, lat] features, fills and texts: no store, no translations.
 */
import * as L from 'leaflet';
import type { AreaFeature } from '../../../../libs/contract/src';
import { toLatLng } from './geo';

/** How one kecamatan is drawn: its fill (a colour, or null for the hatch), its percent and the tooltip's text. */
export interface ChoroplethValue {
  fill: string | null;
  percent: number | null;
  label: string;
}

export interface ChoroplethOptions {
  /** A kecamatan was clicked (or tapped). */
  pick(code: string): void;
}

const OUTLINE = '#4f4738';
const SELECTED = '#12263a';
let hatchCount = 0;

export class ChoroplethMap {
  private readonly map: L.Map;
  private readonly renderer = L.svg({ padding: 0.2 });
  private readonly layer: L.GeoJSON<AreaFeature['properties']>;
  private readonly layers = new Map<string, L.Path>();
  private values = new Map<string, ChoroplethValue>();
  private selected: string | null = null;
  private readonly hatchId = `serat-choropleth-hatch-${++hatchCount}`;
  private readonly resizer: ResizeObserver;

  constructor(
    private readonly element: HTMLElement,
    private readonly options: ChoroplethOptions,
  ) {
    this.map = L.map(element, {
      renderer: this.renderer,
      attributionControl: false,
      zoomControl: true,
      // The map sits in a page that scrolls: the wheel and a finger scroll the page, not the map.
      scrollWheelZoom: false,
      dragging: !L.Browser.mobile,
      // The table beside it is the way in for the keyboard; the map is no tab stop of its own.
      keyboard: false,
      boxZoom: false,
      zoomSnap: 0.25,
    });
    this.map.setView([0, 0], 1);
    // The map is hidden from screen readers (the table says what it shows): its zoom buttons stay out of the tab order too.
    for (const button of element.querySelectorAll('.leaflet-control-zoom a')) button.setAttribute('tabindex', '-1');
    this.layer = L.geoJSON<AreaFeature['properties']>(undefined, {
      coordsToLatLng: toLatLng,
      style: (feature) => this.styleOf(feature?.properties.code ?? ''),
      onEachFeature: (feature, layer) => {
        const code = feature.properties.code;
        const path = layer as L.Path;
        this.layers.set(code, path);
        path.bindTooltip(() => this.tooltipOf(code), { sticky: true, direction: 'top', offset: [0, -8], className: 'serat-tooltip' });
        path.on('click', () => this.options.pick(code));
        path.on('mouseover', () => path.setStyle({ weight: code === this.selected ? 3 : 2.5 }));
        path.on('mouseout', () => path.setStyle(this.styleOf(code)));
        path.on('add', () => this.mark(code));
      },
    }).addTo(this.map);
    this.resizer = new ResizeObserver(() => {
      this.map.invalidateSize();
      this.fit();
    });
    this.resizer.observe(element);
  }

  /** The kecamatan boundaries (replacing any drawn). */
  setAreas(features: readonly AreaFeature[]): void {
    this.layer.clearLayers();
    this.layers.clear();
    for (const feature of features) this.layer.addData(feature);
    this.addHatch();
    this.fit();
  }

  /** Each kecamatan's fill, percent and tooltip, by code. */
  setValues(values: Map<string, ChoroplethValue>): void {
    this.values = values;
    for (const [code, path] of this.layers) {
      path.setStyle(this.styleOf(code));
      this.mark(code);
      if (path.isTooltipOpen()) path.setTooltipContent(this.tooltipOf(code));
    }
  }

  /** The kecamatan whose desa are open, outlined (null: none). */
  setSelected(code: string | null): void {
    const before = this.selected;
    this.selected = code;
    for (const changed of [before, code]) {
      const path = changed ? this.layers.get(changed) : undefined;
      if (!path) continue;
      path.setStyle(this.styleOf(changed!));
      if (changed === code) path.bringToFront();
    }
  }

  destroy(): void {
    this.resizer.disconnect();
    this.map.remove();
  }

  private fit(): void {
    const bounds = this.layer.getBounds();
    if (bounds.isValid() && this.element.clientWidth > 0 && this.element.clientHeight > 0) this.map.fitBounds(bounds, { padding: [6, 6] });
  }

  private styleOf(code: string): L.PathOptions {
    const value = this.values.get(code);
    const selected = code === this.selected;
    return {
      color: selected ? SELECTED : OUTLINE,
      weight: selected ? 3 : 1,
      opacity: selected ? 1 : 0.9,
      fillOpacity: 1,
      fillColor: value?.fill ?? `url(#${this.hatchId})`,
      className: 'serat-choropleth__area',
    };
  }

  private tooltipOf(code: string): HTMLElement {
    const span = document.createElement('span');
    span.textContent = this.values.get(code)?.label ?? '';
    return span;
  }

  /** The element's test and styling hooks, once it exists. */
  private mark(code: string): void {
    const element = this.layers.get(code)?.getElement();
    if (!element) return;
    const percent = this.values.get(code)?.percent;
    element.setAttribute('data-code', code);
    element.setAttribute('data-percent', percent === null || percent === undefined ? '' : String(percent));
    element.setAttribute('data-testid', `progress-choropleth-${code}`);
  }

  /** The hatch of "nothing in scope", defined once in the renderer's SVG. */
  private addHatch(): void {
    const svg = this.element.querySelector('svg');
    if (!svg || svg.querySelector(`#${this.hatchId}`)) return;
    const ns = 'http://www.w3.org/2000/svg';
    const defs = document.createElementNS(ns, 'defs');
    const pattern = document.createElementNS(ns, 'pattern');
    pattern.setAttribute('id', this.hatchId);
    pattern.setAttribute('patternUnits', 'userSpaceOnUse');
    pattern.setAttribute('width', '6');
    pattern.setAttribute('height', '6');
    pattern.setAttribute('patternTransform', 'rotate(45)');
    const ground = document.createElementNS(ns, 'rect');
    ground.setAttribute('width', '6');
    ground.setAttribute('height', '6');
    ground.setAttribute('fill', '#eceef1');
    const line = document.createElementNS(ns, 'line');
    line.setAttribute('x1', '0');
    line.setAttribute('y1', '0');
    line.setAttribute('x2', '0');
    line.setAttribute('y2', '6');
    line.setAttribute('stroke', '#a3abb5');
    line.setAttribute('stroke-width', '2');
    pattern.append(ground, line);
    defs.append(pattern);
    svg.prepend(defs);
  }
}
