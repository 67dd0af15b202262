/**
 * The page around the map: the header bar (name, region, demo badge, counts, language switch,
 * user menu) and the notice area (loading, API errors, monitoring paused). All text via textContent.
 */
import { formatKm, formatNumber } from './format';
import { getLang, LANGUAGES, setLang, siteKindLabel, sitesStatLabel, t, type Lang } from './i18n';
import { SITE_KINDS, type SiteKind } from './vocabulary';

export interface HeaderState {
  regionName: string | null;
  demo: boolean;
  /** Sites per kind, in the order of SITE_KINDS; null until the sites are read. */
  sitesByKind: SiteCount[] | null;
  networkM: number | null;
  activeM: number | null;
}

/** How many sites of one kind there are, and how many of them are connected. */
export interface SiteCount {
  kind: SiteKind;
  connected: number;
  total: number;
}

/** What the rollout is measured by: shown in the header even while there are none. */
const ALWAYS_COUNTED: readonly SiteKind[] = ['sopd', 'kantor_kecamatan'];

/** Every kind the sites include, in the order of SITE_KINDS (a kind the web does not know counts as other). */
export function countSitesByKind(sites: ReadonlyArray<{ kind: string; connected?: boolean | null }>): SiteCount[] {
  const counts = new Map<string, SiteCount>();
  for (const kind of SITE_KINDS) counts.set(kind, { kind, connected: 0, total: 0 });
  for (const site of sites) {
    const count = counts.get(site.kind) ?? counts.get('other')!;
    count.total += 1;
    if (site.connected === true) count.connected += 1;
  }
  return [...counts.values()].filter((count) => count.total > 0 || ALWAYS_COUNTED.includes(count.kind));
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Three strands converging: the Serat mark, drawn in SVG so it needs no asset. */
export function logo(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 32 32');
  svg.setAttribute('width', '28');
  svg.setAttribute('height', '28');
  svg.setAttribute('class', 'serat-bar__logo');
  svg.setAttribute('aria-hidden', 'true');
  const rect = document.createElementNS(SVG_NS, 'rect');
  rect.setAttribute('width', '32');
  rect.setAttribute('height', '32');
  rect.setAttribute('rx', '8');
  rect.setAttribute('fill', '#1f9d55');
  svg.append(rect);
  for (const [d, stroke] of [
    ['M5 9 C13 9, 15 16, 27 16', '#ffffff'],
    ['M5 16 L27 16', '#c9f2d9'],
    ['M5 23 C13 23, 15 16, 27 16', '#ffffff'],
  ]) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', stroke);
    path.setAttribute('stroke-width', '2.4');
    path.setAttribute('stroke-linecap', 'round');
    svg.append(path);
  }
  const dot = document.createElementNS(SVG_NS, 'circle');
  dot.setAttribute('cx', '26');
  dot.setAttribute('cy', '16');
  dot.setAttribute('r', '3');
  dot.setAttribute('fill', '#ffffff');
  svg.append(dot);
  return svg;
}

/** The ID | EN switch, used in the header and on the sign-in screen. */
export function languageSwitch(): HTMLElement {
  const switcher = el('div', 'serat-lang');
  switcher.setAttribute('role', 'group');
  switcher.setAttribute('aria-label', t('lang.label'));
  LANGUAGES.forEach((lang: Lang, index) => {
    if (index > 0) switcher.append(el('span', 'serat-lang__sep', '|'));
    const button = el('button', 'serat-lang__button', t(lang === 'id' ? 'lang.id' : 'lang.en'));
    button.type = 'button';
    button.lang = lang;
    button.title = t(lang === 'id' ? 'lang.idName' : 'lang.enName');
    button.dataset.testid = `lang-${lang}`;
    button.setAttribute('aria-pressed', String(getLang() === lang));
    button.addEventListener('click', () => setLang(lang));
    switcher.append(button);
  });
  return switcher;
}

/** The connection and the field outbox, shown in the header while signed in. */
export interface Connectivity {
  online: boolean;
  /** Changes waiting in the outbox; null for roles without one. */
  queued: number | null;
  /** Of those, how many need the technician (a conflict or a refusal). */
  needAttention: number;
  syncing: boolean;
  onOpenQueue: (() => void) | null;
}

export class Header {
  private state: HeaderState = {
    regionName: null,
    demo: false,
    sitesByKind: null,
    networkM: null,
    activeM: null,
  };

  private userMenu: HTMLElement | null = null;
  private connectivity: Connectivity | null = null;
  /** Drawn only while signed in: the sign-in screen has its own bar (and language switch). */
  private active = false;

  constructor(private readonly root: HTMLElement) {
    this.render();
  }

  /** Signed in: the bar with the user's menu at its end. Signed out (null): an empty bar. */
  setUserMenu(element: HTMLElement | null): void {
    this.userMenu = element;
    this.active = element !== null;
    this.render();
  }

  setConnectivity(connectivity: Connectivity | null): void {
    this.connectivity = connectivity;
    this.render();
  }

  update(patch: Partial<HeaderState>): void {
    this.state = { ...this.state, ...patch };
    this.render();
  }

  render(): void {
    const s = this.state;
    const root = this.root;
    root.replaceChildren();
    if (!this.active) return;

    const brand = el('div', 'serat-bar__brand');
    const names = el('div', 'serat-bar__names');
    const titleLine = el('div', 'serat-bar__title-line');
    titleLine.append(el('h1', 'serat-bar__app', t('app.name')));
    if (s.demo) {
      const badge = el('span', 'serat-badge', t('app.demoBadge'));
      badge.title = t('app.demoHint');
      badge.dataset.testid = 'demo-badge';
      titleLine.append(badge);
    }
    names.append(titleLine);
    names.append(el('div', 'serat-bar__region', s.regionName ?? t('app.tagline')));
    brand.append(logo(), names);

    const stats = el('dl', 'serat-bar__stats');
    const stat = (label: string, value: string, testId: string) => {
      const wrapper = el('div', 'serat-stat');
      wrapper.dataset.testid = testId;
      wrapper.append(el('dt', 'serat-stat__label', label), el('dd', 'serat-stat__value', value));
      stats.append(wrapper);
      return wrapper;
    };
    const dash = t('popup.empty');
    for (const count of s.sitesByKind ?? ALWAYS_COUNTED.map((kind) => ({ kind, connected: null, total: null }))) {
      const value = count.total === null ? dash : `${formatNumber(count.connected ?? 0)} / ${formatNumber(count.total)}`;
      const wrapper = stat(sitesStatLabel(count.kind), value, `stat-sites-${count.kind}`);
      wrapper.title = t('stats.sitesHint', { kind: siteKindLabel(count.kind) });
      wrapper.dataset.kind = count.kind;
    }
    stat(t('stats.network'), s.networkM === null ? dash : formatKm(s.networkM), 'stat-network');
    stat(t('stats.active'), s.activeM === null ? dash : formatKm(s.activeM), 'stat-active');

    root.append(brand, stats);
    if (this.connectivity) root.append(connectivityStatus(this.connectivity));
    root.append(languageSwitch());
    // The user menu keeps its own element (and its open/closed state) across re-renders.
    if (this.userMenu) root.append(this.userMenu);
    const strip = this.connectivity ? connectivityStrip(this.connectivity) : null;
    if (strip) root.append(strip);
  }
}

/** Online or offline, as a dot (and a word where there is room) in the bar's first row. */
function connectivityStatus(c: Connectivity): HTMLElement {
  const status = el('span', `serat-net serat-net--${c.online ? 'online' : 'offline'}`);
  status.dataset.testid = 'net-status';
  status.dataset.online = String(c.online);
  status.setAttribute('role', 'status');
  status.title = t(c.online ? 'net.onlineHint' : 'net.offlineHint');
  const dot = el('span', 'serat-net__dot');
  dot.setAttribute('aria-hidden', 'true');
  status.append(dot, el('span', 'serat-net__label', t(c.online ? 'net.online' : 'net.offline')));
  return status;
}

/**
 * A strip under the bar while it matters: offline, or changes waiting in the outbox. Its button
 * ("Menunggu sinkron (N)") opens the field panel's list.
 */
function connectivityStrip(c: Connectivity): HTMLElement | null {
  const queued = c.queued ?? 0;
  if (c.online && queued === 0) return null;
  const kind = !c.online ? 'offline' : c.needAttention ? 'attention' : 'queued';
  const strip = el('div', `serat-net-strip serat-net-strip--${kind}`);
  strip.dataset.testid = 'net-strip';
  const text = el('span', 'serat-net-strip__text');
  if (!c.online) {
    // "Offline" always; the rest where the screen has room for it.
    text.append(t('net.offline'), el('span', 'serat-net-strip__more', t(c.queued === null ? 'net.offlineMore' : 'net.offlineMoreField')));
  } else if (c.needAttention) text.textContent = t('outbox.attention', { count: c.needAttention });
  else text.textContent = t(c.syncing ? 'outbox.sending' : 'net.online');
  strip.append(text);
  if (queued > 0) {
    const label = t('outbox.title', { count: queued });
    const queue = el('button', 'serat-net-strip__queue');
    queue.type = 'button';
    queue.dataset.testid = 'outbox-count';
    queue.dataset.count = String(queued);
    queue.title = label;
    const arrows = el('span', `serat-net-strip__sync${c.syncing ? ' serat-net-strip__sync--busy' : ''}`, '⇅');
    arrows.setAttribute('aria-hidden', 'true');
    const chevron = el('span', 'serat-net-strip__chevron', '›');
    chevron.setAttribute('aria-hidden', 'true');
    queue.append(arrows, el('span', undefined, label), chevron);
    if (c.onOpenQueue) queue.addEventListener('click', c.onOpenQueue);
    strip.append(queue);
  }
  return strip;
}

export type NoticeKind = 'error' | 'warning' | 'info' | 'success';

/** The notice stack over the top of the map. Each notice is identified so it can be replaced. */
export class Notices {
  private readonly items = new Map<string, HTMLElement>();
  private readonly timers = new Map<string, number>();

  constructor(private readonly root: HTMLElement) {}

  show(
    id: string,
    kind: NoticeKind,
    title: string,
    options: {
      detail?: string;
      action?: { label: string; onClick: () => void };
      dismissible?: boolean;
      /** Hides the notice again after this long. */
      timeoutMs?: number;
    } = {},
  ): void {
    const notice = el('div', `serat-notice serat-notice--${kind}`);
    notice.dataset.testid = `notice-${id}`;
    notice.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    const text = el('div', 'serat-notice__text');
    text.append(el('strong', 'serat-notice__title', title));
    if (options.detail) text.append(el('span', 'serat-notice__detail', options.detail));
    notice.append(el('span', 'serat-notice__icon'), text);
    if (options.action) {
      const button = el('button', 'serat-notice__action', options.action.label);
      button.type = 'button';
      button.addEventListener('click', options.action.onClick);
      notice.append(button);
    }
    if (options.dismissible) {
      const close = el('button', 'serat-notice__close', '×');
      close.type = 'button';
      close.title = t('error.dismiss');
      close.setAttribute('aria-label', t('error.dismiss'));
      close.addEventListener('click', () => this.hide(id));
      notice.append(close);
    }
    const existing = this.items.get(id);
    if (existing) existing.replaceWith(notice);
    else this.root.append(notice);
    this.items.set(id, notice);
    window.clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    if (options.timeoutMs) {
      this.timers.set(
        id,
        window.setTimeout(() => this.items.get(id) === notice && this.hide(id), options.timeoutMs),
      );
    }
  }

  hide(id: string): void {
    this.items.get(id)?.remove();
    this.items.delete(id);
    window.clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  clear(): void {
    for (const id of [...this.items.keys()]) this.hide(id);
  }
}
