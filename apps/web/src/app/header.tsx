/**
 * The header bar while signed in: the Serat mark, the region, the demo badge, the rollout figures
 * (sites connected per kind, km of network and km in service), the connection and the field
 * outbox, the language switch and the user's menu. A Preact component; `Header` is the page's
 * handle on it (the figures come from the map's signals, see main.ts).
 */
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { LanguageSwitch, Logo } from '../shared/components';
import { formatKm, formatNumber } from '../shared/format';
import { siteKindLabel, sitesStatLabel, t } from '../shared/i18n';
import { lang } from '../shared/translate';
import { ALWAYS_COUNTED, type SiteCount } from '../shared/ui';

export interface HeaderState {
  regionName: string | null;
  demo: boolean;
  /** Sites per kind, in the order of SITE_KINDS; null until the sites are read. */
  sitesByKind: SiteCount[] | null;
  networkM: number | null;
  activeM: number | null;
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

interface HeaderProps {
  state: HeaderState;
  connectivity: Connectivity | null;
  userMenu: HTMLElement;
}

function Stat({ label, value, testId, hint, kind }: { label: string; value: string; testId: string; hint?: string; kind?: string }) {
  return (
    <div class="serat-stat" data-testid={testId} title={hint} data-kind={kind}>
      <dt class="serat-stat__label">{label}</dt>
      <dd class="serat-stat__value">{value}</dd>
    </div>
  );
}

/** Online or offline, as a dot (and a word where there is room) in the bar's first row. */
function NetStatus({ online }: { online: boolean }) {
  return (
    <span
      class={`serat-net serat-net--${online ? 'online' : 'offline'}`}
      data-testid="net-status"
      data-online={String(online)}
      role="status"
      title={t(online ? 'net.onlineHint' : 'net.offlineHint')}
    >
      <span class="serat-net__dot" aria-hidden="true" />
      <span class="serat-net__label">{t(online ? 'net.online' : 'net.offline')}</span>
    </span>
  );
}

/**
 * A strip under the bar while it matters: offline, or changes waiting in the outbox. Its button
 * ("Menunggu sinkron (N)") opens the field panel's list.
 */
function NetStrip({ c }: { c: Connectivity }) {
  const queued = c.queued ?? 0;
  if (c.online && queued === 0) return null;
  const kind = !c.online ? 'offline' : c.needAttention ? 'attention' : 'queued';
  const label = t('outbox.title', { count: queued });
  return (
    <div class={`serat-net-strip serat-net-strip--${kind}`} data-testid="net-strip">
      <span class="serat-net-strip__text">
        {!c.online ? (
          // "Offline" always; the rest where the screen has room for it.
          <>
            {t('net.offline')}
            <span class="serat-net-strip__more">{t(c.queued === null ? 'net.offlineMore' : 'net.offlineMoreField')}</span>
          </>
        ) : c.needAttention ? (
          t('outbox.attention', { count: c.needAttention })
        ) : (
          t(c.syncing ? 'outbox.sending' : 'net.online')
        )}
      </span>
      {queued > 0 && (
        <button type="button" class="serat-net-strip__queue" data-testid="outbox-count" data-count={String(queued)} title={label} onClick={() => c.onOpenQueue?.()}>
          <span class={`serat-net-strip__sync${c.syncing ? ' serat-net-strip__sync--busy' : ''}`} aria-hidden="true">
            ⇅
          </span>
          <span>{label}</span>
          <span class="serat-net-strip__chevron" aria-hidden="true">
            ›
          </span>
        </button>
      )}
    </div>
  );
}

/** The user menu keeps its own element (and its open/closed state): placed here, never drawn anew. */
function Slot({ element }: { element: HTMLElement }) {
  const slot = useRef<HTMLDivElement>(null);
  useEffect(() => {
    slot.current?.append(element);
    return () => element.remove();
  }, [element]);
  // `display: contents`: laid out as if the menu were the bar's own child.
  return <div ref={slot} class="serat-bar__slot" style={{ display: 'contents' }} />;
}

export function HeaderBar({ state: s, connectivity, userMenu }: HeaderProps) {
  void lang.value;
  const dash = t('popup.empty');
  const counts = s.sitesByKind ?? ALWAYS_COUNTED.map((kind) => ({ kind, connected: null, total: null }));
  return (
    <>
      <div class="serat-bar__brand">
        <Logo />
        <div class="serat-bar__names">
          <div class="serat-bar__title-line">
            <h1 class="serat-bar__app">{t('app.name')}</h1>
            {s.demo && (
              <span class="serat-badge" title={t('app.demoHint')} data-testid="demo-badge">
                {t('app.demoBadge')}
              </span>
            )}
          </div>
          <div class="serat-bar__region">{s.regionName ?? t('app.tagline')}</div>
        </div>
      </div>
      <dl class="serat-bar__stats">
        {counts.map((count) => (
          <Stat
            key={count.kind}
            label={sitesStatLabel(count.kind)}
            value={count.total === null ? dash : `${formatNumber(count.connected ?? 0)} / ${formatNumber(count.total)}`}
            testId={`stat-sites-${count.kind}`}
            hint={t('stats.sitesHint', { kind: siteKindLabel(count.kind) })}
            kind={count.kind}
          />
        ))}
        <Stat label={t('stats.network')} value={s.networkM === null ? dash : formatKm(s.networkM)} testId="stat-network" />
        <Stat label={t('stats.active')} value={s.activeM === null ? dash : formatKm(s.activeM)} testId="stat-active" />
      </dl>
      {connectivity && <NetStatus online={connectivity.online} />}
      <LanguageSwitch />
      <Slot element={userMenu} />
      {connectivity && <NetStrip c={connectivity} />}
    </>
  );
}

export class Header {
  private state: HeaderState = { regionName: null, demo: false, sitesByKind: null, networkM: null, activeM: null };
  private connectivity: Connectivity | null = null;
  /** Drawn only while signed in: the sign-in screen has its own bar (and language switch). */
  private userMenu: HTMLElement | null = null;

  constructor(private readonly root: HTMLElement) {
    this.render();
  }

  /** Signed in: the bar with the user's menu at its end. Signed out (null): an empty bar. */
  setUserMenu(element: HTMLElement | null): void {
    this.userMenu = element;
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

  /** Draws the bar now (after a change, or a switch of language). */
  render(): void {
    render(this.userMenu ? <HeaderBar state={this.state} connectivity={this.connectivity} userMenu={this.userMenu} /> : null, this.root);
  }
}
