/**
 * The legend: one row per status with its swatch, translated name and the km of loaded
 * segments in that status; below it the point symbols.
 */
import * as L from 'leaflet';
import { formatKm } from '../shared/format';
import { statusLabel, t } from '../shared/i18n';
import { siteSymbol } from './markers';
import { statusStyle } from './symbology';
import { NETWORK_STATUSES } from '../shared/vocabulary';

const SVG_NS = 'http://www.w3.org/2000/svg';

function lineSwatch(status: string): SVGSVGElement {
  const style = statusStyle(status);
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'serat-legend__swatch');
  svg.setAttribute('viewBox', '0 0 32 12');
  svg.setAttribute('width', '32');
  svg.setAttribute('height', '12');
  svg.setAttribute('aria-hidden', 'true');
  const weight = Math.max(1.5, 4 * style.weightFactor);
  const casing = document.createElementNS(SVG_NS, 'line');
  const line = document.createElementNS(SVG_NS, 'line');
  for (const [element, stroke, width] of [
    [casing, '#ffffff', weight + 3],
    [line, style.color, weight],
  ] as const) {
    element.setAttribute('x1', '3');
    element.setAttribute('y1', '6');
    element.setAttribute('x2', '29');
    element.setAttribute('y2', '6');
    element.setAttribute('stroke', stroke);
    element.setAttribute('stroke-width', String(width));
    element.setAttribute('stroke-linecap', style.dashArray ? 'butt' : 'round');
    svg.append(element);
  }
  if (style.dashArray) line.setAttribute('stroke-dasharray', style.dashArray);
  return svg;
}

function nodeSwatch(noc: boolean): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'serat-legend__swatch');
  svg.setAttribute('viewBox', '0 0 32 20');
  svg.setAttribute('width', '32');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  const circle = document.createElementNS(SVG_NS, 'circle');
  circle.setAttribute('cx', '16');
  circle.setAttribute('cy', '10');
  circle.setAttribute('r', noc ? '7' : '4.5');
  circle.setAttribute('fill', noc ? '#ffffff' : statusStyle('active').color);
  circle.setAttribute('stroke', noc ? '#0b2545' : '#ffffff');
  circle.setAttribute('stroke-width', noc ? '3' : '1.5');
  svg.append(circle);
  return svg;
}

function symbolSwatch(kind: string, connected: boolean): HTMLElement {
  const box = document.createElement('span');
  box.className = 'serat-legend__symbol';
  box.setAttribute('aria-hidden', 'true');
  box.append(siteSymbol(kind, connected));
  return box;
}

const COLLAPSED_KEY = 'serat.legendCollapsed';

function readCollapsed(): boolean {
  try {
    const stored = window.localStorage.getItem(COLLAPSED_KEY);
    if (stored !== null) return stored === 'true';
  } catch {
    // No storage: fall through to the default.
  }
  // On a phone the map comes first: the legend starts folded to its title bar.
  return window.matchMedia('(max-width: 600px)').matches;
}

function writeCollapsed(collapsed: boolean): void {
  try {
    window.localStorage.setItem(COLLAPSED_KEY, String(collapsed));
  } catch {
    // Not remembered; harmless.
  }
}

export class LegendControl extends L.Control {
  private container!: HTMLElement;
  private kmByStatus = new Map<string, number>();
  private collapsed: boolean;
  private showDesaHint = false;

  constructor() {
    super({ position: 'bottomright' });
    // Open on desktops, folded on phones; the reader's own choice is remembered.
    this.collapsed = readCollapsed();
  }

  onAdd(): HTMLElement {
    this.container = L.DomUtil.create('section', 'serat-legend');
    this.container.dataset.testid = 'legend';
    L.DomEvent.disableClickPropagation(this.container);
    L.DomEvent.disableScrollPropagation(this.container);
    this.render();
    return this.container;
  }

  setLengths(kmByStatus: Map<string, number>): void {
    this.kmByStatus = kmByStatus;
    this.render();
  }

  setDesaHint(show: boolean): void {
    if (show === this.showDesaHint) return;
    this.showDesaHint = show;
    this.render();
  }

  render(): void {
    if (!this.container) return;
    const c = this.container;
    c.replaceChildren();
    c.classList.toggle('serat-legend--collapsed', this.collapsed);
    c.setAttribute('aria-label', t('legend.toggle'));

    const header = document.createElement('button');
    header.type = 'button';
    header.className = 'serat-legend__header';
    header.setAttribute('aria-expanded', String(!this.collapsed));
    header.title = this.collapsed ? t('legend.expand') : t('legend.collapse');
    const title = document.createElement('span');
    title.className = 'serat-legend__title';
    title.textContent = t('legend.title');
    const chevron = document.createElement('span');
    chevron.className = 'serat-legend__chevron';
    chevron.setAttribute('aria-hidden', 'true');
    header.append(title, chevron);
    header.addEventListener('click', () => {
      this.collapsed = !this.collapsed;
      writeCollapsed(this.collapsed);
      this.render();
    });
    c.append(header);

    const body = document.createElement('div');
    body.className = 'serat-legend__body';

    const list = document.createElement('ul');
    list.className = 'serat-legend__rows';
    let total = 0;
    for (const status of NETWORK_STATUSES) {
      const lengthM = this.kmByStatus.get(status) ?? 0;
      total += lengthM;
      const row = document.createElement('li');
      row.className = 'serat-legend__row';
      row.dataset.testid = `legend-${status}`;
      row.dataset.status = status;
      if (lengthM === 0) row.classList.add('serat-legend__row--empty');
      const name = document.createElement('span');
      name.className = 'serat-legend__name';
      name.textContent = statusLabel(status);
      const km = document.createElement('span');
      km.className = 'serat-legend__km';
      km.textContent = formatKm(lengthM);
      row.append(lineSwatch(status), name, km);
      list.append(row);
    }
    const totalRow = document.createElement('li');
    totalRow.className = 'serat-legend__row serat-legend__row--total';
    const totalName = document.createElement('span');
    totalName.className = 'serat-legend__name';
    totalName.textContent = t('legend.total');
    const totalKm = document.createElement('span');
    totalKm.className = 'serat-legend__km';
    totalKm.textContent = formatKm(total);
    const spacer = document.createElement('span');
    spacer.className = 'serat-legend__swatch-spacer';
    totalRow.append(spacer, totalName, totalKm);
    list.append(totalRow);
    body.append(list);

    const symbolsTitle = document.createElement('div');
    symbolsTitle.className = 'serat-legend__subtitle';
    symbolsTitle.textContent = t('legend.symbols');
    body.append(symbolsTitle);

    const symbols = document.createElement('ul');
    symbols.className = 'serat-legend__symbols';
    const entries: Array<[Element, string]> = [
      [symbolSwatch('sopd', true), t('legend.sopd')],
      [symbolSwatch('kantor_kecamatan', true), t('legend.kantorKecamatan')],
      [symbolSwatch('sopd', true), t('legend.connected')],
      [symbolSwatch('sopd', false), t('legend.unconnected')],
      [nodeSwatch(true), t('legend.noc')],
      [nodeSwatch(false), t('legend.node')],
    ];
    entries[0][0].classList.add('serat-legend__symbol--neutral');
    entries[1][0].classList.add('serat-legend__symbol--neutral');
    for (const [swatch, label] of entries) {
      const item = document.createElement('li');
      const text = document.createElement('span');
      text.textContent = label;
      item.append(swatch, text);
      symbols.append(item);
    }
    body.append(symbols);

    if (this.showDesaHint) {
      const hint = document.createElement('p');
      hint.className = 'serat-legend__hint';
      hint.textContent = t('legend.desaHint');
      body.append(hint);
    }

    c.append(body);
  }
}
