/**
 * The page around the map: the header bar (name, region, demo badge, counts, language switch,
 * user menu) and the notice area (loading, API errors, monitoring paused). All text via textContent.
 */
import { formatKm, formatNumber } from './format';
import { getLang, LANGUAGES, setLang, t, type Lang, type MessageKey } from './i18n';

export interface HeaderState {
  regionName: string | null;
  demo: boolean;
  sitesConnected: number | null;
  sitesTotal: number | null;
  networkM: number | null;
  activeM: number | null;
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

export class Header {
  private state: HeaderState = {
    regionName: null,
    demo: false,
    sitesConnected: null,
    sitesTotal: null,
    networkM: null,
    activeM: null,
  };

  private userMenu: HTMLElement | null = null;
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
    const stat = (key: MessageKey, value: string, testId: string) => {
      const wrapper = el('div', 'serat-stat');
      wrapper.dataset.testid = testId;
      wrapper.append(el('dt', 'serat-stat__label', t(key)), el('dd', 'serat-stat__value', value));
      stats.append(wrapper);
    };
    const dash = t('popup.empty');
    stat(
      'stats.sites',
      s.sitesTotal === null
        ? dash
        : `${formatNumber(s.sitesConnected ?? 0)} / ${formatNumber(s.sitesTotal)}`,
      'stat-sites',
    );
    stat('stats.network', s.networkM === null ? dash : formatKm(s.networkM), 'stat-network');
    stat('stats.active', s.activeM === null ? dash : formatKm(s.activeM), 'stat-active');

    root.append(brand, stats, languageSwitch());
    // The user menu keeps its own element (and its open/closed state) across re-renders.
    if (this.userMenu) root.append(this.userMenu);
  }
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
      this.timers.set(id, window.setTimeout(() => this.items.get(id) === notice && this.hide(id), options.timeoutMs));
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
