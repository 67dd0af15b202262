/**
 * Popup contents, built with DOM APIs (the history entries with the field panel's Preact part,
 * shared/history-event.tsx). Anything that came from the API is set with
 * textContent: user text never reaches innerHTML.
 */
import { fieldApi, type AreaCrossed, type NodeProperties, type SegmentProperties, type SiteProperties } from '../shared/api';
import { formatLength, formatNumber, formatRupiah } from '../shared/format';
import { renderHistoryEvents } from '../shared/history-event';
import { nodeKindLabel, ownerLabel, placementLabel, siteKindLabel, statusLabel, t, tierLabel } from '../shared/i18n';
import { geoUri, type Position } from './geo';
import type { SegmentDetailsState } from './segment-details';
import { siteConnectionColour, statusStyle } from './symbology';

/** The latest history entries a popup lists; the field panel has them all. */
const POPUP_HISTORY = 5;
/** The latest photos a popup links to. */
const POPUP_PHOTOS = 6;

/** What a popup may add to the feature's own facts. */
export interface PopupExtras {
  /** Where "navigate here" leads, on a device with a map app to open; none elsewhere. */
  navigate?: Position | null;
  /** A segment's areas, history and photos, read when the popup opens (wide screens). */
  details?: SegmentDetailsState | null;
}

/** Looks up names the popups need but the feature itself only carries as ids or codes. */
export interface PopupLookups {
  nodeCode(id: string | null): string | null;
  kecamatanName(code: string | null): string | null;
  desaName(code: string | null): string | null;
  /** The name of the site a node terminates. */
  siteName(nodeId: string | null): string | null;
}

type Row = [label: string, value: string | Node | null | undefined];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

function present(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? t('popup.empty') : value;
}

function chip(label: string, color: string, modifier = ''): HTMLElement {
  const wrapper = el('span', `serat-chip ${modifier}`.trim());
  const dot = el('span', 'serat-chip__dot');
  dot.style.backgroundColor = color;
  wrapper.append(dot, el('span', undefined, label));
  return wrapper;
}

function statusChip(status: string): HTMLElement {
  return chip(statusLabel(status), statusStyle(status).color);
}

function card(kindLabel: string, title: string, subtitle: string | null, rows: Row[]): HTMLElement {
  const root = el('div', 'serat-popup__body');
  root.append(el('div', 'serat-popup__kind', kindLabel));
  root.append(el('div', 'serat-popup__title', title));
  if (subtitle) root.append(el('div', 'serat-popup__subtitle', subtitle));
  const table = el('table', 'serat-popup__table');
  const body = el('tbody');
  for (const [label, value] of rows) {
    const tr = el('tr');
    tr.append(el('th', undefined, label));
    const td = el('td');
    if (value instanceof Node) td.append(value);
    else td.textContent = present(value);
    tr.append(td);
    body.append(tr);
  }
  table.append(body);
  root.append(table);
  return root;
}

function withExtras(root: HTMLElement, extras: PopupExtras): HTMLElement {
  if (extras.details) root.append(detailsSection(extras.details));
  if (extras.navigate) {
    const link = el('a', 'serat-button serat-button--secondary serat-popup__action serat-popup__navigate', t('popup.navigate'));
    link.href = geoUri(extras.navigate);
    link.dataset.testid = 'popup-navigate';
    root.append(link);
  }
  return root;
}

function areaNames(areas: AreaCrossed[], level: string): string | null {
  const names = areas
    .filter((area) => area.level === level)
    .map((area) => (area.lengthM === null || area.lengthM === undefined ? area.name : t('popup.areaLength', { name: area.name, length: formatLength(Number(area.lengthM)) })));
  return names.length ? names.join(', ') : null;
}

/** Areas crossed, the latest history and links to its photos: text and links, no images to load. */
function detailsSection(details: SegmentDetailsState): HTMLElement {
  const section = el('div', 'serat-popup__details');
  section.dataset.testid = 'popup-details';
  section.dataset.state = details.state;
  if (details.state !== 'ready') {
    section.append(el('div', 'serat-popup__hint', t(details.state === 'loading' ? 'popup.detailsLoading' : 'popup.detailsFailed')));
    return section;
  }
  const { areas, history } = details.value;
  const areasBox = el('div', 'serat-popup__areas');
  areasBox.dataset.testid = 'popup-areas';
  areasBox.append(el('div', 'serat-popup__heading', t('popup.areas')));
  const table = el('table', 'serat-popup__table');
  const body = el('tbody');
  for (const [label, level] of [
    [t('popup.kecamatan'), 'kecamatan'],
    [t('popup.desa'), 'desa'],
  ] as const) {
    const tr = el('tr');
    tr.append(el('th', undefined, label), el('td', undefined, present(areaNames(areas, level))));
    body.append(tr);
  }
  table.append(body);
  areasBox.append(table);
  section.append(areasBox);

  const historyBox = el('div', 'serat-popup__history');
  historyBox.dataset.testid = 'popup-history';
  historyBox.append(el('div', 'serat-popup__heading', t('popup.history')));
  if (!history.length) historyBox.append(el('div', 'serat-popup__hint', t('popup.historyEmpty')));
  else {
    const list = el('ol', 'serat-popup__events');
    renderHistoryEvents(list, history.slice(0, POPUP_HISTORY), 'popup');
    historyBox.append(list);
    if (history.length > POPUP_HISTORY) historyBox.append(el('div', 'serat-popup__hint', t('popup.historyMore', { count: formatNumber(history.length - POPUP_HISTORY) })));
  }
  section.append(historyBox);

  // Newest first, as the history is.
  const photoIds = history.flatMap((entry) => entry.photoIds ?? []);
  if (photoIds.length) {
    const photos = el('div', 'serat-popup__photos');
    photos.dataset.testid = 'popup-photos';
    photos.append(el('span', 'serat-popup__heading', t('popup.photos')));
    photoIds.slice(0, POPUP_PHOTOS).forEach((id, index) => {
      const link = el('a', 'serat-popup__photo', t('popup.photo', { number: formatNumber(index + 1) }));
      link.href = fieldApi.photoUrl(id);
      link.target = '_blank';
      link.rel = 'noopener';
      link.dataset.testid = 'popup-photo';
      photos.append(link);
    });
    if (photoIds.length > POPUP_PHOTOS) photos.append(el('span', 'serat-popup__hint', t('popup.photosMore', { count: formatNumber(photoIds.length - POPUP_PHOTOS) })));
    section.append(photos);
  }
  return section;
}

export function segmentPopup(p: SegmentProperties, lookups: PopupLookups, extras: PopupExtras = {}): HTMLElement {
  const from = lookups.nodeCode(p.fromNodeId) ?? p.fromNodeId;
  const to = lookups.nodeCode(p.toNodeId) ?? p.toNodeId;
  const cableParts = [p.cableType, p.coreCount ? t('popup.cores', { count: formatNumber(Number(p.coreCount)) }) : null].filter((part): part is string => !!part);
  const root = card(t('popup.segment'), present(p.code), null, [
    [t('popup.status'), statusChip(p.status)],
    [t('popup.length'), formatLength(p.lengthM)],
    [t('popup.tier'), p.tier ? tierLabel(p.tier) : null],
    [t('popup.placement'), p.placement ? placementLabel(p.placement) : null],
    [t('popup.cable'), cableParts.join(' · ')],
    [t('popup.route'), from || to ? `${present(from)} → ${present(to)}` : null],
    [t('popup.phase'), p.phaseName],
    [t('popup.version'), p.version === null || p.version === undefined ? null : String(p.version)],
  ]);
  return withExtras(root, extras);
}

export function nodePopup(p: NodeProperties, lookups: PopupLookups, extras: PopupExtras = {}): HTMLElement {
  const site = lookups.siteName(p.id === null || p.id === undefined ? null : String(p.id));
  const root = card(t('popup.node'), present(p.code), p.name && p.name !== p.code ? p.name : null, [
    [t('popup.kind'), nodeKindLabel(p.kind)],
    [t('popup.status'), statusChip(p.status)],
    [t('popup.owner'), p.owner ? ownerLabel(p.owner) : null],
    [t('popup.kecamatan'), lookups.kecamatanName(p.kecamatanCode) ?? p.kecamatanCode],
    [t('popup.desa'), lookups.desaName(p.desaCode) ?? p.desaCode],
    ...(site ? ([[t('popup.site'), site]] as Row[]) : []),
  ]);
  return withExtras(root, extras);
}

export function sitePopup(p: SiteProperties, extras: PopupExtras = {}): HTMLElement {
  const connection = p.connected
    ? chip(t('popup.connected'), siteConnectionColour(true), 'serat-chip--ok')
    : chip(t('popup.unconnected'), siteConnectionColour(false), 'serat-chip--muted');
  const cost = p.costIdrPerMonth === null || p.costIdrPerMonth === undefined ? null : t('popup.perMonth', { amount: formatRupiah(p.costIdrPerMonth) });
  const root = card(t('popup.site'), present(p.name), p.shortName && p.shortName !== p.name ? p.shortName : null, [
    [t('popup.connection'), connection],
    [t('popup.code'), p.code],
    [t('popup.kind'), siteKindLabel(p.kind)],
    [t('popup.phase'), p.phaseName],
    [t('popup.cost'), cost],
    [t('popup.kecamatan'), p.kecamatanName],
    [t('popup.desa'), p.desaName],
  ]);
  if (p.isDemo) root.append(el('div', 'serat-popup__note', t('popup.demo')));
  return withExtras(root, extras);
}
