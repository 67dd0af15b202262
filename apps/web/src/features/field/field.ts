/**
 * "Lapangan": the field technician's panel, made for one thumb on a phone. Find a segment or node
 * by code or "near me", open it (status, length, areas, history with photos) and change its
 * status with a note, photos from the camera, the GPS position and an OTDR reading. Changes go to
 * the outbox (outbox.ts) first, so all of this works without a connection.
 *
 * Everything from the server or the technician goes into the page as text (textContent).
 */
import type { LineString, Point } from 'geojson';
import { ApiError, fieldApi, type HistoryEntry, type NodeFeature, type SegmentDetail, type SegmentFeature, type Subject } from '../../shared/api';
import { jpegName, shrinkPhoto, type FieldPhoto } from './field-photos';
import { formatBytes, formatDateTimeWib, formatDistance, formatLength, formatNumber } from '../../shared/format';
import { distanceM, distanceToLineM, geoUri, navigationTarget, type Position } from '../../map/geo';
import { historyByline, historyNote } from '../../shared/history';
import { getLang, nodeKindLabel, onLangChange, placementLabel, statusLabel, t, tierLabel, type Lang, type MessageKey } from '../../shared/i18n';
import type { Outbox, OutboxDraft, OutboxItem } from './outbox';
import type { ShrinkOutcome } from './photo-shrink';
import { statusStyle } from '../../map/symbology';
import { el } from '../../shared/ui';
import { judgeMove, NETWORK_STATUSES, type NetworkStatus } from '../../shared/vocabulary';

const STAGES: readonly string[] = ['planned', 'surveyed', 'in_construction', 'installed', 'spliced', 'tested', 'active'];
/** The server's limit for one photo (POST /api/photos), checked on the photo as it will be sent. */
const PHOTO_MAX_BYTES = 15 * 1024 * 1024;
/** Larger files are refused at once: reading one to shrink it would strain a phone's memory. */
const PHOTO_INPUT_MAX_BYTES = 4 * PHOTO_MAX_BYTES;
const MAX_PHOTOS = 10;
const SEARCH_LIMIT = 30;
const NEAR_LIMIT = 12;
/** The api's default evidence rules (SERAT_EVIDENCE_RULES); the server has the last word. */
const EXPECTED_EVIDENCE: Partial<Record<string, Array<'photo' | 'gps' | 'otdr'>>> = {
  installed: ['photo', 'gps'],
  tested: ['otdr'],
};

/** What the panel needs from the map page. */
export interface FieldHost {
  segments(): readonly SegmentFeature[];
  nodes(): readonly NodeFeature[];
  /** Loads segments and nodes from the server again (new ones, changed ones). */
  refresh(): Promise<void>;
  /** Shows a segment or node on the map, clear of the panel, and marks it. */
  focus(subject: Subject, id: string): void;
  /** Removes that mark. */
  unfocus(): void;
  /** The technician's own position on the map, or none. */
  showPosition(position: { lon: number; lat: number; accuracyM: number } | null): void;
  kecamatanName(code: string | null): string | null;
  desaName(code: string | null): string | null;
  /** The name of the site a node terminates (a node's site, from the loaded sites), or none. */
  siteName(nodeId: string | null): string | null;
}

interface Target {
  subject: Subject;
  id: string;
}

interface Found {
  subject: Subject;
  id: string;
  code: string;
  status: string;
  /** The node kind; null for a segment. Turned into words when drawn (the language may change). */
  kind: string | null;
  /** The site the node terminates, or the site at either end of the segment: codes alone say little. */
  site: string | null;
  distanceM: number | null;
}

interface Snapshot {
  subject: Subject;
  id: string;
  code: string;
  status: string;
  version: number;
  segment: SegmentFeature | null;
  node: NodeFeature | null;
}

type Loadable<T> = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; value: T; offline: boolean } | { state: 'failed'; offline: boolean };

interface Message {
  key: MessageKey;
  params?: Record<string, string | number>;
  kind: 'ok' | 'error' | 'info';
  /** A server message in its own language, shown while the interface is in that language. */
  server?: { text: string; lang: Lang } | null;
}

/**
 * The usual move from `status`: the next construction stage, or back to active after a repair.
 * Active is the last stage; damage is reported through its own action, never as progress.
 */
function nextStage(status: string): string | null {
  if (status === 'damaged') return 'active';
  const index = STAGES.indexOf(status);
  return index >= 0 && index < STAGES.length - 1 ? STAGES[index + 1] : null;
}

function isStatus(value: string): value is NetworkStatus {
  return (NETWORK_STATUSES as readonly string[]).includes(value);
}

function chip(status: string): HTMLElement {
  const wrapper = el('span', 'serat-chip');
  const dot = el('span', 'serat-chip__dot');
  dot.style.backgroundColor = statusStyle(status).color;
  wrapper.append(dot, el('span', undefined, statusLabel(status)));
  return wrapper;
}

function button(className: string, text: string, testId?: string): HTMLButtonElement {
  const element = el('button', className, text);
  element.type = 'button';
  if (testId) element.dataset.testid = testId;
  return element;
}

/**
 * Puts `children` into `parent` in this order, leaving every node that is already in place where
 * it is. Moving a node out of the page blurs it (the phone's keyboard closes) and loses a tap in
 * progress, so a redraw must never move the field being typed in or the button being pressed.
 */
function placeChildren(parent: Element, children: Array<Node | null | undefined | false>): void {
  const wanted = children.filter((child): child is Node => !!child);
  const keep = new Set(wanted);
  for (const node of [...parent.childNodes]) if (!keep.has(node)) node.remove();
  let cursor = parent.firstChild;
  for (const child of wanted) {
    if (child === cursor) cursor = cursor.nextSibling;
    else parent.insertBefore(child, cursor);
  }
}

/** A decimal typed the Indonesian way (`12,5`) or the English way (`12.5`); null when empty or not a number. */
function parseDecimal(text: string): number | null {
  const cleaned = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!cleaned) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

function photoName(file: File, index: number): string {
  if (file.name) return file.name;
  const extension = file.type === 'image/png' ? 'png' : file.type === 'image/webp' ? 'webp' : 'jpg';
  return `foto-${index + 1}.${extension}`;
}

function geolocationMessage(error: GeolocationPositionError | null): MessageKey {
  if (!error) return 'field.gpsUnsupported';
  if (error.code === error.PERMISSION_DENIED) return 'field.gpsDenied';
  if (error.code === error.TIMEOUT) return 'field.gpsTimeout';
  return 'field.gpsUnavailable';
}

/** @param maximumAgeMs how old a position the browser may answer with from its last fix */
function currentPosition(maximumAgeMs = 30_000): Promise<GeolocationPosition> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject(null);
      return;
    }
    navigator.geolocation.getCurrentPosition(resolve, reject, { enableHighAccuracy: true, timeout: 20_000, maximumAge: maximumAgeMs });
  });
}

export class FieldPanel {
  readonly root = el('section', 'serat-lapangan');
  readonly opener = button('serat-lapangan-fab', '', 'field-open');
  private readonly openerText = el('span', 'serat-lapangan-fab__label');
  private readonly openerCount = el('span', 'serat-lapangan-fab__count');
  private readonly head = el('div', 'serat-lapangan__head');
  private readonly backButton = button('serat-lapangan__icon-button serat-lapangan__back', '‹', 'field-back');
  private readonly title = el('h2', 'serat-lapangan__title');
  private readonly closeButton = button('serat-lapangan__icon-button serat-lapangan__close', '×', 'field-close');
  private readonly body = el('div', 'serat-lapangan__body');
  /** Outbox entries and result rows, redrawn only when what they show has changed. */
  private readonly drawn = new Map<string, { signature: string; element: HTMLElement }>();
  private drawnNow = new Set<string>();

  // Home: search and near me.
  private readonly finder = el('div', 'serat-lapangan__finder');
  private readonly searchLabel = el('label', 'serat-visually-hidden');
  private readonly searchInput = el('input', 'serat-input serat-lapangan__search');
  private readonly nearButton = button('serat-button serat-button--secondary serat-lapangan__near', '', 'field-near');
  private readonly nearText = el('span');
  private results: Found[] = [];
  private resultsMode: 'none' | 'search' | 'near' = 'none';
  private searchedServer = false;
  private searchingServer = false;
  private locating = false;
  private position: { lon: number; lat: number; accuracyM: number; at: number } | null = null;
  private homeMessage: Message | null = null;

  // Detail: one segment or node.
  private target: Target | null = null;
  private detail: Loadable<SegmentDetail> = { state: 'idle' };
  private history: Loadable<HistoryEntry[]> = { state: 'idle' };
  private loadController: AbortController | null = null;

  // The status form. Its inputs and buttons live across renders: typing is never lost, and a tap
  // that lands while the panel redraws (an answer arriving) still reaches its button.
  private readonly form = el('form', 'serat-lapangan__form');
  private readonly nextButton = button('serat-lapangan__next', '', 'field-status-next');
  private nextShown = '';
  private readonly damageButton = button('serat-button serat-button--secondary serat-button--danger serat-lapangan__damage', '', 'field-report-damage');
  private readonly other = el('details', 'serat-lapangan__other');
  private readonly otherSummary = el('summary');
  private readonly otherLabel = el('label', 'serat-visually-hidden');
  private readonly otherSelect = el('select', 'serat-input serat-lapangan__select');
  private otherShown = '';
  private readonly noteInput = el('textarea', 'serat-input serat-lapangan__note');
  private readonly evidence = el('div', 'serat-lapangan__evidence');
  private readonly photoInput = el('input', 'serat-visually-hidden');
  private readonly photoLabel = el('label', 'serat-button serat-button--secondary serat-lapangan__photo-button');
  private readonly photoLabelText = el('span');
  private readonly gpsButton = button('serat-button serat-button--secondary serat-lapangan__gps-button', '', 'field-gps');
  private readonly gpsButtonText = el('span');
  private readonly otdr = el('fieldset', 'serat-lapangan__otdr');
  private readonly otdrLegend = el('legend');
  private readonly otdrLength = el('input', 'serat-input');
  private readonly otdrLoss = el('input', 'serat-input');
  private readonly otdrWavelength = el('select', 'serat-input');
  private readonly otdrLabels: Array<[HTMLLabelElement, MessageKey]> = [];
  private readonly otdrFields: HTMLElement[] = [];
  private readonly saveButton = button('serat-button serat-button--primary serat-lapangan__save', '', 'field-save');
  private readonly saveLabel = el('span', 'serat-button__label');
  private readonly cancelButton = button('serat-button serat-button--secondary', '', 'field-cancel-edit');
  private chosen: string | null = null;
  private photos: FieldPhoto[] = [];
  /** Photos being made smaller (field-photos.ts), in the order they were taken; saving waits for them. */
  private shrinking: Array<{ key: string; name: string; originalBytes: number }> = [];
  private readonly photoRow = el('div', 'serat-lapangan__photos');
  private photoUrls = new Map<string, string>();
  private gps: { lon: number; lat: number; accuracyM: number } | null = null;
  private gpsBusy = false;
  private editing: OutboxItem | null = null;
  private formMessage: Message | null = null;
  private confirmNoEvidence = false;
  private saving = false;
  /** The item whose discard was tapped once: a second tap within a few seconds discards it. */
  private armedDiscard: string | null = null;
  private armedTimer = 0;

  private isOpen = false;
  private enabled = false;
  private searchTimer = 0;

  constructor(
    parent: HTMLElement,
    private readonly host: FieldHost,
    private readonly outbox: Outbox,
  ) {
    this.root.hidden = true;
    this.root.dataset.testid = 'field-panel';
    this.root.setAttribute('role', 'dialog');
    this.root.setAttribute('aria-modal', 'false');
    this.root.setAttribute('aria-labelledby', 'serat-lapangan-title');
    this.opener.hidden = true;
    this.opener.addEventListener('click', () => this.open());
    this.title.id = 'serat-lapangan-title';
    this.backButton.addEventListener('click', () => {
      if (!this.leaveForm()) return;
      this.showHome();
      this.render();
    });
    this.closeButton.addEventListener('click', () => this.close());
    this.root.append(this.head, this.body);
    parent.append(this.root, this.opener);

    this.searchInput.type = 'search';
    this.searchInput.id = 'serat-lapangan-search';
    this.searchInput.autocomplete = 'off';
    this.searchInput.spellcheck = false;
    this.searchInput.enterKeyHint = 'search';
    this.searchInput.setAttribute('autocapitalize', 'characters');
    this.searchInput.dataset.testid = 'field-search';
    this.searchInput.addEventListener('input', () => {
      window.clearTimeout(this.searchTimer);
      this.searchTimer = window.setTimeout(() => this.runSearch(), 120);
    });
    this.searchInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        window.clearTimeout(this.searchTimer);
        this.runSearch();
        if (this.results.length === 1) this.openTarget(this.results[0]);
      }
    });
    this.nearButton.addEventListener('click', () => void this.findNear());
    this.nearButton.append(pinIcon(), this.nearText);
    this.searchLabel.htmlFor = this.searchInput.id;
    this.finder.append(this.searchLabel, this.searchInput, this.nearButton);
    this.opener.append(fieldIcon(), this.openerText, this.openerCount);

    this.otherSelect.dataset.testid = 'field-status-other';
    this.otherSelect.id = 'serat-lapangan-other';
    this.otherSelect.addEventListener('change', () => {
      this.chosen = this.otherSelect.value || null;
      this.confirmNoEvidence = false;
      this.formMessage = null;
      this.render();
    });
    this.noteInput.id = 'serat-lapangan-note';
    this.noteInput.rows = 3;
    this.noteInput.maxLength = 2000;
    this.noteInput.dataset.testid = 'field-note';
    this.noteInput.addEventListener('input', () => {
      if (this.formMessage?.kind === 'error') {
        this.formMessage = null;
        this.render();
      }
    });
    this.photoInput.type = 'file';
    this.photoInput.accept = 'image/*';
    this.photoInput.setAttribute('capture', 'environment');
    this.photoInput.id = 'serat-lapangan-photo';
    this.photoInput.dataset.testid = 'field-photo-input';
    this.photoInput.addEventListener('change', () => this.addPhotos());
    for (const [input, id] of [
      [this.otdrLength, 'serat-lapangan-otdr-length'],
      [this.otdrLoss, 'serat-lapangan-otdr-loss'],
    ] as const) {
      input.type = 'text';
      input.inputMode = 'decimal';
      input.id = id;
      input.autocomplete = 'off';
      input.dataset.testid = id.replace('serat-lapangan-', 'field-');
    }
    this.otdrWavelength.id = 'serat-lapangan-otdr-wavelength';
    this.otdrWavelength.dataset.testid = 'field-otdr-wavelength';
    this.otdrWavelength.append(new Option('—', ''), ...['1310', '1550', '1625'].map((nm) => new Option(`${nm} nm`, nm)));
    for (const [input, key] of [
      [this.otdrLength, 'field.otdrLength'],
      [this.otdrLoss, 'field.otdrLoss'],
      [this.otdrWavelength, 'field.otdrWavelength'],
    ] as const) {
      const wrapper = el('div', 'serat-lapangan__otdr-field');
      const label = el('label', 'serat-lapangan__label');
      label.htmlFor = input.id;
      wrapper.append(label, input);
      this.otdrLabels.push([label, key]);
      this.otdrFields.push(wrapper);
    }
    this.otdrLength.placeholder = '1250';
    this.otdrLoss.placeholder = '0,8';
    this.otdr.append(this.otdrLegend, ...this.otdrFields);
    this.otherLabel.htmlFor = this.otherSelect.id;
    this.other.append(this.otherSummary, this.otherLabel, this.otherSelect);

    this.form.noValidate = true;
    this.form.dataset.testid = 'field-form';
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const snapshot = this.target ? this.snapshot(this.target) : null;
      if (snapshot) void this.save(snapshot);
    });
    this.nextButton.addEventListener('click', () => {
      const next = this.nextButton.dataset.status ?? null;
      this.chosen = this.chosen === next ? null : next;
      this.otherSelect.value = '';
      this.confirmNoEvidence = false;
      this.formMessage = null;
      this.render();
    });
    this.damageButton.addEventListener('click', () => {
      this.chosen = this.chosen === 'damaged' ? null : 'damaged';
      this.otherSelect.value = '';
      this.other.open = false;
      this.confirmNoEvidence = false;
      this.formMessage = null;
      this.render();
    });
    this.otherSummary.dataset.testid = 'field-other-toggle';
    this.photoLabel.htmlFor = this.photoInput.id;
    this.photoLabel.dataset.testid = 'field-photo';
    this.photoLabel.append(cameraIcon(), this.photoLabelText);
    this.gpsButton.append(pinIcon(), this.gpsButtonText);
    this.gpsButton.addEventListener('click', () => void this.attachGps());
    this.saveButton.type = 'submit';
    this.saveButton.append(this.saveLabel);
    this.cancelButton.addEventListener('click', () => {
      if (!this.leaveForm()) return;
      this.editing = null;
      this.resetForm();
      this.render();
    });

    outbox.onChange(() => this.render());
    onLangChange(() => this.render());
    this.render();
  }

  /** Shown only to roles that may change a status. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) {
      this.close();
      this.reset();
    }
    this.opener.hidden = !enabled || this.isOpen;
    this.render();
  }

  open(view?: 'home'): void {
    if (!this.enabled) return;
    if (view === 'home' && this.leaveForm()) this.showHome();
    this.isOpen = true;
    this.root.hidden = false;
    this.opener.hidden = true;
    document.body.dataset.fieldOpen = 'true';
    this.render();
    if (!this.target && window.matchMedia('(pointer: fine)').matches) this.searchInput.focus();
  }

  close(): void {
    this.isOpen = false;
    this.root.hidden = true;
    this.opener.hidden = !this.enabled;
    delete document.body.dataset.fieldOpen;
    this.host.showPosition(null);
    this.host.unfocus();
  }

  /** Opens one segment or node (from a map popup, a search result or the outbox). */
  openTarget(target: Target): void {
    if (!this.enabled || !this.leaveForm()) return;
    this.target = { subject: target.subject, id: target.id };
    this.editing = null;
    this.resetForm();
    this.open();
    this.host.focus(target.subject, target.id);
    void this.loadDetail();
    this.body.scrollTop = 0;
  }

  /** The panel's height over the map (phones) or width beside it (wide screens), for fitting the view. */
  coverage(): { bottom: number; left: number } {
    if (!this.isOpen) return { bottom: 0, left: 0 };
    const box = this.root.getBoundingClientRect();
    const wide = window.matchMedia('(min-width: 900px)').matches;
    return wide ? { bottom: 0, left: box.right + 8 } : { bottom: window.innerHeight - box.top + 8, left: 0 };
  }

  /** The map has new data (after a sync or a reload): the open detail may have changed. */
  refreshed(): void {
    if (this.resultsMode === 'search') this.runSearch();
    else if (this.resultsMode === 'near') this.rankNear();
    this.render();
  }

  /** A change of this target was accepted by the server: its history has a new entry. */
  applied(targetId: string): void {
    if (this.target?.id !== targetId) return;
    // "Saved, will be sent" is no longer news.
    if (this.formMessage?.kind === 'ok') this.formMessage = null;
    void this.loadDetail(true);
  }

  private reset(): void {
    this.target = null;
    this.results = [];
    this.resultsMode = 'none';
    this.searchInput.value = '';
    this.position = null;
    this.homeMessage = null;
    this.detail = { state: 'idle' };
    this.history = { state: 'idle' };
    this.loadController?.abort();
    this.editing = null;
    this.resetForm();
  }

  private showHome(): void {
    if (this.target) this.host.unfocus();
    this.target = null;
    this.editing = null;
    this.loadController?.abort();
    this.resetForm();
  }

  // ------------------------------------------------------------------------------ finding

  private snapshot(target: Target): Snapshot | null {
    if (target.subject === 'segment') {
      const feature = this.host.segments().find((f) => String(f.properties.id) === target.id);
      if (!feature) return null;
      const p = feature.properties;
      return { subject: 'segment', id: target.id, code: p.code, status: p.status, version: Number(p.version), segment: feature, node: null };
    }
    const feature = this.host.nodes().find((f) => String(f.properties.id) === target.id);
    if (!feature) return null;
    const p = feature.properties;
    return { subject: 'node', id: target.id, code: p.code, status: p.status, version: Number(p.version), segment: null, node: feature };
  }

  /** The site at the segment's far end (a drop ends at its site), else at its near end. */
  private segmentSite(feature: SegmentFeature): string | null {
    return this.host.siteName(feature.properties.toNodeId) ?? this.host.siteName(feature.properties.fromNodeId);
  }

  private runSearch(): void {
    const query = this.searchInput.value.trim().toLocaleUpperCase('id');
    this.searchedServer = false;
    this.homeMessage = null;
    if (!query) {
      if (this.resultsMode === 'search') {
        this.results = [];
        this.resultsMode = 'none';
      }
      this.render();
      return;
    }
    const found: Array<Found & { rank: number }> = [];
    const consider = (subject: Subject, id: string, code: string, name: string | null, status: string, kind: string | null, site: string | null) => {
      const upperCode = code.toLocaleUpperCase('id');
      const upperNames = [name, site].map((text) => (text ?? '').toLocaleUpperCase('id'));
      let rank = -1;
      if (upperCode === query) rank = 0;
      else if (upperCode.startsWith(query)) rank = 1;
      else if (upperCode.includes(query)) rank = 2;
      else if (upperNames.some((text) => text.includes(query))) rank = 3;
      if (rank >= 0) found.push({ subject, id, code, status, kind, site, distanceM: null, rank });
    };
    for (const f of this.host.segments()) consider('segment', String(f.properties.id), f.properties.code, null, f.properties.status, null, this.segmentSite(f));
    for (const f of this.host.nodes()) {
      const id = String(f.properties.id);
      consider('node', id, f.properties.code, f.properties.name, f.properties.status, f.properties.kind, this.host.siteName(id));
    }
    found.sort((a, b) => a.rank - b.rank || a.code.localeCompare(b.code, 'id', { numeric: true }));
    this.results = found.slice(0, SEARCH_LIMIT);
    this.resultsMode = 'search';
    this.render();
  }

  /** Nothing on the device matches: load the network from the server again and look once more. */
  private async searchServer(): Promise<void> {
    if (this.searchingServer) return;
    this.searchingServer = true;
    this.render();
    try {
      await this.host.refresh();
      this.runSearch();
      this.searchedServer = true;
    } catch (error) {
      this.homeMessage = this.describeLoadError(error);
    } finally {
      this.searchingServer = false;
      this.render();
    }
  }

  private async findNear(): Promise<void> {
    if (this.locating) return;
    this.locating = true;
    this.homeMessage = null;
    this.render();
    try {
      // Asked for where the technician stands now: half a minute in a car is half a kilometre.
      const { coords } = await currentPosition(0);
      this.position = { lon: coords.longitude, lat: coords.latitude, accuracyM: coords.accuracy, at: Date.now() };
      this.host.showPosition(this.position);
      this.rankNear();
    } catch (error) {
      this.homeMessage = { key: geolocationMessage(error as GeolocationPositionError | null), kind: 'error' };
    } finally {
      this.locating = false;
      this.render();
    }
  }

  private rankNear(): void {
    const position = this.position;
    if (!position) return;
    const here: Position = [position.lon, position.lat];
    const found: Found[] = [];
    for (const f of this.host.segments()) {
      const geometry = f.geometry as LineString | null;
      if (!geometry?.coordinates?.length) continue;
      found.push({
        subject: 'segment',
        id: String(f.properties.id),
        code: f.properties.code,
        status: f.properties.status,
        kind: null,
        site: this.segmentSite(f),
        distanceM: distanceToLineM(here, geometry.coordinates),
      });
    }
    for (const f of this.host.nodes()) {
      const geometry = f.geometry as Point | null;
      if (!geometry?.coordinates) continue;
      found.push({
        subject: 'node',
        id: String(f.properties.id),
        code: f.properties.code,
        status: f.properties.status,
        kind: f.properties.kind,
        site: this.host.siteName(String(f.properties.id)),
        distanceM: distanceM(here, geometry.coordinates),
      });
    }
    found.sort((a, b) => (a.distanceM ?? 0) - (b.distanceM ?? 0));
    this.results = found.slice(0, NEAR_LIMIT);
    this.resultsMode = 'near';
    this.searchInput.value = '';
  }

  // ------------------------------------------------------------------------------- detail

  private async loadDetail(quiet = false): Promise<void> {
    const target = this.target;
    if (!target) return;
    this.loadController?.abort();
    const controller = new AbortController();
    this.loadController = controller;
    if (!quiet) {
      this.detail = { state: target.subject === 'segment' ? 'loading' : 'idle' };
      this.history = { state: 'loading' };
      this.render();
    }
    const offline = () => !navigator.onLine;
    const same = () => this.target === target && !controller.signal.aborted;
    const detail =
      target.subject === 'segment'
        ? fieldApi.segment(target.id, controller.signal).then(
            (value) => same() && (this.detail = { state: 'ready', value, offline: offline() }),
            (error) => same() && !(error instanceof DOMException) && (this.detail = { state: 'failed', offline: offline() || isNetwork(error) }),
          )
        : Promise.resolve();
    const history = fieldApi.history(target.subject, target.id, controller.signal).then(
      (value) => same() && (this.history = { state: 'ready', value, offline: offline() }),
      (error) => same() && !(error instanceof DOMException) && (this.history = { state: 'failed', offline: offline() || isNetwork(error) }),
    );
    await Promise.allSettled([detail, history]);
    if (same()) this.render();
  }

  // --------------------------------------------------------------------------------- form

  private resetForm(item: OutboxItem | null = null): void {
    for (const url of this.photoUrls.values()) URL.revokeObjectURL(url);
    this.photoUrls.clear();
    this.photos = item ? item.photos.map((photo) => ({ ...photo })) : [];
    // Photos still being shrunk belong to the form being left (the technician agreed to leave
    // them, leaveForm): their results are dropped.
    this.shrinking = [];
    this.gps = item?.gps ? { lon: item.gps.lon, lat: item.gps.lat, accuracyM: Number(item.gps.accuracyM ?? 0) } : null;
    this.noteInput.value = item?.note ?? '';
    this.otdrLength.value = item?.otdr ? String(item.otdr.lengthM).replace('.', ',') : '';
    this.otdrLoss.value = item?.otdr ? String(item.otdr.lossDb).replace('.', ',') : '';
    this.otdrWavelength.value = item?.otdr?.wavelengthNm ? String(item.otdr.wavelengthNm) : '';
    this.other.open = false;
    this.chosen = item?.toStatus ?? null;
    this.formMessage = null;
    this.confirmNoEvidence = false;
    this.photoInput.value = '';
  }

  /**
   * Whether the form may be left for another feature, the list or the queue: photos still being
   * shrunk would be lost with it, so the technician is asked first ("Foto masih diproses…").
   */
  private leaveForm(): boolean {
    if (!this.shrinking.length) return true;
    return window.confirm(t('field.photoShrinkingLeave', { count: formatNumber(this.shrinking.length) }));
  }

  /** The state a new change starts from: the server's, or the last change still queued for it. */
  private baseFor(snapshot: Snapshot): { status: string; version: number; basedOnQueued: boolean; blockedBy: OutboxItem | null } {
    if (this.editing) {
      return { status: this.editing.fromStatus, version: this.editing.baseVersion, basedOnQueued: this.editing.basedOnQueued, blockedBy: null };
    }
    const queued = this.outbox.itemsFor(snapshot.id);
    const blockedBy = queued.find((item) => item.state !== 'pending') ?? null;
    const last = queued.at(-1);
    if (last) return { status: last.toStatus, version: last.baseVersion + 1, basedOnQueued: true, blockedBy };
    const detail = this.detail.state === 'ready' && snapshot.subject === 'segment' ? this.detail.value : null;
    // The freshest of what the map and the detail say.
    if (detail && Number(detail.version) > snapshot.version) return { status: detail.status, version: Number(detail.version), basedOnQueued: false, blockedBy };
    return { status: snapshot.status, version: snapshot.version, basedOnQueued: false, blockedBy };
  }

  /**
   * Each photo is made smaller on the device before it is queued (at most 2048 px, EXIF position
   * and time kept): a camera's 5 MB becomes well under 1 MB to send over 3G and to keep on the
   * phone. Whatever fails, the photo is kept as taken.
   */
  private addPhotos(): void {
    const files = [...(this.photoInput.files ?? [])];
    this.photoInput.value = '';
    for (const [index, file] of files.entries()) {
      if (this.photos.length + this.shrinking.length >= MAX_PHOTOS) {
        this.formMessage = { key: 'field.photoTooMany', params: { max: MAX_PHOTOS }, kind: 'error' };
        break;
      }
      if (file.type && !file.type.startsWith('image/')) {
        this.formMessage = { key: 'field.photoNotImage', kind: 'error' };
        continue;
      }
      if (file.size > PHOTO_INPUT_MAX_BYTES) {
        this.formMessage = { key: 'field.photoTooLarge', params: { maxMb: PHOTO_MAX_BYTES / 1024 / 1024 }, kind: 'error' };
        continue;
      }
      const key = `${Date.now()}-${index}-${Math.random().toString(36).slice(2, 8)}`;
      const name = photoName(file, this.photos.length + this.shrinking.length);
      this.shrinking.push({ key, name, originalBytes: file.size });
      void shrinkPhoto(file).then((outcome) => this.photoShrunk(key, file, name, outcome));
    }
    this.confirmNoEvidence = false;
    this.render();
  }

  private photoShrunk(key: string, file: File, name: string, outcome: ShrinkOutcome): void {
    const index = this.shrinking.findIndex((photo) => photo.key === key);
    // Removed meanwhile, or the form was left.
    if (index < 0) return;
    this.shrinking.splice(index, 1);
    const photo: FieldPhoto =
      outcome.kind === 'shrunk'
        ? { key, blob: outcome.blob, name: jpegName(name), uploadedId: null, originalBytes: outcome.originalBytes }
        : { key, blob: file, name, uploadedId: null };
    if (photo.blob.size > PHOTO_MAX_BYTES) {
      this.formMessage = { key: 'field.photoTooLarge', params: { maxMb: PHOTO_MAX_BYTES / 1024 / 1024 }, kind: 'error' };
    } else {
      this.photos.push(photo);
    }
    this.render();
  }

  private removePhoto(key: string): void {
    this.shrinking = this.shrinking.filter((photo) => photo.key !== key);
    this.photos = this.photos.filter((photo) => photo.key !== key);
    const url = this.photoUrls.get(key);
    if (url) URL.revokeObjectURL(url);
    this.photoUrls.delete(key);
    this.render();
  }

  private photoUrl(photo: FieldPhoto): string {
    let url = this.photoUrls.get(photo.key);
    if (!url) {
      url = URL.createObjectURL(photo.blob);
      this.photoUrls.set(photo.key, url);
    }
    return url;
  }

  private photoRemoveButton(key: string): HTMLButtonElement {
    const remove = button('serat-lapangan__photo-remove', '×');
    remove.title = t('field.photoRemove');
    remove.setAttribute('aria-label', t('field.photoRemove'));
    remove.addEventListener('click', () => this.removePhoto(key));
    return remove;
  }

  /** A queued photo with what it costs to send: "4,8 MB → 0,6 MB" when it was shrunk. */
  private renderPhoto(photo: FieldPhoto): HTMLElement {
    const figure = el('figure', 'serat-lapangan__photo');
    figure.dataset.testid = 'field-photo-item';
    figure.dataset.bytes = String(photo.blob.size);
    const img = el('img');
    img.src = this.photoUrl(photo);
    img.alt = t('field.photoAlt');
    // A file this browser cannot show (HEIC, a damaged photo) is still queued: a camera in its place.
    img.addEventListener(
      'error',
      () => {
        const placeholder = el('div', 'serat-lapangan__photo-wait');
        placeholder.setAttribute('role', 'img');
        placeholder.setAttribute('aria-label', t('field.photoNoPreview'));
        placeholder.title = t('field.photoNoPreview');
        placeholder.append(cameraIcon());
        img.replaceWith(placeholder);
      },
      { once: true },
    );
    const size = el('figcaption', 'serat-lapangan__photo-size');
    size.dataset.testid = 'field-photo-size';
    const shrunk = photo.originalBytes !== undefined && photo.originalBytes > photo.blob.size;
    if (shrunk) {
      const from = formatBytes(photo.originalBytes!);
      const to = formatBytes(photo.blob.size);
      figure.dataset.originalBytes = String(photo.originalBytes);
      size.textContent = t('field.photoShrunk', { from, to });
      size.title = t('field.photoShrunkTitle', { from, to });
    } else {
      size.textContent = formatBytes(photo.blob.size);
      size.title = t('field.photoAsTaken');
    }
    figure.append(img, this.photoRemoveButton(photo.key), size);
    return figure;
  }

  private renderShrinkingPhoto(key: string): HTMLElement {
    const figure = el('figure', 'serat-lapangan__photo serat-lapangan__photo--shrinking');
    figure.dataset.testid = 'field-photo-shrinking';
    figure.setAttribute('aria-busy', 'true');
    const box = el('div', 'serat-lapangan__photo-wait');
    box.append(el('span', 'serat-spinner serat-spinner--dark'));
    const text = el('figcaption', 'serat-lapangan__photo-size', t('field.photoShrinking'));
    text.setAttribute('role', 'status');
    figure.append(box, this.photoRemoveButton(key), text);
    return figure;
  }

  private async attachGps(): Promise<void> {
    if (this.gpsBusy) return;
    this.gpsBusy = true;
    this.formMessage = null;
    this.render();
    try {
      const { coords } = await currentPosition();
      this.gps = { lon: Number(coords.longitude.toFixed(7)), lat: Number(coords.latitude.toFixed(7)), accuracyM: Math.round(coords.accuracy) };
      this.confirmNoEvidence = false;
    } catch (error) {
      this.formMessage = { key: geolocationMessage(error as GeolocationPositionError | null), kind: 'error' };
    } finally {
      this.gpsBusy = false;
      this.render();
    }
  }

  private async save(snapshot: Snapshot): Promise<void> {
    // The button says "Memperkecil foto…" meanwhile; Enter in a field must not get past it either.
    if (this.saving || this.shrinking.length) return;
    const base = this.baseFor(snapshot);
    const to = this.chosen;
    if (!to || !isStatus(to) || !isStatus(base.status)) {
      this.formMessage = { key: 'field.chooseStatus', kind: 'error' };
      this.render();
      return;
    }
    const verdict = judgeMove(base.status, to);
    if (!verdict.allowed) {
      this.formMessage = { key: 'field.notAllowed', kind: 'error' };
      this.render();
      return;
    }
    const note = this.noteInput.value.trim();
    if (verdict.needsReason && !note) {
      this.formMessage = { key: 'field.noteRequired', kind: 'error' };
      this.render();
      this.noteInput.focus();
      return;
    }
    let otdr: OutboxDraft['otdr'] = null;
    if (to === 'tested' || this.otdrLength.value.trim() || this.otdrLoss.value.trim()) {
      const lengthM = parseDecimal(this.otdrLength.value);
      const lossDb = parseDecimal(this.otdrLoss.value);
      if (lengthM !== null || lossDb !== null) {
        if (lengthM === null || lossDb === null || lengthM < 0 || lossDb < -10 || lossDb > 100) {
          this.formMessage = { key: 'field.otdrInvalid', kind: 'error' };
          this.render();
          return;
        }
        const wavelength = Number(this.otdrWavelength.value);
        otdr = { lengthM, lossDb, ...(wavelength ? { wavelengthNm: wavelength } : {}) };
      }
    }
    const expected = EXPECTED_EVIDENCE[to];
    const given = { photo: this.photos.length > 0, gps: !!this.gps, otdr: !!otdr };
    if (expected && !expected.some((kind) => given[kind]) && !this.confirmNoEvidence) {
      // The server decides, but telling the technician on the spot beats a refusal hours later.
      this.confirmNoEvidence = true;
      this.formMessage = { key: 'field.evidenceMissing', params: { evidence: this.evidenceText(to) }, kind: 'error' };
      this.render();
      return;
    }

    const draft: OutboxDraft = {
      subject: snapshot.subject,
      targetId: snapshot.id,
      code: snapshot.code,
      fromStatus: base.status,
      baseVersion: base.version,
      basedOnQueued: base.basedOnQueued,
      toStatus: to,
      note,
      gps: this.gps,
      otdr,
      photos: this.photos.map((photo) => ({ ...photo })),
    };
    this.saving = true;
    this.render();
    let saved = false;
    try {
      if (this.editing) await this.outbox.edit(this.editing.id, draft);
      else await this.outbox.add(draft);
      this.editing = null;
      this.resetForm();
      this.formMessage = { key: navigator.onLine ? 'field.savedOnline' : 'field.savedOffline', kind: 'ok' };
      saved = true;
    } catch {
      this.formMessage = { key: 'field.saveFailed', kind: 'error' };
    } finally {
      this.saving = false;
      this.render();
    }
    // Back to the top: the message and the queued change are what the technician wants to see.
    if (saved) this.body.scrollTop = 0;
  }

  private evidenceText(status: string): string {
    const kinds = EXPECTED_EVIDENCE[status] ?? [];
    return kinds.map((kind) => t(`field.evidence.${kind}` as MessageKey)).join(t('field.or'));
  }

  private startEdit(item: OutboxItem): void {
    if (!this.leaveForm()) return;
    this.target = { subject: item.subject, id: item.targetId };
    this.editing = item;
    this.resetForm(item);
    this.open();
    this.host.focus(item.subject, item.targetId);
    void this.loadDetail();
  }

  private discard(item: OutboxItem): void {
    if (this.armedDiscard !== item.id) {
      this.armedDiscard = item.id;
      window.clearTimeout(this.armedTimer);
      this.armedTimer = window.setTimeout(() => {
        this.armedDiscard = null;
        this.render();
      }, 5000);
      this.render();
      return;
    }
    this.armedDiscard = null;
    window.clearTimeout(this.armedTimer);
    if (this.editing?.id === item.id) {
      this.editing = null;
      this.resetForm();
    }
    void this.outbox.discard(item.id);
  }

  private describeLoadError(error: unknown): Message {
    if (error instanceof ApiError && error.serverMessage) {
      return { key: 'field.loadFailed', kind: 'error', server: { text: error.serverMessage, lang: getLang() } };
    }
    return { key: isNetwork(error) ? 'field.offlineNoData' : 'field.loadFailed', kind: 'error' };
  }

  // ------------------------------------------------------------------------------- render

  private render(): void {
    this.renderHead();
    if (!this.enabled) {
      this.body.replaceChildren();
      return;
    }
    this.openerText.textContent = t('field.open');
    const pending = this.outbox.items().length;
    this.openerCount.textContent = formatNumber(pending);
    this.openerCount.hidden = pending === 0;
    this.opener.title = t('field.openHint');
    if (!this.isOpen) return;
    const scroll = this.body.scrollTop;
    this.drawnNow = new Set();
    const snapshot = this.target ? this.snapshot(this.target) : null;
    if (this.target && snapshot) placeChildren(this.body, this.renderDetail(snapshot));
    else if (this.target) placeChildren(this.body, [this.messageBox({ key: 'field.notOnMap', kind: 'info' })]);
    else placeChildren(this.body, this.renderHome());
    this.body.scrollTop = scroll;
    for (const key of this.drawn.keys()) if (!this.drawnNow.has(key)) this.drawn.delete(key);
  }

  /** The element drawn for `key` last time if `signature` still describes it, else a new one. */
  private reuse(key: string, signature: string, draw: () => HTMLElement): HTMLElement {
    this.drawnNow.add(key);
    const known = this.drawn.get(key);
    if (known && known.signature === signature) return known.element;
    const element = draw();
    this.drawn.set(key, { signature, element });
    return element;
  }

  private renderHead(): void {
    this.title.textContent = t('field.title');
    for (const [element, key] of [
      [this.backButton, 'field.back'],
      [this.closeButton, 'field.close'],
    ] as const) {
      element.title = t(key);
      element.setAttribute('aria-label', t(key));
    }
    placeChildren(this.head, [this.target ? this.backButton : null, this.title, this.closeButton]);
  }

  private renderHome(): HTMLElement[] {
    this.searchLabel.textContent = t('field.searchLabel');
    this.searchInput.placeholder = t('field.searchPlaceholder');
    this.nearText.textContent = t(this.locating ? 'field.locating' : 'field.near');
    this.nearButton.disabled = this.locating;
    this.nearButton.setAttribute('aria-busy', String(this.locating));

    const parts: HTMLElement[] = [this.finder];
    if (this.homeMessage) parts.push(this.messageBox(this.homeMessage));
    if (this.resultsMode === 'near' && this.position) {
      parts.push(el('p', 'serat-lapangan__hint', t('field.nearFrom', { accuracy: formatDistance(this.position.accuracyM), time: formatDateTimeWib(this.position.at) })));
    }
    if (this.resultsMode !== 'none') parts.push(this.renderResults());
    parts.push(this.renderOutboxList(this.outbox.items(), true));
    return parts;
  }

  private renderResults(): HTMLElement {
    const wrapper = el('div', 'serat-lapangan__results');
    wrapper.dataset.testid = 'field-results';
    wrapper.dataset.mode = this.resultsMode;
    if (!this.results.length) {
      const empty = el('div', 'serat-lapangan__empty');
      empty.append(el('p', undefined, t(this.searchedServer ? 'field.noneOnServer' : 'field.none')));
      if (this.resultsMode === 'search' && !this.searchedServer) {
        const server = button('serat-button serat-button--secondary', t(this.searchingServer ? 'field.searchingServer' : 'field.searchServer'), 'field-search-server');
        server.disabled = this.searchingServer || !navigator.onLine;
        if (!navigator.onLine) empty.append(el('p', 'serat-lapangan__hint', t('field.searchServerOffline')));
        server.addEventListener('click', () => void this.searchServer());
        empty.append(server);
      }
      wrapper.append(empty);
      return wrapper;
    }
    const list = el('ul', 'serat-lapangan__list');
    for (const found of this.results) {
      const queued = this.outbox.itemsFor(found.id).length;
      const signature = [found.status, found.distanceM, found.kind, found.site, queued, getLang()].join('|');
      list.append(this.reuse(`result:${found.subject}:${found.id}`, signature, () => this.resultRow(found, queued)));
    }
    wrapper.append(list);
    return wrapper;
  }

  private resultRow(found: Found, queued: number): HTMLElement {
    const item = el('li');
    const row = button('serat-lapangan__result', '', 'field-result');
    row.dataset.code = found.code;
    row.dataset.subject = found.subject;
    const main = el('span', 'serat-lapangan__result-main');
    const kind = found.subject === 'segment' ? t('popup.segment') : nodeKindLabel(found.kind);
    main.append(el('span', 'serat-lapangan__result-code', found.code));
    if (found.site) {
      const site = el('span', 'serat-lapangan__result-site', found.site);
      site.dataset.testid = 'field-result-site';
      main.append(site);
    }
    main.append(el('span', 'serat-lapangan__result-kind', kind));
    const side = el('span', 'serat-lapangan__result-side');
    side.append(chip(found.status));
    if (found.distanceM !== null) side.append(el('span', 'serat-lapangan__distance', formatDistance(found.distanceM)));
    if (queued) side.append(el('span', 'serat-lapangan__queued-mark', t('field.queuedShort', { count: queued })));
    row.append(main, side);
    row.addEventListener('click', () => this.openTarget(found));
    item.append(row);
    return item;
  }

  private renderDetail(snapshot: Snapshot): HTMLElement[] {
    const parts: HTMLElement[] = [];
    const detail = this.detail.state === 'ready' ? this.detail.value : null;

    const heading = el('div', 'serat-lapangan__heading');
    heading.dataset.testid = 'field-detail';
    heading.dataset.code = snapshot.code;
    const kind = snapshot.subject === 'segment' ? t('popup.segment') : nodeKindLabel(snapshot.node?.properties.kind);
    heading.append(el('div', 'serat-lapangan__kind', kind));
    heading.append(el('div', 'serat-lapangan__code', snapshot.code));
    const name = snapshot.node?.properties.name;
    if (name && name !== snapshot.code) heading.append(el('div', 'serat-lapangan__subtitle', name));
    const state = el('div', 'serat-lapangan__state');
    state.dataset.testid = 'field-detail-status';
    // The freshest of what the map and the server's answer for this segment say.
    const current = detail && Number(detail.version) > snapshot.version ? { status: detail.status, version: Number(detail.version) } : snapshot;
    state.dataset.status = current.status;
    state.append(chip(current.status), el('span', 'serat-lapangan__version', t('field.version', { version: current.version })));
    heading.append(state);
    parts.push(heading);

    // Facts: short, so the form is reached with one flick of the thumb.
    const facts: Array<[string, string | null]> = [];
    if (snapshot.segment) {
      const p = snapshot.segment.properties;
      facts.push([t('popup.length'), formatLength(p.lengthM)]);
      facts.push([t('popup.placement'), p.placement ? placementLabel(p.placement) : null]);
      facts.push([t('popup.tier'), p.tier ? tierLabel(p.tier) : null]);
      facts.push([t('popup.cable'), p.coreCount ? t('popup.cores', { count: formatNumber(Number(p.coreCount)) }) : p.cableType]);
      facts.push([t('popup.phase'), p.phaseName]);
      const areas = detail?.areas ?? [];
      const kecamatan = areas.filter((a) => a.level === 'kecamatan').map((a) => a.name);
      const desa = areas.filter((a) => a.level === 'desa').map((a) => a.name);
      const areaText = (names: string[]) => (names.length ? names.join(', ') : this.detail.state === 'loading' ? t('field.loading') : null);
      facts.push([t('popup.kecamatan'), areaText(kecamatan)]);
      facts.push([t('popup.desa'), areaText(desa)]);
    } else if (snapshot.node) {
      const p = snapshot.node.properties;
      facts.push([t('popup.kecamatan'), this.host.kecamatanName(p.kecamatanCode) ?? p.kecamatanCode]);
      facts.push([t('popup.desa'), this.host.desaName(p.desaCode) ?? p.desaCode]);
    }
    const table = el('dl', 'serat-lapangan__facts');
    for (const [label, value] of facts) {
      const row = el('div', 'serat-lapangan__fact');
      row.append(el('dt', undefined, label), el('dd', undefined, value || t('popup.empty')));
      table.append(row);
    }
    parts.push(table);
    const navigate = this.navigateLink(snapshot);
    if (navigate) parts.push(navigate);

    const queued = this.outbox.itemsFor(snapshot.id);
    // "Saved, will be sent" stops being true once the server has refused or questioned it.
    if (this.formMessage?.kind === 'ok' && queued.some((item) => item.state !== 'pending')) this.formMessage = null;
    if (this.formMessage?.kind === 'ok') parts.push(this.messageBox(this.formMessage, 'field-form-message'));
    if (queued.length) parts.push(this.renderOutboxList(queued, false));
    parts.push(this.renderForm(snapshot));
    parts.push(this.renderHistory());
    return parts;
  }

  /**
   * "Navigasi ke sini": a `geo:` link that a phone opens in its own map app, to the node or to the
   * point of the segment nearest to where the technician last stood. Only where there is such an
   * app to open (a touch screen); a desktop browser has nothing to hand a `geo:` link to.
   */
  private navigateLink(snapshot: Snapshot): HTMLElement | null {
    if (!window.matchMedia('(pointer: coarse)').matches) return null;
    const from = this.position ? [this.position.lon, this.position.lat] : null;
    const place = navigationTarget(snapshot.segment?.geometry ?? snapshot.node?.geometry, from);
    if (!place) return null;
    const link = el('a', 'serat-button serat-button--secondary serat-lapangan__navigate');
    link.href = geoUri(place);
    link.title = t('field.navigateHint');
    link.dataset.testid = 'field-navigate';
    link.append(pinIcon(), el('span', undefined, t('field.navigate')));
    return link;
  }

  private renderForm(snapshot: Snapshot): HTMLElement {
    const form = this.form;
    const parts: HTMLElement[] = [];
    const base = this.baseFor(snapshot);
    parts.push(el('h3', 'serat-lapangan__section-title', t(this.editing ? 'field.editTitle' : 'field.changeTitle')));

    if (base.blockedBy && !this.editing) {
      parts.push(el('p', 'serat-lapangan__hint', t('field.blocked')));
      placeChildren(form, parts);
      return form;
    }
    if (!isStatus(base.status) || base.status === 'decommissioned') {
      parts.push(el('p', 'serat-lapangan__hint', t('field.final')));
      placeChildren(form, parts);
      return form;
    }
    if (base.basedOnQueued) parts.push(el('p', 'serat-lapangan__hint', t('field.basedOnQueued', { status: statusLabel(base.status) })));

    const from = base.status;
    const next = nextStage(from);
    // Damage is never offered as a stage: it has its own action below.
    const options = NETWORK_STATUSES.filter((status) => status !== next && status !== 'damaged' && judgeMove(from, status).allowed);
    const chosenOther = this.chosen && this.chosen !== next && this.chosen !== 'damaged' ? this.chosen : null;

    // The next stage: one big button, the usual move.
    if (next) {
      const shown = `${from}>${next}:${getLang()}`;
      if (this.nextShown !== shown) {
        // Only when it changes: replacing its insides could swallow a tap in progress.
        const arrow = el('span', 'serat-lapangan__next-arrow', '→');
        arrow.setAttribute('aria-hidden', 'true');
        this.nextButton.replaceChildren(chip(from), arrow, chip(next));
        this.nextButton.title = t('field.nextHint', { status: statusLabel(next) });
        this.nextShown = shown;
      }
      this.nextButton.dataset.status = next;
      this.nextButton.setAttribute('aria-pressed', String(this.chosen === next));
      parts.push(el('div', 'serat-lapangan__label', t('field.nextStage')), this.nextButton);
    }

    // The rest behind "other status", each saying whether it needs a note.
    if (chosenOther) this.other.open = true;
    this.otherSummary.textContent = t('field.otherStatus');
    this.otherLabel.textContent = t('field.otherStatus');
    const otherShown = `${from}:${getLang()}`;
    if (this.otherShown !== otherShown) {
      // Only when they change: an open list would close under the finger.
      this.otherSelect.replaceChildren(new Option(t('field.chooseOther'), ''));
      for (const status of options) {
        const verdict = judgeMove(from, status);
        const text = verdict.allowed && verdict.needsReason ? t('field.needsNote', { status: statusLabel(status) }) : statusLabel(status);
        this.otherSelect.append(new Option(text, status));
      }
      this.otherShown = otherShown;
    }
    this.otherSelect.value = chosenOther ?? '';
    parts.push(this.other);

    // Reporting damage: a separate, clearly marked action, only where the server allows it (active).
    if (judgeMove(from, 'damaged').allowed) {
      const damage = el('div', 'serat-lapangan__damage-row');
      damage.dataset.testid = 'field-damage';
      this.damageButton.textContent = t('field.reportDamage');
      this.damageButton.setAttribute('aria-pressed', String(this.chosen === 'damaged'));
      damage.append(
        el('div', 'serat-lapangan__label', t('field.damage')),
        this.damageButton,
        el('p', 'serat-lapangan__hint', t('field.reportDamageHint', { status: statusLabel('damaged') })),
      );
      parts.push(damage);
    }

    const verdict = this.chosen && isStatus(this.chosen) ? judgeMove(from, this.chosen) : null;
    const needsNote = !!verdict && verdict.allowed && verdict.needsReason;

    const noteLabel = el('label', 'serat-lapangan__label', t(needsNote ? 'field.noteRequiredLabel' : 'field.note'));
    noteLabel.htmlFor = this.noteInput.id;
    this.noteInput.placeholder = t(needsNote ? 'field.notePlaceholderReason' : this.chosen === 'damaged' ? 'field.notePlaceholderDamage' : 'field.notePlaceholder');
    this.noteInput.required = needsNote;
    this.noteInput.setAttribute('aria-invalid', String(this.formMessage?.key === 'field.noteRequired'));
    parts.push(noteLabel, this.noteInput);

    // Evidence.
    const evidence: Array<HTMLElement | null> = [];
    if (this.chosen && EXPECTED_EVIDENCE[this.chosen]) {
      evidence.push(el('p', 'serat-lapangan__hint', t('field.evidenceHint', { status: statusLabel(this.chosen), evidence: this.evidenceText(this.chosen) })));
    }
    this.photoLabelText.textContent = t(this.photos.length + this.shrinking.length ? 'field.photoAnother' : 'field.photo');
    evidence.push(this.photoInput, this.photoLabel);
    if (this.photos.length || this.shrinking.length) {
      // Tiles are kept across renders (a result arriving must not swallow a tap on ×).
      const lang = getLang();
      const tiles = [
        ...this.photos.map((photo) =>
          this.reuse(`photo:${photo.key}`, JSON.stringify(['ready', photo.blob.size, photo.originalBytes ?? null, lang]), () => this.renderPhoto(photo)),
        ),
        ...this.shrinking.map((photo) => this.reuse(`photo:${photo.key}`, JSON.stringify(['shrinking', lang]), () => this.renderShrinkingPhoto(photo.key))),
      ];
      this.photoRow.dataset.testid = 'field-photos';
      placeChildren(this.photoRow, tiles);
      evidence.push(this.photoRow);
    }

    const gpsRow = el('div', 'serat-lapangan__gps');
    if (this.gps) {
      const text = el('span', 'serat-lapangan__gps-text', t('field.gpsAttached', { accuracy: formatDistance(this.gps.accuracyM) }));
      text.dataset.testid = 'field-gps-attached';
      const remove = button('serat-lapangan__link', t('field.gpsRemove'));
      remove.addEventListener('click', () => {
        this.gps = null;
        this.render();
      });
      gpsRow.append(pinIcon(), text, remove);
    } else {
      this.gpsButtonText.textContent = t(this.gpsBusy ? 'field.locating' : 'field.gps');
      this.gpsButton.disabled = this.gpsBusy;
      gpsRow.append(this.gpsButton);
    }
    evidence.push(gpsRow);

    if (this.chosen === 'tested' || this.otdrLength.value || this.otdrLoss.value) {
      this.otdrLegend.textContent = t('field.otdr');
      for (const [label, key] of this.otdrLabels) label.textContent = t(key);
      evidence.push(this.otdr);
    }
    placeChildren(this.evidence, evidence);
    parts.push(this.evidence);

    if (this.formMessage && this.formMessage.kind !== 'ok') parts.push(this.messageBox(this.formMessage, 'field-form-message'));

    const actions = el('div', 'serat-lapangan__actions');
    this.saveLabel.textContent = this.saving
      ? t('field.saving')
      : this.shrinking.length
        ? t('field.photoShrinking')
        : this.confirmNoEvidence
          ? t('field.saveAnyway')
          : this.chosen
            ? t('field.saveTo', { status: statusLabel(this.chosen) })
            : t('field.save');
    this.saveButton.disabled = this.saving || !this.chosen || this.shrinking.length > 0;
    actions.append(this.saveButton);
    if (this.editing) {
      this.cancelButton.textContent = t('field.cancelEdit');
      actions.append(this.cancelButton);
    }
    parts.push(actions);
    if (!navigator.onLine) parts.push(el('p', 'serat-lapangan__hint', t('field.offlineSaveHint')));
    placeChildren(form, parts);
    return form;
  }

  private renderHistory(): HTMLElement {
    const section = el('section', 'serat-lapangan__history');
    section.dataset.testid = 'field-history';
    section.append(el('h3', 'serat-lapangan__section-title', t('field.history')));
    const history = this.history;
    if (history.state === 'loading' || history.state === 'idle') {
      section.append(el('p', 'serat-lapangan__hint', t('field.loading')));
      return section;
    }
    if (history.state === 'failed') {
      section.append(el('p', 'serat-lapangan__hint', t(history.offline ? 'field.historyOffline' : 'field.historyFailed')));
      return section;
    }
    if (history.offline) section.append(el('p', 'serat-lapangan__hint', t('field.historyCached')));
    if (!history.value.length) {
      section.append(el('p', 'serat-lapangan__hint', t('field.historyEmpty')));
      return section;
    }
    const list = el('ol', 'serat-lapangan__timeline');
    for (const entry of history.value) {
      const item = el('li', 'serat-lapangan__event');
      item.dataset.testid = 'field-history-entry';
      const move = el('div', 'serat-lapangan__event-move');
      if (entry.fromStatus) {
        const arrow = el('span', 'serat-lapangan__next-arrow', '→');
        arrow.setAttribute('aria-hidden', 'true');
        move.append(chip(entry.fromStatus), arrow);
      }
      move.append(chip(entry.toStatus));
      item.append(move);
      const who = [formatDateTimeWib(entry.changedAt), historyByline(entry)].filter(Boolean).join(' · ');
      const meta = el('div', 'serat-lapangan__event-meta', who);
      meta.dataset.testid = 'field-history-meta';
      item.append(meta);
      if (entry.deviceTime && Math.abs(Date.parse(entry.deviceTime) - Date.parse(entry.changedAt)) > 60_000) {
        item.append(el('div', 'serat-lapangan__event-meta', t('field.deviceTime', { time: formatDateTimeWib(entry.deviceTime) })));
      }
      const note = historyNote(entry);
      if (note) item.append(el('p', 'serat-lapangan__event-note', note));
      const evidence: string[] = [];
      if (entry.gps) {
        evidence.push(
          entry.gps.accuracyM === null || entry.gps.accuracyM === undefined
            ? t('field.historyGps')
            : t('field.historyGpsAccuracy', { accuracy: formatDistance(Number(entry.gps.accuracyM)) }),
        );
      }
      if (entry.otdr) {
        evidence.push(
          t('field.historyOtdr', {
            length: formatNumber(Number(entry.otdr.lengthM), 1),
            loss: formatNumber(Number(entry.otdr.lossDb), 2),
          }),
        );
      }
      if (evidence.length) item.append(el('div', 'serat-lapangan__event-meta', evidence.join(' · ')));
      if (entry.photoIds?.length) {
        const photos = el('div', 'serat-lapangan__event-photos');
        for (const id of entry.photoIds) {
          const link = el('a', 'serat-lapangan__thumb');
          link.href = fieldApi.photoUrl(id);
          link.target = '_blank';
          link.rel = 'noopener';
          const img = el('img');
          img.src = fieldApi.thumbnailUrl(id);
          img.alt = t('field.photoAlt');
          img.loading = 'lazy';
          img.dataset.testid = 'field-history-photo';
          link.append(img);
          photos.append(link);
        }
        item.append(photos);
      }
      list.append(item);
    }
    section.append(list);
    return section;
  }

  /** "Menunggu sinkron (N)": every queued change, with what became of it and what can be done. */
  private renderOutboxList(items: readonly OutboxItem[], withTitle: boolean): HTMLElement {
    const section = el('section', 'serat-lapangan__outbox');
    section.dataset.testid = withTitle ? 'outbox-list' : 'outbox-list-target';
    if (withTitle) {
      const title = el('h3', 'serat-lapangan__section-title', t('outbox.title', { count: items.length }));
      title.dataset.testid = 'outbox-title';
      section.append(title);
      if (this.outbox.unavailable) section.append(this.messageBox({ key: 'outbox.unavailable', kind: 'error' }));
      if (!items.length) {
        section.append(el('p', 'serat-lapangan__hint', t('outbox.empty')));
        return section;
      }
    }
    const list = el('ul', 'serat-lapangan__list');
    const blocked = new Set<string>();
    for (const item of this.outbox.items()) {
      const waiting = blocked.has(item.targetId);
      if (item.state !== 'pending' || waiting) blocked.add(item.targetId);
      if (!items.includes(item)) continue;
      const signature = JSON.stringify([
        item.state,
        item.problem,
        item.theirs,
        item.fromStatus,
        item.toStatus,
        item.baseVersion,
        item.note,
        item.deviceTime,
        item.photos.length,
        photoBytes(item),
        !!item.gps,
        !!item.otdr,
        waiting,
        navigator.onLine,
        this.outbox.syncing,
        this.armedDiscard === item.id,
        getLang(),
      ]);
      list.append(this.reuse(`outbox:${withTitle}:${item.id}`, signature, () => this.renderOutboxItem(item, waiting, withTitle)));
    }
    section.append(list);
    return section;
  }

  private renderOutboxItem(item: OutboxItem, waiting: boolean, withOpen: boolean): HTMLElement {
    const li = el('li', `serat-outbox-item serat-outbox-item--${item.state}`);
    li.dataset.testid = 'outbox-item';
    li.dataset.state = item.state;
    li.dataset.code = item.code;

    const top = el('div', 'serat-outbox-item__top');
    top.append(el('span', 'serat-outbox-item__code', item.code));
    const move = el('span', 'serat-outbox-item__move');
    const arrow = el('span', 'serat-lapangan__next-arrow', '→');
    arrow.setAttribute('aria-hidden', 'true');
    move.append(chip(item.fromStatus), arrow, chip(item.toStatus));
    top.append(move);
    li.append(top);

    const facts = [t('outbox.savedAt', { time: formatDateTimeWib(item.deviceTime) })];
    // What sending costs over the phone's connection.
    if (item.photos.length) facts.push(t('outbox.photos', { count: item.photos.length, size: formatBytes(photoBytes(item)) }));
    if (item.gps) facts.push(t('outbox.gps'));
    if (item.otdr) facts.push(t('outbox.otdr'));
    li.append(el('div', 'serat-outbox-item__meta', facts.join(' · ')));
    if (item.note) li.append(el('p', 'serat-outbox-item__note', item.note));

    const status = el('div', 'serat-outbox-item__status');
    status.dataset.testid = 'outbox-item-status';
    const actions = el('div', 'serat-outbox-item__actions');
    const discard = button(
      'serat-button serat-button--secondary serat-button--danger',
      t(this.armedDiscard === item.id ? 'outbox.discardConfirm' : 'outbox.discard'),
      'outbox-discard',
    );
    discard.addEventListener('click', () => this.discard(item));

    if (item.state === 'conflict') {
      status.append(el('strong', undefined, t('outbox.conflict')));
      const compare = el('div', 'serat-outbox-compare');
      compare.dataset.testid = 'outbox-conflict';
      const theirs = el('div', 'serat-outbox-compare__side serat-outbox-compare__side--theirs');
      theirs.dataset.testid = 'outbox-theirs';
      theirs.append(el('div', 'serat-outbox-compare__label', t('outbox.theirs')));
      if (item.theirs) {
        theirs.append(chip(item.theirs.status), el('div', 'serat-outbox-compare__meta', t('field.version', { version: item.theirs.version })));
        const by = [item.theirs.changedBy, item.theirs.changedAt ? formatDateTimeWib(item.theirs.changedAt) : null].filter(Boolean).join(' · ');
        if (by) theirs.append(el('div', 'serat-outbox-compare__meta', by));
        if (item.theirs.note) theirs.append(el('p', 'serat-outbox-compare__note', item.theirs.note));
      } else {
        theirs.append(el('div', 'serat-outbox-compare__meta', t('outbox.theirsUnknown')));
      }
      const mine = el('div', 'serat-outbox-compare__side serat-outbox-compare__side--mine');
      mine.dataset.testid = 'outbox-mine';
      mine.append(
        el('div', 'serat-outbox-compare__label', t('outbox.mine')),
        chip(item.toStatus),
        el('div', 'serat-outbox-compare__meta', t('outbox.basedOn', { status: statusLabel(item.fromStatus), version: item.baseVersion })),
      );
      compare.append(theirs, mine);
      status.append(compare);
      // Typically an answer lost on the way back: the change did reach the server.
      if (item.theirs?.status === item.toStatus) status.append(el('p', 'serat-outbox-item__problem', t('outbox.sameAsMine')));
      if (item.theirs) {
        const apply = button('serat-button serat-button--primary', t('outbox.applyMine'), 'outbox-apply-mine');
        apply.addEventListener('click', () => void this.outbox.applyMineOnTop(item.id));
        actions.append(apply);
      }
      actions.append(discard);
    } else if (item.state === 'rejected') {
      status.append(el('strong', undefined, t('outbox.rejected')));
      status.append(el('p', 'serat-outbox-item__problem', this.problemText(item)));
      const edit = button('serat-button serat-button--secondary', t('outbox.edit'), 'outbox-edit');
      edit.addEventListener('click', () => this.startEdit(item));
      actions.append(edit, discard);
    } else {
      let key: MessageKey;
      if (waiting) key = 'outbox.waitingEarlier';
      else if (!navigator.onLine) key = 'outbox.waitingNetwork';
      else if (this.outbox.syncing) key = 'outbox.sending';
      else if (item.problem?.kind === 'auth') key = 'outbox.waitingSignIn';
      else if (item.problem?.kind === 'server') key = 'outbox.waitingServer';
      else if (item.problem?.kind === 'network') key = 'outbox.waitingNetwork';
      else key = 'outbox.queued';
      status.append(el('span', undefined, t(key)));
      if (item.problem?.kind === 'server' && item.problem.message && item.problem.lang === getLang()) {
        status.append(el('p', 'serat-outbox-item__problem', item.problem.message));
      }
      actions.append(discard);
    }
    li.append(status);
    if (withOpen) {
      const open = button('serat-button serat-button--secondary', t('outbox.open'), 'outbox-open');
      open.addEventListener('click', () => this.openTarget({ subject: item.subject, id: item.targetId }));
      actions.prepend(open);
    }
    li.append(actions);
    return li;
  }

  private problemText(item: OutboxItem): string {
    const problem = item.problem;
    if (!problem) return '';
    if (problem.message && problem.lang === getLang()) return problem.message;
    const known: Record<string, MessageKey> = {
      INVALID_TRANSITION: 'outbox.problem.transition',
      REASON_REQUIRED: 'outbox.problem.reason',
      EVIDENCE_REQUIRED: 'outbox.problem.evidence',
      OUT_OF_AREA: 'outbox.problem.area',
      PHOTO_INVALID: 'outbox.problem.photo',
      PHOTO_TOO_LARGE: 'outbox.problem.photo',
      PHOTO_NOT_USABLE: 'outbox.problem.photo',
      NOT_FOUND: 'outbox.problem.notFound',
    };
    const key = (problem.code && known[problem.code]) || 'outbox.problem.other';
    return t(key, { status: problem.httpStatus ?? '?' });
  }

  private messageBox(message: Message, testId = 'field-message'): HTMLElement {
    const box = el('div', `serat-lapangan__message serat-lapangan__message--${message.kind}`);
    box.dataset.testid = testId;
    box.setAttribute('role', message.kind === 'error' ? 'alert' : 'status');
    const server = message.server && message.server.lang === getLang() ? message.server.text : null;
    box.textContent = server ?? t(message.key, message.params);
    return box;
  }
}

/** The bytes of an item's photos, as queued. */
function photoBytes(item: OutboxItem): number {
  return item.photos.reduce((sum, photo) => sum + photo.blob.size, 0);
}

function isNetwork(error: unknown): boolean {
  return error instanceof ApiError && error.reason === 'network';
}

// ----------------------------------------------------------------------------------- icons

const SVG_NS = 'http://www.w3.org/2000/svg';

function icon(paths: string[], size = 18): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'serat-icon');
  for (const d of paths) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '2');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
    svg.append(path);
  }
  return svg;
}

const pinIcon = () => icon(['M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21z', 'M12 12.2a2.7 2.7 0 1 0 0-5.4 2.7 2.7 0 0 0 0 5.4z']);
const cameraIcon = () => icon(['M4 8h3l2-3h6l2 3h3v11H4z', 'M12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z']);
/** A hard hat: the field worker's panel. */
const fieldIcon = () => icon(['M2.5 17.5h19', 'M4.5 17.5v-2a7.5 7.5 0 0 1 15 0v2', 'M9.5 8.5V6h5v2.5', 'M12 6v4'], 22);
