/**
 * The page around the map: the sites counted per kind for the header (app/header.tsx) and the
 * notice area (loading, API errors, monitoring paused). All text via textContent.
 */
import { t } from './i18n';
import { SITE_KINDS, type SiteKind } from './vocabulary';

/** How many sites of one kind there are, and how many of them are connected. */
export interface SiteCount {
  kind: SiteKind;
  connected: number;
  total: number;
}

/** What the rollout is measured by: shown in the header even while there are none. */
export const ALWAYS_COUNTED: readonly SiteKind[] = ['sopd', 'kantor_kecamatan'];

/** The server's counts per kind, for every kind the web knows in the order of SITE_KINDS (one it does not know counts as other); SOPD and kantor kecamatan even when there are none. */
export function siteCountsOf(figures: ReadonlyArray<{ kind: string; total: number; connected: number }>): SiteCount[] {
  const counts = new Map<string, SiteCount>();
  for (const kind of SITE_KINDS) counts.set(kind, { kind, connected: 0, total: 0 });
  for (const figure of figures) {
    const count = counts.get(figure.kind) ?? counts.get('other')!;
    count.total += figure.total;
    count.connected += figure.connected;
  }
  return [...counts.values()].filter((count) => count.total > 0 || ALWAYS_COUNTED.includes(count.kind));
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
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
