/**
 * Serat web map: the page put together. Checks the session first: without one the sign-in screen
 * is shown, and the map data (which needs the session) is only asked for after signing in.
 *
 * - app/: the session (session.ts), the tools of each role (tools.ts), the notices about the
 *   state of things (status-notices.ts), offline use (offline-ready.ts, sw.ts);
 * - map/: Leaflet, imperative, in one place: the map and its panes (serat-map.ts), the areas
 *   (areas.ts), the network's layers (network-layers.ts) and what one session reads and changes
 *   (network-data.ts), whose figures the header follows as signals;
 * - features/: the panels and screens, Preact over signals stores;
 * - shared/: the API client, i18n, formats and UI parts.
 */
import 'leaflet/dist/leaflet.css';
import './app/styles.css';
import { effect, signal } from '@preact/signals';
import { OfflineReadiness } from './app/offline-ready';
import { Session } from './app/session';
import { StatusNotices } from './app/status-notices';
import { Tools } from './app/tools';
import { AreaLayers } from './map/areas';
import { MapActivity } from './map/map-activity';
import { NetworkData } from './map/network-data';
import { NetworkLayers } from './map/network-layers';
import { SeratMap } from './map/serat-map';
import { api, type Meta, type User } from './shared/api';
import { LiveFeed } from './shared/live-feed';
import { getLang, onLangChange, t } from './shared/i18n';
import { Notices } from './shared/ui';
import { Header } from './app/header';

document.documentElement.lang = getLang();
document.title = t('app.documentTitle');

/**
 * The map page, invisible until someone has signed in. Hidden with `visibility` rather than
 * `display: none`, so Leaflet always measures the real size of its box.
 */
const appRoot = document.querySelector<HTMLElement>('.serat-app')!;
function setAppVisible(visible: boolean): void {
  appRoot.classList.toggle('serat-app--signed-out', !visible);
  appRoot.inert = !visible;
}
setAppVisible(false);

const header = new Header(document.getElementById('serat-bar')!);
const notices = new Notices(document.getElementById('serat-notices')!);
/** `body[data-map-idle]`: nothing pending on the map (see map-activity.ts). */
const activity = new MapActivity();
const base = new SeratMap(document.getElementById('map')!, activity);

/** Who is signed in: the session sets it, the tools, notices and offline use follow it. */
const user = signal<User | null>(null);
// Built in the order they need each other; the callbacks below run only once the page is up,
// so they may name parts made after them (the popups' buttons come from the tools).

const areas: AreaLayers = new AreaLayers(base, {
  active: (): boolean => data.active,
  desaProblem: (error) => (status.desaError.value = error),
});
const layers = new NetworkLayers(base, areas, (content, subject, id) => tools.popupActions(content, subject, id));

/** /api/meta is public and the same for everyone: asked once (again only after a failure). */
let metaPromise: Promise<Meta> | null = null;
function fetchMeta(): Promise<Meta> {
  metaPromise ??= api.meta();
  metaPromise.then(
    (meta) => {
      header.update({ regionName: meta.region?.name ?? null, demo: meta.demo === true });
      session.loginScreen.setRegion(meta.region?.name ?? null);
      base.applyMeta(meta);
    },
    () => (metaPromise = null),
  );
  return metaPromise;
}

/** Everyone's committed changes, as they happen (GET /api/events). */
const feed = new LiveFeed();
effect(() => {
  document.body.dataset.feed = feed.state.value;
});
const data: NetworkData = new NetworkData(
  base,
  areas,
  layers,
  {
    meta: () => fetchMeta(),
    loaded: () => {
      tools.field.refreshed();
      void offline.ensureReady();
    },
    refreshed: () => tools.field.refreshed(),
    signedOut: () => {
      const current = user.value;
      if (current) session.showSignIn('expired', current.username);
    },
  },
  feed,
);
const status = new StatusNotices(notices, data, user);
const session = new Session({ user, header, notices, status, data, tools: () => tools, setAppVisible });
const tools: Tools = new Tools({ user, base, areas, layers, data, header, notices, main: document.querySelector<HTMLElement>('.serat-main')! });
const offline = new OfflineReadiness(user, data, areas, status);

// The header and the legend follow the network's figures.
effect(() => {
  const figures = data.figures.value;
  base.legend.setLengths(figures?.lengthsByStatus ?? new Map());
  header.update({ networkM: figures?.networkM ?? null, activeM: figures?.activeM ?? null });
});
effect(() => header.update({ sitesByKind: data.sitesByKind.value }));

onLangChange((lang) => {
  document.documentElement.lang = lang;
  document.title = t(user.value ? 'app.documentTitle' : 'login.documentTitle');
  header.render();
  base.languageChanged();
});

fetchMeta().catch(() => undefined);
void session.start();
