/**
 * Popup contents, built with DOM APIs. Anything that came from the API is set with
 * textContent: user text never reaches innerHTML.
 */
import type { NodeProperties, SegmentProperties, SiteProperties } from '../shared/api';
import { formatLength, formatNumber, formatRupiah } from '../shared/format';
import { nodeKindLabel, ownerLabel, placementLabel, siteKindLabel, statusLabel, t, tierLabel } from '../shared/i18n';
import { siteConnectionColour, statusStyle } from './symbology';

/** Looks up names the popups need but the feature itself only carries as ids or codes. */
export interface PopupLookups {
  nodeCode(id: string | null): string | null;
  kecamatanName(code: string | null): string | null;
  desaName(code: string | null): string | null;
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

export function segmentPopup(p: SegmentProperties, lookups: PopupLookups): HTMLElement {
  const from = lookups.nodeCode(p.fromNodeId) ?? p.fromNodeId;
  const to = lookups.nodeCode(p.toNodeId) ?? p.toNodeId;
  const cableParts = [p.cableType, p.coreCount ? t('popup.cores', { count: formatNumber(Number(p.coreCount)) }) : null].filter((part): part is string => !!part);
  return card(t('popup.segment'), present(p.code), null, [
    [t('popup.status'), statusChip(p.status)],
    [t('popup.length'), formatLength(p.lengthM)],
    [t('popup.tier'), p.tier ? tierLabel(p.tier) : null],
    [t('popup.placement'), p.placement ? placementLabel(p.placement) : null],
    [t('popup.cable'), cableParts.join(' · ')],
    [t('popup.route'), from || to ? `${present(from)} → ${present(to)}` : null],
    [t('popup.phase'), p.phaseName],
    [t('popup.version'), p.version === null || p.version === undefined ? null : String(p.version)],
  ]);
}

export function nodePopup(p: NodeProperties, lookups: PopupLookups): HTMLElement {
  return card(t('popup.node'), present(p.code), p.name && p.name !== p.code ? p.name : null, [
    [t('popup.kind'), nodeKindLabel(p.kind)],
    [t('popup.status'), statusChip(p.status)],
    [t('popup.owner'), p.owner ? ownerLabel(p.owner) : null],
    [t('popup.kecamatan'), lookups.kecamatanName(p.kecamatanCode) ?? p.kecamatanCode],
    [t('popup.desa'), lookups.desaName(p.desaCode) ?? p.desaCode],
  ]);
}

export function sitePopup(p: SiteProperties): HTMLElement {
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
  return root;
}
