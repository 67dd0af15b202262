/**
 * The planner's tools ("Perencana"), for admin and planner only: importing a file of network
 * data (upload with a saved mapping template, analysis with a progress bar, summary, the mapping
 * of the file's columns to Serat fields with "analyse again" and "save as template", report,
 * then commit) and the list of recent imports, exporting the network, drawing a new segment and
 * moving a node on the map.
 * All text via t() and textContent.
 */
import * as L from 'leaflet';
import {
  ApiError,
  editApi,
  IMPORT_FIELDS,
  plannerApi,
  type ImportAnalysis,
  type ImportField,
  type ImportJob,
  type ImportMapping,
  type ImportReportRow,
  type ImportState,
  type ImportTemplate,
  type NodeRecord,
} from '../../shared/api';
import { formatDateTimeWib, formatKm, formatMetres, formatNumber } from '../../shared/format';
import { distanceM } from '../../map/geo';
import { nodeKindLabel, onLangChange, placementLabel, statusLabel, t, tierLabel, type MessageKey } from '../../shared/i18n';
import { el } from '../../shared/ui';
import { NETWORK_STATUSES, PLANNER_ROLES, SEGMENT_PLACEMENTS } from '../../shared/vocabulary';

const POLL_MS = 1000;
const REPORT_PAGE = 20;
/** Recent imports shown at first, and added by each "more" (a page of the api's list). */
const RECENT_PAGE = 20;
const MAX_FILE_BYTES = 50 * 1024 * 1024;
const BUSY_STATES: readonly ImportState[] = ['queued', 'analysing', 'committing'];

export interface PlannerHost {
  map: L.Map;
  /** The kecamatan for the export filter: code and name. */
  kecamatans(): Array<{ code: string; name: string }>;
  /** Read the map's layers again after the network changed (new features). */
  reload(): void;
  /** Read every layer again (geometry of known features changed). */
  reloadAll(): void;
  /** The loaded nodes, for choosing one to move. */
  nodes(): Array<{ id: string; code: string; version: number; lon: number; lat: number }>;
  /** The signed-in user's id (to say "you" in the list of imports). */
  userId(): string | null;
  /** A node as the server has it now (after a conflict): draw it there. */
  nodeStored(record: NodeRecord): void;
  nodeRemoved(id: string): void;
}

function button(className: string, testId?: string): HTMLButtonElement {
  const b = el('button', className);
  b.type = 'button';
  if (testId) b.dataset.testid = testId;
  return b;
}

/** What went wrong, in the reader's language: the server's own message when it gave one. */
function problemText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.httpStatus === 413) return t('planner.tooLarge');
    if (error.code === 'QUEUE_UNAVAILABLE') return t('planner.queueUnavailable');
    if (error.serverMessage) return error.serverMessage;
    if (error.reason === 'network') return t('error.network');
    if (error.reason === 'invalid') return t('error.invalid');
    return t('error.http', { status: error.httpStatus ?? '?' });
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * A reason or warning code from the importer, translated when known, else shown as it is. A
 * detail `from→to` (a status kept, `status_kept_backwards:active→planned`) names both statuses
 * in the reader's language.
 */
export function importReasonText(code: string): string {
  const [head, ...rest] = code.split(':');
  const key = `importReason.${head}` as MessageKey;
  const known = t(key);
  if (known === key) return code;
  if (!rest.length) return known;
  const detail = rest.join(':');
  const move = /^([a-z_]+)→([a-z_]+)$/.exec(detail);
  return t(key, move ? { detail, from: statusLabel(move[1]), to: statusLabel(move[2]) } : { detail });
}

/**
 * A file-level failure of an import (its error code), translated when known; an internal error
 * (or none named) says so in general words.
 */
function importErrorText(code: string | null): string {
  if (!code) return t('importError.INTERNAL');
  const key = `importError.${code}` as MessageKey;
  const known = t(key);
  return known === key ? code : known;
}

/** Whether the server's raw message is worth showing: only for a code without a translation, never an internal error. */
function importErrorRaw(code: string | null): boolean {
  if (!code || code === 'INTERNAL') return false;
  const key = `importError.${code}` as MessageKey;
  return t(key) === key;
}

/**
 * The planner's choices in the mapping step, made from a dry run's analysis: per field the list of
 * properties to read it from (as the analysis used it until the planner chooses one column, or
 * none), and a Serat value (or the default) per status and placement word.
 */
interface MappingDraft {
  /** The import and version it was made from: a new analysis makes a new draft. */
  key: string;
  /**
   * What is sent per field: the analysis' own list (a template's or the options' several columns,
   * or the defaults when the mapping leaves the field out) until the planner chooses, then the
   * chosen column (`[]` for none).
   */
  fields: Record<ImportField, string[] | undefined>;
  /** The lists the analysis used, to go back to. */
  analysed: Record<ImportField, string[] | undefined>;
  statusWords: Array<{ word: string; count: number | null; value: string }>;
  placementWords: Array<{ word: string; count: number | null; value: string }>;
  /** The mapping as the analysis used it, to tell whether the planner changed something. */
  initial: string;
}

/** A mapping names properties and words in at most 80 characters (the api's mappingSchema). */
const MAPPING_NAME_MAX = 80;

/**
 * A property name the analysis cut short ("…" at 80 characters): no feature has a column of that
 * name, so choosing it would read nothing.
 */
function isCutName(name: string): boolean {
  return name.length >= MAPPING_NAME_MAX && name.endsWith('…');
}

/** The select's value standing for "as the analysis read it" (several columns, or the defaults). */
const ANALYSED = '\u0000analysed';

function draftMapping(draft: Pick<MappingDraft, 'fields' | 'statusWords' | 'placementWords'>): ImportMapping {
  const mapping: ImportMapping = {};
  // A field the planner left as analysed keeps the whole list (its other columns match the other
  // layers of the file); one left out by the analysis' mapping stays out (the defaults read it).
  for (const field of IMPORT_FIELDS) {
    const list = draft.fields[field];
    if (list) mapping[field] = [...list];
  }
  mapping.statusValues = chosenWords(draft.statusWords, NETWORK_STATUSES);
  mapping.placementValues = chosenWords(draft.placementWords, SEGMENT_PLACEMENTS);
  return mapping;
}

/** The words given a value of the vocabulary (the choice offers only those; none leaves the word to the default). */
function chosenWords<V extends string>(words: ReadonlyArray<{ word: string; value: string }>, vocabulary: readonly V[]): Record<string, V> {
  const chosen = (w: { word: string; value: string }): w is { word: string; value: V } => (vocabulary as readonly string[]).includes(w.value);
  return Object.fromEntries(words.filter(chosen).map((w) => [w.word, w.value]));
}

function makeDraft(key: string, analysis: ImportAnalysis): MappingDraft {
  const fields = {} as Record<ImportField, string[] | undefined>;
  const analysed = {} as Record<ImportField, string[] | undefined>;
  for (const field of IMPORT_FIELDS) {
    const used = analysis.mapping?.[field];
    analysed[field] = Array.isArray(used) ? used.filter((name): name is string => typeof name === 'string') : undefined;
    fields[field] = analysed[field] ? [...analysed[field]] : undefined;
  }
  const words = (unknown: Array<{ value: string; count: number }> | undefined, mapped: Record<string, string> | undefined) => {
    const out: MappingDraft['statusWords'] = [];
    const seen = new Set<string>();
    for (const [word, value] of Object.entries(mapped ?? {})) {
      if (seen.has(word.toLowerCase())) continue;
      seen.add(word.toLowerCase());
      out.push({ word, count: null, value });
    }
    for (const { value: word, count } of unknown ?? []) {
      if (seen.has(word.toLowerCase()) || word.length > MAPPING_NAME_MAX) continue;
      seen.add(word.toLowerCase());
      out.push({ word, count, value: '' });
    }
    return out;
  };
  const draft: MappingDraft = {
    key,
    fields,
    analysed,
    statusWords: words(analysis.unrecognised?.status, analysis.mapping?.statusValues),
    placementWords: words(analysis.unrecognised?.placement, analysis.mapping?.placementValues),
    initial: '',
  };
  draft.initial = JSON.stringify(draftMapping(draft));
  return draft;
}

/** Whether the draft says something else than the analysis used: applying would not apply what was shown. */
function draftChanged(draft: MappingDraft): boolean {
  return JSON.stringify(draftMapping(draft)) !== draft.initial;
}

const ACTION_ORDER: Record<string, number> = { reject: 0, create: 1, update: 2, unchanged: 3 };

export class PlannerTools {
  readonly root = el('section', 'serat-planner');
  readonly opener = button('serat-planner-fab', 'planner-open');
  private readonly head = el('div', 'serat-lapangan__head');
  private readonly title = el('h2', 'serat-lapangan__title');
  private readonly closeButton = button('serat-lapangan__icon-button', 'planner-close');
  private readonly body = el('div', 'serat-lapangan__body');
  private enabled = false;
  private isOpen = false;

  // Import
  private readonly importPanel = el('div', 'serat-planner__section');
  private readonly importTitle = el('h3', 'serat-planner__heading');
  private readonly fileLabel = el('label', 'serat-field__label');
  /**
   * The real file input, visually hidden but focusable and labelled: the browser's own button
   * and "No file chosen" are in the browser's language, so a translated label stands in for them.
   */
  private readonly fileInput = el('input', 'serat-visually-hidden serat-file-input');
  private readonly fileButton = el('label', 'serat-button serat-button--secondary serat-planner__file-button');
  private readonly fileName = el('span', 'serat-planner__file-name');
  private readonly templateLabel = el('label', 'serat-field__label');
  private readonly templateSelect = el('select', 'serat-input serat-planner__template');
  private templates: ImportTemplate[] | null = null;
  private templatesError: string | null = null;
  private readonly regionLabel = el('label', 'serat-planner__check');
  private readonly regionCheck = el('input');
  private readonly regionText = el('span');
  private readonly submitButton = button('serat-button serat-button--primary', 'import-submit');
  private readonly importStatus = el('div', 'serat-planner__status');
  private readonly commitButton = button('serat-button serat-button--primary', 'import-commit');
  private readonly newImportButton = button('serat-button serat-button--secondary', 'import-new');
  /** Why "apply" waits: the mapping was changed and not analysed again. */
  private readonly commitHint = el('p', 'serat-planner__hint serat-planner__commit-hint');
  private job: ImportJob | null = null;
  private importError: string | null = null;
  private uploading = false;
  private committing = false;
  private pollTimer = 0;
  private pollGeneration = 0;
  private report: { offset: number; total: number; rows: ImportReportRow[] } | null = null;
  private reportError: string | null = null;
  private reloadedFor: string | null = null;
  // The mapping step, after a dry run.
  private readonly mappingSection = el('details', 'serat-planner__mapping');
  private mappingOpen = true;
  private draft: MappingDraft | null = null;
  private reanalysing = false;
  private retrying = false;
  private readonly templateName = el('input', 'serat-input');
  private savingTemplate = false;
  private templateMessage: { text: string; error: boolean } | null = null;
  private readonly recentSection = el('div', 'serat-planner__recent');
  private recent: ImportJob[] | null = null;
  /** The cursor of the page after the loaded ones; null when all are loaded. */
  private recentNext: string | null = null;
  private recentError: string | null = null;
  private recentLoading = false;
  private recentGeneration = 0;

  // Export
  private readonly exportMenu = el('div', 'serat-planner__section');
  private readonly exportTitle = el('h3', 'serat-planner__heading');
  private readonly exportArea = el('select', 'serat-input');
  private readonly exportStatus = el('select', 'serat-input');
  private readonly exportButtons = el('div', 'serat-planner__downloads');
  private readonly exportMessage = el('p', 'serat-planner__message');
  private exporting: string | null = null;

  // Drawing
  private readonly drawSection = el('div', 'serat-planner__section');
  private readonly drawTitle = el('h3', 'serat-planner__heading');
  private readonly drawButton = button('serat-button serat-button--secondary', 'draw-segment');
  private readonly drawBar = el('div', 'serat-planner-drawbar');
  private readonly drawLength = el('span', 'serat-planner-drawbar__length');
  private readonly drawFinish = button('serat-button serat-button--primary', 'draw-finish');
  private readonly drawCancel = button('serat-button serat-button--secondary', 'draw-cancel');
  private readonly segmentForm = el('form', 'serat-planner__form');
  private readonly codeInput = el('input', 'serat-input');
  private readonly placementSelect = el('select', 'serat-input');
  private readonly coresInput = el('input', 'serat-input');
  private readonly saveButton = button('serat-button serat-button--primary', 'segment-save');
  private readonly formCancel = button('serat-button serat-button--secondary', 'segment-cancel');
  private readonly editError = el('p', 'serat-planner__message serat-planner__message--error');
  private readonly drawMessage = el('p', 'serat-planner__message');
  private drawing = false;
  // Moving a node: pick it, click its new place, confirm.
  private readonly moveButton = button('serat-button serat-button--secondary', 'move-node');
  private readonly moveBar = el('div', 'serat-planner-drawbar');
  private readonly moveSave = button('serat-button serat-button--primary', 'move-save');
  private readonly moveCancel = button('serat-button serat-button--secondary', 'move-cancel');
  private readonly moveError = el('p', 'serat-planner__message serat-planner__message--error');
  private moveMode: 'none' | 'pick' | 'place' = 'none';
  private moveNode: { id: string; code: string; version: number; lon: number; lat: number } | null = null;
  private moveTo: L.LatLng | null = null;
  private moving = false;
  private points: L.LatLng[] = [];
  private cursor: L.LatLng | null = null;
  private readonly preview = L.layerGroup();
  private saving = false;

  constructor(
    parent: HTMLElement,
    private readonly host: PlannerHost,
  ) {
    this.root.hidden = true;
    this.root.dataset.testid = 'planner-panel';
    this.root.setAttribute('role', 'dialog');
    this.opener.hidden = true;
    this.drawBar.hidden = true;
    this.drawBar.dataset.testid = 'draw-bar';
    this.closeButton.textContent = '×';
    this.closeButton.addEventListener('click', () => this.close());
    this.opener.addEventListener('click', () => this.open());
    this.head.append(this.title, this.closeButton);
    this.root.append(this.head, this.body);
    this.body.append(this.importPanel, this.exportMenu, this.drawSection);
    L.DomEvent.disableClickPropagation(this.drawBar);
    L.DomEvent.disableClickPropagation(this.moveBar);
    this.moveBar.hidden = true;
    this.moveBar.dataset.testid = 'move-bar';
    this.moveError.dataset.testid = 'move-error';
    this.moveError.setAttribute('role', 'alert');
    this.moveButton.addEventListener('click', () => this.startMove());
    this.moveSave.addEventListener('click', () => void this.saveMove());
    this.moveCancel.addEventListener('click', () => this.cancelMove());
    parent.append(this.root, this.opener, this.drawBar, this.moveBar);

    // Import
    this.importPanel.dataset.testid = 'import-panel';
    this.recentSection.dataset.testid = 'import-recent';
    this.fileInput.type = 'file';
    this.fileInput.id = 'serat-import-file';
    this.fileInput.accept = '.geojson,.json,.kml,.kmz,.csv,.zip';
    this.fileInput.dataset.testid = 'import-file';
    this.fileLabel.htmlFor = this.fileInput.id;
    this.fileButton.htmlFor = this.fileInput.id;
    this.fileButton.dataset.testid = 'import-file-button';
    this.fileName.dataset.testid = 'import-file-name';
    this.fileInput.addEventListener('change', () => {
      this.importError = null;
      this.renderImport();
    });
    this.templateSelect.id = 'serat-import-template';
    this.templateSelect.dataset.testid = 'import-template';
    this.templateLabel.htmlFor = this.templateSelect.id;
    this.mappingSection.dataset.testid = 'import-mapping';
    this.mappingSection.addEventListener('toggle', () => {
      this.mappingOpen = this.mappingSection.open;
    });
    this.templateName.id = 'serat-import-template-name';
    this.templateName.maxLength = 100;
    this.templateName.dataset.testid = 'import-template-name';
    this.regionCheck.type = 'checkbox';
    this.regionCheck.checked = true;
    this.regionCheck.dataset.testid = 'import-region-check';
    this.regionLabel.append(this.regionCheck, this.regionText);
    this.submitButton.addEventListener('click', () => void this.upload());
    this.commitButton.addEventListener('click', () => void this.commit());
    this.commitHint.id = 'serat-import-commit-hint';
    this.commitHint.dataset.testid = 'import-commit-blocked';
    this.commitButton.setAttribute('aria-describedby', this.commitHint.id);
    this.newImportButton.addEventListener('click', () => this.resetImport());

    // Export
    this.exportMenu.dataset.testid = 'export-menu';
    this.exportArea.dataset.testid = 'export-area';
    this.exportStatus.dataset.testid = 'export-status';

    // Drawing
    this.drawButton.addEventListener('click', () => this.startDrawing());
    this.drawFinish.addEventListener('click', () => this.finishDrawing());
    this.drawCancel.addEventListener('click', () => this.cancelDrawing());
    this.segmentForm.dataset.testid = 'segment-form';
    this.segmentForm.hidden = true;
    this.segmentForm.noValidate = true;
    this.segmentForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.saveSegment();
    });
    this.saveButton.type = 'submit';
    this.formCancel.addEventListener('click', () => this.cancelDrawing());
    this.codeInput.id = 'serat-segment-code';
    this.codeInput.maxLength = 64;
    this.codeInput.dataset.testid = 'segment-code';
    this.coresInput.id = 'serat-segment-cores';
    this.coresInput.type = 'number';
    this.coresInput.min = '1';
    this.coresInput.max = '864';
    this.coresInput.inputMode = 'numeric';
    this.coresInput.dataset.testid = 'segment-cores';
    this.placementSelect.id = 'serat-segment-placement';
    this.placementSelect.dataset.testid = 'segment-placement';
    this.editError.dataset.testid = 'edit-error';
    this.editError.setAttribute('role', 'alert');
    this.editError.hidden = true;

    this.onMapClick = this.onMapClick.bind(this);
    this.onMapDblClick = this.onMapDblClick.bind(this);
    this.onMapMove = this.onMapMove.bind(this);
    this.onMoveClick = this.onMoveClick.bind(this);
    // While drawing or moving, a click on a segment or node is a position, not a popup.
    this.onPopupOpen = () => window.setTimeout(() => this.host.map.closePopup(), 0);
    onLangChange(() => this.render());
    this.render();
  }

  /** Shown only to admin and planner. */
  setRole(role: string | null): void {
    this.enabled = !!role && PLANNER_ROLES.includes(role);
    if (!this.enabled) {
      this.close();
      this.cancelDrawing();
      this.cancelMove();
      this.resetImport();
      this.recentGeneration += 1;
      this.recent = null;
      this.recentNext = null;
      this.recentError = null;
      this.recentLoading = false;
      this.templates = null;
    }
    this.opener.hidden = !this.enabled || this.isOpen;
    this.render();
  }

  open(): void {
    if (!this.enabled) return;
    this.isOpen = true;
    this.root.hidden = false;
    this.opener.hidden = true;
    document.body.dataset.plannerOpen = 'true';
    this.render();
    void this.loadRecent();
    void this.loadTemplates();
  }

  close(): void {
    this.isOpen = false;
    this.root.hidden = true;
    this.opener.hidden = !this.enabled || this.drawing || this.moveMode !== 'none';
    delete document.body.dataset.plannerOpen;
  }

  private render(): void {
    this.opener.textContent = t('planner.open');
    this.opener.title = t('planner.openHint');
    this.title.textContent = t('planner.title');
    this.closeButton.setAttribute('aria-label', t('planner.close'));
    this.closeButton.title = t('planner.close');
    this.root.setAttribute('aria-label', t('planner.title'));
    this.renderImport();
    this.renderExport();
    this.renderDraw();
  }

  // -------------------------------------------------------------------------------------------
  // Import

  private renderImport(): void {
    this.importTitle.textContent = t('import.title');
    this.fileLabel.textContent = t('import.file');
    this.fileButton.textContent = t('import.chooseFile');
    const chosen = this.fileInput.files?.[0];
    this.fileName.textContent = chosen ? chosen.name : t('import.noFile');
    this.fileName.classList.toggle('serat-planner__file-name--none', !chosen);
    this.regionText.textContent = t('import.regionCheck');
    this.submitButton.textContent = this.uploading ? t('import.uploading') : t('import.submit');
    const job = this.job;
    const busy = this.uploading || (!!job && BUSY_STATES.includes(job.state));
    this.submitButton.disabled = busy || !this.fileInput.files?.length;
    this.fileInput.disabled = busy;
    this.regionCheck.disabled = busy;
    this.templateSelect.disabled = busy;
    this.renderTemplateSelect();
    this.renderCommitButton();
    this.newImportButton.textContent = t('import.another');
    this.newImportButton.hidden = !job || busy;

    const status: Node[] = [];
    if (this.importError) {
      const error = el('p', 'serat-planner__message serat-planner__message--error', this.importError);
      error.setAttribute('role', 'alert');
      error.dataset.testid = 'import-error';
      status.push(error);
    }
    if (job) {
      const state = el('p', `serat-planner__state serat-planner__state--${job.state}`);
      state.dataset.testid = 'import-state';
      state.dataset.state = job.state;
      state.setAttribute('role', 'status');
      state.append(el('strong', undefined, job.fileName ? `${job.fileName}: ` : ''), el('span', undefined, t(`importState.${job.state}` as MessageKey)));
      status.push(state);
      if (busy || job.state === 'committed' || job.state === 'ready') {
        const progress = Math.max(0, Math.min(100, Math.round(Number(job.progress) || 0)));
        const bar = el('div', 'serat-planner__progress');
        bar.dataset.testid = 'import-progress';
        bar.setAttribute('role', 'progressbar');
        bar.setAttribute('aria-valuemin', '0');
        bar.setAttribute('aria-valuemax', '100');
        bar.setAttribute('aria-valuenow', String(progress));
        bar.setAttribute('aria-label', t('import.progress'));
        const fill = el('div', 'serat-planner__progress-fill');
        fill.style.width = `${progress}%`;
        bar.append(fill, el('span', 'serat-planner__progress-text', `${progress}%`));
        status.push(bar);
      }
      if (job.state === 'failed') {
        const failed = el('p', 'serat-planner__message serat-planner__message--error');
        failed.dataset.testid = 'import-failure';
        if (job.errorCode) failed.dataset.code = job.errorCode;
        failed.append(el('strong', undefined, importErrorText(job.errorCode)));
        // The server's own words (English, at times SQL) only for a code the app has no text for.
        if (job.errorMessage && importErrorRaw(job.errorCode)) failed.append(el('span', undefined, ` — ${job.errorMessage}`));
        status.push(failed);
        const retry = button('serat-button serat-button--secondary', 'import-retry');
        retry.textContent = this.retrying ? t('import.retrying') : t('import.retry');
        retry.disabled = this.retrying || this.uploading;
        retry.addEventListener('click', () => void this.retry());
        status.push(retry);
      }
      const options = this.optionsElement(job);
      if (options) status.push(options);
      if (job.summary) status.push(this.summaryElement(job));
      const mapping = this.mappingElement(job);
      if (mapping) status.push(mapping);
      if (this.reportError) status.push(el('p', 'serat-planner__message serat-planner__message--error', this.reportError));
      if (this.report && this.report.total > 0) status.push(this.reportElement(this.report));
    }
    const buttons = el('div', 'serat-planner__buttons');
    buttons.append(this.submitButton, this.commitButton, this.newImportButton);
    const template = el('div', 'serat-planner__template-row');
    template.append(this.templateLabel, this.templateSelect);
    if (this.templatesError) template.append(el('p', 'serat-planner__message serat-planner__message--error', `${t('import.templatesFailed')} ${this.templatesError}`));
    const file = el('div', 'serat-planner__file');
    file.append(this.fileInput, this.fileButton, this.fileName);
    this.importPanel.replaceChildren(this.importTitle, this.fileLabel, file, template, this.regionLabel, buttons, this.commitHint, this.importStatus, this.recentSection);
    this.importStatus.replaceChildren(...status);
    this.renderRecent();
  }

  // -------------------------------------------------------------------------------------------
  // Recent imports: newest first; one opens in the report view above.

  /**
   * Reads the first page again (after an upload, when an import finished). Pages loaded with
   * "more" stay when the new first page reaches into them; otherwise the list starts over.
   */
  private async loadRecent(): Promise<void> {
    if (!this.enabled) return;
    await this.fetchRecent(null, (page) => {
      const old = this.recent ?? [];
      const last = page.imports[page.imports.length - 1];
      const joins = page.next !== null && last ? old.findIndex((job) => job.id === last.id) : -1;
      if (joins >= 0 && joins < old.length - 1) {
        const fresh = new Set(page.imports.map((job) => job.id));
        this.recent = [...page.imports, ...old.slice(joins + 1).filter((job) => !fresh.has(job.id))];
      } else {
        this.recent = page.imports;
        this.recentNext = page.next;
      }
    });
  }

  /** The next page of the list, after the loaded ones. */
  private async loadMoreRecent(): Promise<void> {
    const before = this.recentNext;
    if (!this.enabled || !before || this.recentLoading) return;
    await this.fetchRecent(before, (page) => {
      const known = new Set((this.recent ?? []).map((job) => job.id));
      this.recent = [...(this.recent ?? []), ...page.imports.filter((job) => !known.has(job.id))];
      this.recentNext = page.next;
    });
  }

  /** Reads one page of the list and lets `apply` place it; a newer read makes an older one's answer moot. */
  private async fetchRecent(before: string | null, apply: (page: Awaited<ReturnType<typeof plannerApi.recentImports>>) => void): Promise<void> {
    const generation = ++this.recentGeneration;
    this.recentLoading = true;
    this.renderRecent();
    try {
      const page = await plannerApi.recentImports(RECENT_PAGE, before);
      if (generation !== this.recentGeneration) return;
      apply(page);
      this.recentError = null;
    } catch (error) {
      if (generation !== this.recentGeneration) return;
      this.recentError = problemText(error);
    } finally {
      if (generation === this.recentGeneration) {
        this.recentLoading = false;
        this.renderRecent();
      }
    }
  }

  private importWho(job: ImportJob): string {
    const me = this.host.userId();
    if (job.createdBy && me && job.createdBy === me) return t('import.byYou');
    return job.createdByName || t('import.bySomeone');
  }

  private renderRecent(): void {
    const children: HTMLElement[] = [el('h4', 'serat-planner__subheading', t('import.recent'))];
    const list = this.recent;
    if (this.recentError) {
      const error = el('p', 'serat-planner__message serat-planner__message--error', `${t('import.recentFailed')} ${this.recentError}`);
      error.dataset.testid = 'import-recent-error';
      children.push(error);
    }
    if (!list && this.recentLoading) children.push(el('p', 'serat-planner__hint', t('import.recentLoading')));
    if (list && !list.length) children.push(el('p', 'serat-planner__hint', t('import.recentEmpty')));
    if (list?.length) {
      const ul = el('ul', 'serat-planner__imports');
      for (const job of list) {
        const li = el('li');
        const item = button('serat-planner__import', 'import-recent-item');
        item.dataset.id = job.id;
        item.dataset.state = job.state;
        item.title = t('import.openReport', { file: job.fileName });
        if (this.job?.id === job.id) item.setAttribute('aria-current', 'true');
        const top = el('span', 'serat-planner__import-top');
        const state = el(
          'span',
          `serat-planner__import-state serat-planner__import-state--${/^[a-z]+$/.test(job.state) ? job.state : 'other'}`,
          t(`importState.${job.state}` as MessageKey),
        );
        top.append(el('span', 'serat-planner__import-name', job.fileName || '—'), state);
        const meta = el('span', 'serat-planner__import-meta', `${this.importWho(job)} · ${formatDateTimeWib(job.createdAt ?? null)}`);
        item.append(top, meta);
        const summary = job.summary;
        if (summary) {
          const counts = el(
            'span',
            'serat-planner__import-counts',
            t('import.counts', {
              create: formatNumber(Number(summary.create) || 0),
              update: formatNumber(Number(summary.update) || 0),
              unchanged: formatNumber(Number(summary.unchanged) || 0),
              reject: formatNumber(Number(summary.reject) || 0),
            }),
          );
          counts.dataset.testid = 'import-recent-counts';
          item.append(counts);
        } else if (job.state === 'failed' && job.errorCode) {
          item.append(el('span', 'serat-planner__import-counts serat-planner__import-counts--failed', importErrorText(job.errorCode)));
        }
        item.addEventListener('click', () => this.openImport(job));
        li.append(item);
        ul.append(li);
      }
      children.push(ul);
      if (this.recentNext) {
        const more = button('serat-button serat-button--secondary', 'import-recent-more');
        more.textContent = this.recentLoading ? t('import.recentLoading') : t('import.recentMore');
        more.disabled = this.recentLoading;
        more.addEventListener('click', () => void this.loadMoreRecent());
        children.push(more);
      }
    }
    this.recentSection.replaceChildren(...children);
  }

  /** Shows an earlier import in the view above: its state, summary and report (and commit, if ready). */
  private openImport(job: ImportJob): void {
    if (this.uploading) return;
    this.pollGeneration += 1;
    window.clearTimeout(this.pollTimer);
    this.job = { ...job, progress: job.progress ?? 0, summary: job.summary ?? null };
    this.report = null;
    this.reportError = null;
    this.importError = null;
    this.committing = false;
    this.templateMessage = null;
    this.fileInput.value = '';
    // Applied before this page opened it: nothing new for the map.
    if (job.state === 'committed') this.reloadedFor = job.id;
    this.renderImport();
    this.schedulePoll(0);
    this.importStatus.scrollIntoView?.({ block: 'nearest' });
  }

  /**
   * The options the import was made with, as its row stores them: the planner who opens an older
   * import sees what its dry run and commit took for what the file did not say.
   */
  private optionsElement(job: ImportJob): HTMLElement | null {
    const options = job.options;
    if (!options || typeof options !== 'object') return null;
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    const rows: [key: string, label: MessageKey, value: string][] = [];
    rows.push(['regionCheck', 'importOption.regionCheck', t(options.regionCheck === false ? 'importOption.no' : 'importOption.yes')]);
    rows.push(['source', 'importOption.source', text(options.source) ?? `${t('importOption.fileName')} (${job.fileName || '—'})`]);
    if (text(options.templateId)) {
      const used = this.templates?.find((template) => template.id === options.templateId);
      rows.push(['template', 'importOption.template', used ? used.name : t('importOption.templateGone')]);
    }
    // The mapping the dry run applied (a template's with the options' own over it), else the one asked for.
    const mapping = (options.analysedMapping ?? options.mapping) as ImportMapping | undefined;
    const mapped = mapping && typeof mapping === 'object' ? Object.entries(mapping).filter(([, columns]) => Array.isArray(columns) && columns.length) : [];
    rows.push([
      'mapping',
      'importOption.mapping',
      mapped.length
        ? mapped.map(([field, columns]) => `${t(`mapping.field.${field}` as MessageKey)} ← ${(columns as string[]).join(', ')}`).join('; ')
        : t('importOption.mappingNone'),
    ]);
    if (text(options.defaultStatus)) rows.push(['defaultStatus', 'importOption.defaultStatus', statusLabel(text(options.defaultStatus))]);
    if (text(options.defaultTier)) rows.push(['defaultTier', 'importOption.defaultTier', tierLabel(text(options.defaultTier))]);
    if (text(options.defaultPlacement)) rows.push(['defaultPlacement', 'importOption.defaultPlacement', placementLabel(text(options.defaultPlacement))]);
    if (text(options.nodeKind)) rows.push(['nodeKind', 'importOption.nodeKind', nodeKindLabel(text(options.nodeKind))]);
    const box = el('details', 'serat-planner__import-options');
    box.dataset.testid = 'import-options';
    box.open = true;
    const list = el('dl', 'serat-planner__import-options-list');
    for (const [key, label, value] of rows) {
      const term = el('dt', undefined, t(label));
      const detail = el('dd', undefined, value);
      detail.dataset.option = key;
      list.append(term, detail);
    }
    box.append(el('summary', undefined, t('import.options')), list);
    return box;
  }

  /** The failed step of a failed import again, on the server; followed as after an upload. */
  private async retry(): Promise<void> {
    const job = this.job;
    if (!job || job.state !== 'failed' || this.retrying) return;
    this.retrying = true;
    this.importError = null;
    this.renderImport();
    try {
      const row = await plannerApi.retryImport(job.id);
      this.pollGeneration += 1;
      this.job = { ...job, ...row, progress: row.progress ?? 0, summary: row.summary ?? null };
      this.committing = row.state === 'committing';
      this.report = null;
      this.reportError = null;
      this.reloadedFor = null;
      this.schedulePoll(0);
    } catch (error) {
      this.importError = problemText(error);
      // Someone else's retry got there first: the import shows as it is now.
      this.schedulePoll(0);
    } finally {
      this.retrying = false;
      this.renderImport();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Templates and the mapping step

  private async loadTemplates(select?: string): Promise<void> {
    if (!this.enabled) return;
    try {
      this.templates = await plannerApi.importTemplates();
      this.templatesError = null;
    } catch (error) {
      this.templatesError = problemText(error);
    }
    this.renderTemplateSelect();
    if (select && this.templates?.some((template) => template.id === select)) this.templateSelect.value = select;
    this.renderImport();
  }

  private renderTemplateSelect(): void {
    this.templateLabel.textContent = t('import.template');
    const value = this.templateSelect.value;
    const options = [new Option(t('import.templateNone'), '')];
    for (const template of this.templates ?? []) options.push(new Option(template.name, template.id));
    this.templateSelect.replaceChildren(...options);
    this.templateSelect.value = options.some((o) => o.value === value) ? value : '';
  }

  /** The name offered for a template: the one the file was analysed with, else its source, else the file's name. */
  private templateNameFor(job: ImportJob): string {
    const used = this.templates?.find((template) => template.id === job.options?.templateId);
    if (used) return used.name;
    if (typeof job.options?.source === 'string' && job.options.source) return job.options.source;
    return (job.fileName ?? '').replace(/\.[^.]+$/, '').slice(0, 100);
  }

  /**
   * After a dry run: per Serat field a choice among the file's columns (with how many features
   * fill each and a few of their values), preselected with what was used; per status or placement
   * word the analysis did not recognise, a choice of Serat's value. "Analyse again" runs the dry
   * run with these choices; "Save as template" keeps them for the contractor's next file.
   */
  private mappingElement(job: ImportJob): HTMLElement | null {
    const analysis = job.summary?.analysis;
    if (job.state !== 'ready' || !analysis || !Array.isArray(analysis.properties)) return null;
    const key = `${job.id}:${job.version ?? ''}`;
    if (this.draft?.key !== key) {
      this.draft = makeDraft(key, analysis);
      this.templateName.value = this.templateNameFor(job);
    }
    const draft = this.draft;
    const box = this.mappingSection;
    box.open = this.mappingOpen;
    const children: HTMLElement[] = [el('summary', 'serat-planner__mapping-title', t('mapping.title')), el('p', 'serat-planner__hint', t('mapping.intro'))];
    const properties = analysis.properties.filter((p) => typeof p?.name === 'string' && p.name.length <= MAPPING_NAME_MAX);
    if (Number(analysis.propertyCount) > analysis.properties.length) {
      children.push(
        el('p', 'serat-planner__hint', t('mapping.moreProperties', { shown: formatNumber(analysis.properties.length), total: formatNumber(Number(analysis.propertyCount)) })),
      );
    }
    if (properties.some((p) => isCutName(p.name))) children.push(el('p', 'serat-planner__hint', t('mapping.cutNamesHint', { max: MAPPING_NAME_MAX })));
    const changed = el('p', 'serat-planner__message serat-planner__mapping-changed', t('mapping.changed'));
    changed.dataset.testid = 'mapping-changed';
    const refreshChanged = () => {
      changed.hidden = !draftChanged(draft);
      this.renderCommitButton();
    };

    const fields = el('div', 'serat-planner__mapping-fields');
    for (const field of IMPORT_FIELDS) {
      const row = el('div', 'serat-field serat-planner__mapping-field');
      const select = el('select', 'serat-input');
      select.id = `serat-mapping-${field}`;
      select.dataset.testid = `mapping-field-${field}`;
      const label = el('label', 'serat-field__label', t(`mapping.field.${field}` as MessageKey));
      label.htmlFor = select.id;
      const options = [new Option(t('mapping.none'), '')];
      for (const p of properties) {
        const sample = p.samples?.length ? ` · ${p.samples.slice(0, 2).join(', ')}` : '';
        const cut = isCutName(p.name);
        const text = `${t('mapping.option', { name: p.name, count: formatNumber(p.count) })}${cut ? ` — ${t('mapping.cutName')}` : sample}`;
        const option = new Option(text.length > 90 && !cut ? `${text.slice(0, 89)}…` : text, p.name);
        // Cut short by the analysis: no column is called that, choosing it would read nothing.
        option.disabled = cut;
        options.push(option);
      }
      // What the analysis read this field from in this file; with its list (or the defaults) as the
      // choice "as analysed" when that was more than one column.
      const found = (analysis.fields?.[field] ?? []).map((f) => f?.property).filter((name): name is string => typeof name === 'string');
      const shown = found.length === 1 ? found[0] : found.length ? ANALYSED : '';
      if (found.length > 1) {
        const names = found.join(', ');
        options.splice(1, 0, new Option(t('mapping.asAnalysed', { names: names.length > 80 ? `${names.slice(0, 79)}…` : names }), ANALYSED));
      } else if (shown && !properties.some((p) => p.name === shown)) {
        // Used by the analysis but not among the columns listed (a file with very many): still offered.
        const option = new Option(shown, shown);
        option.disabled = isCutName(shown);
        options.push(option);
      }
      select.replaceChildren(...options);
      const list = draft.fields[field];
      const untouched = JSON.stringify(list) === JSON.stringify(draft.analysed[field]);
      select.value = untouched ? shown : (list?.[0] ?? '');
      const samples = el('p', 'serat-planner__mapping-samples');
      samples.dataset.testid = `mapping-samples-${field}`;
      const showSamples = () => {
        const property = properties.find((p) => p.name === select.value);
        samples.textContent = property?.samples?.length ? t('mapping.samples', { samples: property.samples.map((v) => `“${v}”`).join(', ') }) : '';
      };
      showSamples();
      select.addEventListener('change', () => {
        // Back to what the analysis showed: its whole list again; else the one column chosen, or none.
        if (shown && select.value === shown) draft.fields[field] = draft.analysed[field] ? [...draft.analysed[field]] : undefined;
        else draft.fields[field] = select.value && !isCutName(select.value) ? [select.value] : [];
        showSamples();
        refreshChanged();
      });
      row.append(label, select, samples);
      fields.append(row);
    }
    children.push(fields);

    const words = (
      kind: 'status' | 'placement',
      list: MappingDraft['statusWords'],
      values: readonly string[],
      label: (value: string) => string,
      fallback: string,
      features: number,
    ) => {
      if (!list.length) return;
      const block = el('div', 'serat-planner__mapping-words');
      block.dataset.testid = `mapping-${kind}-words`;
      block.append(el('h4', 'serat-planner__subheading', t(kind === 'status' ? 'mapping.statusWords' : 'mapping.placementWords')));
      if (features > 0) {
        block.append(
          el(
            'p',
            'serat-planner__hint',
            t(kind === 'status' ? 'mapping.statusWordsHint' : 'mapping.placementWordsHint', { count: formatNumber(features), value: label(fallback) }),
          ),
        );
      }
      list.forEach((entry, i) => {
        const row = el('div', 'serat-planner__mapping-word');
        const select = el('select', 'serat-input');
        select.id = `serat-mapping-${kind}-${i}`;
        select.dataset.testid = `mapping-${kind}-word`;
        select.dataset.word = entry.word;
        const text = entry.count === null ? t('mapping.wordMapped', { word: entry.word }) : t('mapping.word', { word: entry.word, count: formatNumber(entry.count) });
        const wordLabel = el('label', 'serat-planner__mapping-word-label', text);
        wordLabel.htmlFor = select.id;
        select.replaceChildren(new Option(t('mapping.wordDefault', { value: label(fallback) }), ''), ...values.map((v) => new Option(label(v), v)));
        select.value = entry.value;
        select.addEventListener('change', () => {
          entry.value = select.value;
          refreshChanged();
        });
        row.append(wordLabel, select);
        block.append(row);
      });
      children.push(block);
    };
    const options = job.options ?? {};
    const defaultStatus = typeof options.defaultStatus === 'string' ? options.defaultStatus : 'planned';
    const defaultPlacement = typeof options.defaultPlacement === 'string' ? options.defaultPlacement : 'aerial';
    words('status', draft.statusWords, NETWORK_STATUSES, statusLabel, defaultStatus, Number(analysis.unrecognised?.statusFeatures) || 0);
    words('placement', draft.placementWords, SEGMENT_PLACEMENTS, placementLabel, defaultPlacement, Number(analysis.unrecognised?.placementFeatures) || 0);

    refreshChanged();
    children.push(changed);
    const again = button('serat-button serat-button--secondary', 'import-reanalyse');
    again.textContent = this.reanalysing ? t('mapping.reanalysing') : t('mapping.reanalyse');
    again.disabled = this.reanalysing || this.committing;
    again.addEventListener('click', () => void this.reanalyse());
    const againRow = el('div', 'serat-planner__buttons');
    againRow.append(again);
    children.push(againRow);

    const nameLabel = el('label', 'serat-field__label', t('mapping.templateName'));
    nameLabel.htmlFor = this.templateName.id;
    const save = button('serat-button serat-button--secondary', 'import-template-save');
    save.textContent = this.savingTemplate ? t('mapping.saving') : t('mapping.saveTemplate');
    save.disabled = this.savingTemplate;
    save.addEventListener('click', () => void this.saveTemplate());
    const saveRow = el('div', 'serat-planner__template-save');
    saveRow.append(this.templateName, save);
    const templateBlock = el('div', 'serat-planner__mapping-template');
    templateBlock.append(nameLabel, saveRow);
    if (this.templateMessage) {
      const message = el('p', `serat-planner__message${this.templateMessage.error ? ' serat-planner__message--error' : ''}`, this.templateMessage.text);
      message.dataset.testid = 'import-template-message';
      message.setAttribute('role', this.templateMessage.error ? 'alert' : 'status');
      templateBlock.append(message);
    }
    children.push(templateBlock);
    box.replaceChildren(...children);
    return box;
  }

  private async reanalyse(): Promise<void> {
    const job = this.job;
    const draft = this.draft;
    if (!job || !draft || job.state !== 'ready' || this.reanalysing || this.committing) return;
    this.reanalysing = true;
    this.importError = null;
    this.templateMessage = null;
    this.renderImport();
    try {
      // The mapping as the planner left it (the analysed one, the api's own record of it, replaced).
      const { mapping: _used, analysedMapping: _analysed, ...options } = job.options ?? {};
      const row = await plannerApi.reanalyseImport(job.id, { ...options, mapping: draftMapping(draft) });
      this.pollGeneration += 1;
      this.job = { ...job, ...row, progress: row.progress ?? 0, summary: row.summary ?? null };
      this.report = null;
      this.reportError = null;
      this.schedulePoll(0);
    } catch (error) {
      this.importError = problemText(error);
    } finally {
      this.reanalysing = false;
      this.renderImport();
    }
  }

  private async saveTemplate(): Promise<void> {
    const draft = this.draft;
    if (!draft || this.savingTemplate) return;
    const name = this.templateName.value.trim();
    if (!name) {
      this.templateMessage = { text: t('mapping.nameRequired'), error: true };
      this.renderImport();
      this.templateName.focus();
      return;
    }
    this.savingTemplate = true;
    this.templateMessage = null;
    this.renderImport();
    try {
      const saved = await plannerApi.saveImportTemplate(name, draftMapping(draft));
      this.templateMessage = { text: t('mapping.saved', { name: saved?.name ?? name }), error: false };
      this.savingTemplate = false;
      // Offered, and chosen, for the next upload.
      await this.loadTemplates(saved?.id);
    } catch (error) {
      this.templateMessage = { text: problemText(error), error: true };
    } finally {
      this.savingTemplate = false;
      this.renderImport();
    }
  }

  private summaryElement(job: ImportJob): HTMLElement {
    const summary = job.summary!;
    const box = el('dl', 'serat-planner__summary');
    box.dataset.testid = 'import-summary';
    box.dataset.create = String(summary.create);
    box.dataset.reject = String(summary.reject);
    const item = (key: MessageKey, value: string, className = '') => {
      const cell = el('div', `serat-planner__summary-item ${className}`);
      cell.append(el('dt', undefined, t(key)), el('dd', undefined, value));
      box.append(cell);
    };
    item('import.create', formatNumber(summary.create), 'serat-planner__summary-item--create');
    item('import.update', formatNumber(summary.update));
    item('import.unchanged', formatNumber(summary.unchanged));
    item('import.reject', formatNumber(summary.reject), summary.reject ? 'serat-planner__summary-item--reject' : '');
    item('import.length', formatKm(Number(summary.lengthM) || 0, 2));
    return box;
  }

  private reportElement(report: { offset: number; total: number; rows: ImportReportRow[] }): HTMLElement {
    const wrap = el('div', 'serat-planner__report');
    const scroller = el('div', 'serat-planner__table-wrap');
    const table = el('table', 'serat-planner__table');
    table.dataset.testid = 'import-report';
    const head = el('tr');
    for (const key of ['import.col.row', 'import.col.code', 'import.col.action', 'import.col.reasons'] as MessageKey[]) head.append(el('th', undefined, t(key)));
    table.append(el('thead'), el('tbody'));
    table.tHead!.append(head);
    const rows = [...report.rows].sort((a, b) => (ACTION_ORDER[a.action] ?? 9) - (ACTION_ORDER[b.action] ?? 9) || a.index - b.index);
    for (const row of rows) {
      const tr = el('tr', `serat-planner__row serat-planner__row--${/^[a-z]+$/.test(row.action) ? row.action : 'other'}`);
      tr.dataset.action = row.action;
      const where = row.part !== null && row.part !== undefined ? `${row.index + 1}.${row.part}` : String(row.index + 1);
      tr.append(el('td', undefined, where), el('td', undefined, row.code ?? row.sourceId ?? '—'), el('td', undefined, t(`importAction.${row.action}` as MessageKey)));
      const reasons = el('td');
      const list = el('ul', 'serat-planner__reasons');
      for (const reason of row.reasons ?? []) list.append(el('li', 'serat-planner__reason', importReasonText(reason)));
      for (const warning of row.warnings ?? []) list.append(el('li', 'serat-planner__warning', importReasonText(warning)));
      if (row.message && !row.reasons?.length) list.append(el('li', undefined, row.message));
      reasons.append(list);
      tr.append(reasons);
      table.tBodies[0].append(tr);
    }
    scroller.append(table);
    const pager = el('div', 'serat-planner__pager');
    const last = Math.min(report.total, report.offset + report.rows.length);
    const prev = button('serat-button serat-button--secondary', 'import-report-prev');
    prev.textContent = t('import.prev');
    prev.disabled = report.offset === 0;
    prev.addEventListener('click', () => void this.loadReport(Math.max(0, report.offset - REPORT_PAGE)));
    const next = button('serat-button serat-button--secondary', 'import-report-next');
    next.textContent = t('import.next');
    next.disabled = last >= report.total;
    next.addEventListener('click', () => void this.loadReport(report.offset + REPORT_PAGE));
    pager.append(prev, el('span', undefined, t('import.rows', { from: report.offset + 1, to: last, total: report.total })), next);
    wrap.append(scroller, pager);
    return wrap;
  }

  /** Stops watching the current import and forgets what was shown of it. */
  private forgetImport(): void {
    this.pollGeneration += 1;
    window.clearTimeout(this.pollTimer);
    this.job = null;
    this.report = null;
    this.reportError = null;
    this.importError = null;
    this.templateMessage = null;
  }

  private resetImport(): void {
    this.forgetImport();
    this.uploading = false;
    this.committing = false;
    this.reanalysing = false;
    this.draft = null;
    this.fileInput.value = '';
    this.renderImport();
  }

  private async upload(): Promise<void> {
    const file = this.fileInput.files?.[0];
    if (!file || this.uploading) return;
    if (file.size > MAX_FILE_BYTES) {
      this.importError = t('planner.tooLarge');
      this.renderImport();
      return;
    }
    this.forgetImport();
    this.uploading = true;
    this.renderImport();
    try {
      const templateId = this.templateSelect.value;
      const job = await plannerApi.startImport(file, { regionCheck: this.regionCheck.checked, ...(templateId ? { templateId } : {}) });
      this.job = { ...job, fileName: job.fileName ?? file.name, progress: job.progress ?? 0, summary: job.summary ?? null };
      this.schedulePoll(0);
      void this.loadRecent();
    } catch (error) {
      this.importError = problemText(error);
    } finally {
      this.uploading = false;
      this.renderImport();
    }
  }

  private schedulePoll(delayMs = POLL_MS): void {
    window.clearTimeout(this.pollTimer);
    const generation = this.pollGeneration;
    this.pollTimer = window.setTimeout(() => void this.poll(generation), delayMs);
  }

  private async poll(generation: number): Promise<void> {
    const id = this.job?.id;
    if (!id || generation !== this.pollGeneration) return;
    try {
      const job = await plannerApi.importJob(id);
      if (generation !== this.pollGeneration) return;
      const before = this.job?.state;
      this.job = job;
      this.importError = null;
      if (this.recent?.some((item) => item.id === job.id)) this.recent = this.recent.map((item) => (item.id === job.id ? { ...item, ...job } : item));
      // Finished (or failed) while this page watched: the list shows it with its counts.
      if (before && before !== job.state && !BUSY_STATES.includes(job.state)) void this.loadRecent();
    } catch (error) {
      if (generation !== this.pollGeneration) return;
      this.importError = problemText(error);
      if (error instanceof ApiError && (error.httpStatus === 404 || error.httpStatus === 401 || error.httpStatus === 403)) {
        this.renderImport();
        return;
      }
    }
    const job = this.job!;
    if (BUSY_STATES.includes(job.state)) this.schedulePoll();
    else {
      this.committing = false;
      if (job.state !== 'failed' || job.summary) void this.loadReport(0);
      if (job.state === 'committed' && this.reloadedFor !== job.id) {
        this.reloadedFor = job.id;
        this.host.reload();
      }
    }
    this.renderImport();
  }

  private async loadReport(offset: number): Promise<void> {
    const id = this.job?.id;
    if (!id) return;
    const generation = this.pollGeneration;
    try {
      const page = await plannerApi.importReport(id, offset, REPORT_PAGE);
      if (generation !== this.pollGeneration) return;
      this.report = { offset, total: Number(page.total) || 0, rows: Array.isArray(page.rows) ? page.rows : [] };
      this.reportError = null;
    } catch (error) {
      if (generation !== this.pollGeneration) return;
      this.reportError = problemText(error);
    }
    this.renderImport();
  }

  /** The mapping step's choices differ from what the dry run used: applying would apply something not shown. */
  private mappingUnapplied(): boolean {
    const job = this.job;
    const draft = this.draft;
    return !!job && job.state === 'ready' && !!draft && draft.key === `${job.id}:${job.version ?? ''}` && draftChanged(draft);
  }

  private renderCommitButton(): void {
    const job = this.job;
    const unapplied = this.mappingUnapplied();
    this.commitButton.textContent = t('import.commit');
    this.commitButton.disabled = job?.state !== 'ready' || this.committing || unapplied;
    this.commitButton.hidden = !job || job.state === 'committed' || job.state === 'failed';
    this.commitHint.textContent = t('import.commitNeedsReanalyse');
    this.commitHint.hidden = this.commitButton.hidden || !unapplied;
  }

  private async commit(): Promise<void> {
    const job = this.job;
    if (!job || job.state !== 'ready' || this.committing || this.mappingUnapplied()) return;
    this.committing = true;
    this.importError = null;
    this.renderImport();
    try {
      await plannerApi.commitImport(job.id);
      this.job = { ...job, state: 'committing', progress: 0 };
      this.schedulePoll(0);
    } catch (error) {
      this.committing = false;
      this.importError = problemText(error);
      this.schedulePoll(0);
    }
    this.renderImport();
  }

  // -------------------------------------------------------------------------------------------
  // Export

  private renderExport(): void {
    this.exportTitle.textContent = t('export.title');
    const area = this.exportArea.value;
    const areaOptions = [new Option(t('export.allAreas'), '')];
    for (const k of this.host.kecamatans()) areaOptions.push(new Option(k.name, k.code));
    this.exportArea.replaceChildren(...areaOptions);
    this.exportArea.value = areaOptions.some((o) => o.value === area) ? area : '';
    const status = this.exportStatus.value;
    const statusOptions = [new Option(t('export.allStatuses'), ''), new Option(t('export.activePlanned'), 'active,planned')];
    for (const s of NETWORK_STATUSES) statusOptions.push(new Option(statusLabel(s), s));
    this.exportStatus.replaceChildren(...statusOptions);
    this.exportStatus.value = statusOptions.some((o) => o.value === status) ? status : '';

    const areaLabel = el('label', 'serat-field__label', t('export.area'));
    this.exportArea.id = 'serat-export-area';
    areaLabel.htmlFor = this.exportArea.id;
    const statusLabelEl = el('label', 'serat-field__label', t('export.status'));
    this.exportStatus.id = 'serat-export-status';
    statusLabelEl.htmlFor = this.exportStatus.id;

    const groups: Array<[MessageKey, string, string[]]> = [
      ['export.segments', 'segments', ['geojson', 'kml', 'kmz', 'csv']],
      ['export.nodes', 'nodes', ['geojson', 'kml', 'kmz', 'csv']],
      ['export.sites', 'sites', ['geojson', 'kml', 'kmz', 'csv']],
    ];
    const rows: HTMLElement[] = [];
    for (const [key, layer, formats] of groups) {
      const row = el('div', 'serat-planner__download-row');
      row.append(el('span', 'serat-planner__download-name', t(key)));
      for (const format of formats) row.append(this.downloadButton(`${layer}.${format}`, format.toUpperCase()));
      rows.push(row);
    }
    const ofds = el('div', 'serat-planner__download-row');
    ofds.append(el('span', 'serat-planner__download-name', t('export.ofds')), this.downloadButton('ofds.zip', 'ZIP'));
    rows.push(ofds);
    this.exportButtons.replaceChildren(...rows);
    this.exportMenu.replaceChildren(this.exportTitle, areaLabel, this.exportArea, statusLabelEl, this.exportStatus, this.exportButtons, this.exportMessage);
    this.exportMessage.hidden = !this.exportMessage.textContent;
  }

  private downloadButton(file: string, label: string): HTMLButtonElement {
    const b = button('serat-button serat-button--secondary serat-planner__download', `export-${file}`);
    b.textContent = this.exporting === file ? '…' : label;
    b.disabled = this.exporting !== null;
    b.title = t('export.download', { file });
    b.addEventListener('click', () => void this.download(file));
    return b;
  }

  private async download(file: string): Promise<void> {
    if (this.exporting) return;
    const params = new URLSearchParams();
    if (this.exportArea.value) params.set('area', this.exportArea.value);
    if (this.exportStatus.value) params.set('status', this.exportStatus.value);
    const query = params.toString();
    const url = `/api/exports/${file}${query ? `?${query}` : ''}`;
    this.exporting = file;
    this.exportMessage.textContent = '';
    this.exportMessage.classList.remove('serat-planner__message--error');
    this.renderExport();
    try {
      const blob = await plannerApi.download(url);
      const objectUrl = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = objectUrl;
      link.download = `serat-${file}`;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
    } catch (error) {
      this.exportMessage.textContent = `${t('export.failed')} ${problemText(error)}`;
      this.exportMessage.classList.add('serat-planner__message--error');
    } finally {
      this.exporting = null;
      this.renderExport();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Drawing a segment

  private lengthM(withCursor = false): number {
    const points = withCursor && this.cursor ? [...this.points, this.cursor] : this.points;
    let total = 0;
    for (let i = 1; i < points.length; i++) total += distanceM([points[i - 1].lng, points[i - 1].lat], [points[i].lng, points[i].lat]);
    return total;
  }

  private renderDraw(): void {
    this.drawTitle.textContent = t('draw.title');
    this.drawButton.textContent = t('draw.start');
    this.drawButton.disabled = this.drawing || this.saving;
    this.drawFinish.textContent = t('draw.finish');
    this.drawFinish.disabled = this.points.length < 2;
    this.drawCancel.textContent = t('draw.cancel');
    this.drawLength.textContent = t('draw.length', { length: formatMetres(this.lengthM(true)), points: this.points.length });
    this.drawBar.replaceChildren(el('span', 'serat-planner-drawbar__hint', t('draw.hint')), this.drawLength, this.drawCancel, this.drawFinish);

    const field = (label: MessageKey, input: HTMLElement & { id: string }) => {
      const wrap = el('div', 'serat-field');
      const l = el('label', 'serat-field__label', t(label));
      l.htmlFor = input.id;
      wrap.append(l, input);
      return wrap;
    };
    const placement = this.placementSelect.value;
    const options = [new Option(t('draw.placementNone'), '')];
    for (const p of SEGMENT_PLACEMENTS) options.push(new Option(placementLabel(p), p));
    this.placementSelect.replaceChildren(...options);
    this.placementSelect.value = placement;
    this.codeInput.placeholder = t('draw.codePlaceholder');
    this.saveButton.textContent = this.saving ? t('draw.saving') : t('draw.save');
    this.saveButton.disabled = this.saving;
    this.formCancel.textContent = t('draw.cancel');
    const buttons = el('div', 'serat-planner__buttons');
    buttons.append(this.saveButton, this.formCancel);
    this.segmentForm.replaceChildren(
      el('p', 'serat-planner__hint', t('draw.formLength', { length: formatMetres(this.lengthM()), points: this.points.length })),
      field('draw.code', this.codeInput),
      field('draw.placement', this.placementSelect),
      field('draw.cores', this.coresInput),
      this.editError,
      buttons,
    );
    this.drawMessage.hidden = !this.drawMessage.textContent;
    this.moveButton.textContent = t('move.start');
    this.moveButton.disabled = this.drawing || this.moveMode !== 'none';
    const tools = el('div', 'serat-planner__buttons');
    tools.append(this.drawButton, this.moveButton);
    this.drawSection.replaceChildren(this.drawTitle, el('p', 'serat-planner__hint', t('draw.intro')), tools, this.drawMessage, this.segmentForm);
    this.renderMoveBar();
  }

  private redrawPreview(): void {
    this.preview.clearLayers();
    // How many points the line has so far: what a test waits for between clicks.
    this.drawBar.dataset.points = String(this.points.length);
    const line = this.cursor && this.drawing ? [...this.points, this.cursor] : this.points;
    if (line.length >= 2) {
      L.polyline(line, { color: '#d9480f', weight: 4, dashArray: '8 8', interactive: false, className: 'serat-draw-preview' }).addTo(this.preview);
    }
    for (const point of this.points) {
      L.circleMarker(point, { radius: 5, color: '#ffffff', weight: 2, fillColor: '#d9480f', fillOpacity: 1, interactive: false }).addTo(this.preview);
    }
    this.renderDraw();
  }

  private startDrawing(): void {
    if (!this.enabled || this.drawing) return;
    this.cancelMove();
    this.drawing = true;
    this.points = [];
    this.cursor = null;
    this.segmentForm.hidden = true;
    this.editError.hidden = true;
    this.drawMessage.textContent = '';
    const map = this.host.map;
    map.doubleClickZoom.disable();
    map.on('preclick', this.onMapClick);
    map.on('popupopen', this.onPopupOpen);
    map.on('dblclick', this.onMapDblClick);
    map.on('mousemove', this.onMapMove);
    map.getContainer().classList.add('serat-map--drawing');
    this.preview.addTo(map);
    this.drawBar.hidden = false;
    document.body.dataset.drawing = 'true';
    this.close();
    this.opener.hidden = true;
    this.redrawPreview();
  }

  private stopListening(): void {
    const map = this.host.map;
    map.off('preclick', this.onMapClick);
    map.off('popupopen', this.onPopupOpen);
    map.off('dblclick', this.onMapDblClick);
    map.off('mousemove', this.onMapMove);
    map.getContainer().classList.remove('serat-map--drawing');
    // Leaflet would zoom on the double click that finished the line; turn it back on afterwards.
    window.setTimeout(() => map.doubleClickZoom.enable(), 400);
    this.drawing = false;
    this.cursor = null;
    this.drawBar.hidden = true;
    delete document.body.dataset.drawing;
  }

  private onPopupOpen: () => void;

  private onMapClick(event: L.LeafletMouseEvent): void {
    const map = this.host.map;
    const last = this.points[this.points.length - 1];
    // The two clicks of a double click land on the same spot: one point only.
    if (last && map.latLngToContainerPoint(last).distanceTo(map.latLngToContainerPoint(event.latlng)) < 4) return;
    this.points.push(event.latlng);
    this.redrawPreview();
  }

  private onMapDblClick(event: L.LeafletMouseEvent): void {
    L.DomEvent.stop(event.originalEvent);
    this.finishDrawing();
  }

  private onMapMove(event: L.LeafletMouseEvent): void {
    this.cursor = event.latlng;
    this.redrawPreview();
  }

  private finishDrawing(): void {
    if (!this.drawing || this.points.length < 2) return;
    this.stopListening();
    this.segmentForm.hidden = false;
    this.editError.hidden = true;
    this.open();
    this.redrawPreview();
    this.segmentForm.scrollIntoView({ block: 'nearest' });
    this.codeInput.focus();
  }

  private cancelDrawing(): void {
    if (this.drawing) this.stopListening();
    this.points = [];
    this.preview.clearLayers();
    this.preview.remove();
    this.segmentForm.hidden = true;
    this.editError.hidden = true;
    this.opener.hidden = !this.enabled || this.isOpen;
    this.renderDraw();
  }

  private showEditError(text: string): void {
    this.editError.textContent = text;
    this.editError.hidden = false;
  }

  private async saveSegment(): Promise<void> {
    if (this.saving || this.points.length < 2) return;
    const code = this.codeInput.value.trim();
    if (!code) {
      this.showEditError(t('draw.codeRequired'));
      this.codeInput.focus();
      return;
    }
    const cores = this.coresInput.value.trim();
    const coreCount = cores ? Number(cores) : undefined;
    if (coreCount !== undefined && (!Number.isInteger(coreCount) || coreCount < 1)) {
      this.showEditError(t('draw.coresInvalid'));
      return;
    }
    const round = (value: number) => Math.round(value * 1e7) / 1e7;
    this.saving = true;
    this.editError.hidden = true;
    this.renderDraw();
    try {
      await plannerApi.createSegment({
        code,
        geometry: { type: 'LineString', coordinates: this.points.map((p) => [round(p.lng), round(p.lat)]) },
        ...(this.placementSelect.value ? { placement: this.placementSelect.value } : {}),
        ...(coreCount !== undefined ? { coreCount } : {}),
      });
      this.drawMessage.textContent = t('draw.saved', { code });
      this.codeInput.value = '';
      this.coresInput.value = '';
      this.saving = false;
      this.cancelDrawing();
      this.host.reload();
    } catch (error) {
      this.saving = false;
      const problems = error instanceof ApiError ? (error.details as { problems?: Array<{ message?: unknown }> } | undefined)?.problems : undefined;
      const extra = Array.isArray(problems)
        ? problems.map((p) => (typeof p?.message === 'string' ? p.message : '')).filter((m) => m && m !== (error as ApiError).serverMessage)
        : [];
      this.showEditError([problemText(error), ...extra].join(' '));
      this.renderDraw();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Moving a node

  private renderMoveBar(): void {
    this.moveSave.textContent = this.moving ? t('draw.saving') : t('move.save');
    this.moveSave.disabled = this.moving || this.moveMode !== 'place' || !this.moveTo;
    this.moveSave.hidden = this.moveMode !== 'place';
    this.moveCancel.textContent = t('draw.cancel');
    let hint: string;
    if (this.moveMode === 'pick') hint = t('move.pick');
    else if (!this.moveTo) hint = t('move.place', { code: this.moveNode?.code ?? '' });
    else {
      const node = this.moveNode!;
      hint = t('move.confirm', { code: node.code, distance: formatMetres(distanceM([node.lon, node.lat], [this.moveTo.lng, this.moveTo.lat])) });
    }
    const children: HTMLElement[] = [el('span', 'serat-planner-drawbar__length', hint)];
    if (this.moveError.textContent) children.push(this.moveError);
    children.push(this.moveCancel, this.moveSave);
    this.moveBar.replaceChildren(...children);
  }

  private redrawMove(): void {
    this.preview.clearLayers();
    // Which click comes next: 'pick' (the node) or 'place' (where it goes).
    this.moveBar.dataset.step = this.moveMode;
    const node = this.moveNode;
    if (node) {
      const from = L.latLng(node.lat, node.lon);
      L.circleMarker(from, { radius: 12, color: '#d9480f', weight: 3, fill: false, interactive: false }).addTo(this.preview);
      if (this.moveTo) {
        L.polyline([from, this.moveTo], { color: '#d9480f', weight: 2, dashArray: '6 6', interactive: false }).addTo(this.preview);
        L.circleMarker(this.moveTo, { radius: 7, color: '#ffffff', weight: 2, fillColor: '#d9480f', fillOpacity: 1, interactive: false, className: 'serat-move-preview' }).addTo(
          this.preview,
        );
      }
    }
    this.renderMoveBar();
  }

  private startMove(): void {
    if (!this.enabled || this.moveMode !== 'none') return;
    this.cancelDrawing();
    this.moveMode = 'pick';
    this.moveNode = null;
    this.moveTo = null;
    this.moveError.textContent = '';
    this.drawMessage.textContent = '';
    const map = this.host.map;
    map.on('preclick', this.onMoveClick);
    map.on('popupopen', this.onPopupOpen);
    map.getContainer().classList.add('serat-map--drawing');
    this.preview.addTo(map);
    this.moveBar.hidden = false;
    document.body.dataset.moving = 'true';
    this.close();
    this.opener.hidden = true;
    this.redrawMove();
  }

  private onMoveClick(event: L.LeafletMouseEvent): void {
    const map = this.host.map;
    if (this.moveMode === 'pick') {
      const at = map.latLngToContainerPoint(event.latlng);
      let best: { node: ReturnType<PlannerHost['nodes']>[number]; px: number } | null = null;
      for (const node of this.host.nodes()) {
        const px = map.latLngToContainerPoint(L.latLng(node.lat, node.lon)).distanceTo(at);
        if (px <= 24 && (!best || px < best.px)) best = { node, px };
      }
      if (!best) return;
      this.moveNode = best.node;
      this.moveMode = 'place';
    } else if (this.moveMode === 'place') {
      this.moveTo = event.latlng;
    }
    this.redrawMove();
  }

  private cancelMove(): void {
    if (this.moveMode === 'none') return;
    const map = this.host.map;
    map.off('preclick', this.onMoveClick);
    map.off('popupopen', this.onPopupOpen);
    map.getContainer().classList.remove('serat-map--drawing');
    this.moveMode = 'none';
    this.moveNode = null;
    this.moveTo = null;
    this.moving = false;
    this.preview.clearLayers();
    this.preview.remove();
    this.moveBar.hidden = true;
    delete document.body.dataset.moving;
    this.opener.hidden = !this.enabled || this.isOpen;
    this.renderDraw();
  }

  private async saveMove(): Promise<void> {
    const node = this.moveNode;
    const to = this.moveTo;
    if (!node || !to || this.moving) return;
    this.moving = true;
    this.moveError.textContent = '';
    this.renderMoveBar();
    const round = (value: number) => Math.round(value * 1e7) / 1e7;
    try {
      await plannerApi.moveNode(node.id, node.version, round(to.lng), round(to.lat));
      this.cancelMove();
      this.drawMessage.textContent = t('move.saved', { code: node.code });
      this.open();
      this.host.reloadAll();
    } catch (error) {
      this.moving = false;
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') {
        await this.moveConflict(node, error);
        return;
      }
      if (error instanceof ApiError && error.httpStatus === 404) {
        this.host.nodeRemoved(node.id);
        this.cancelMove();
        this.drawMessage.textContent = t('move.gone', { code: node.code });
        this.open();
        return;
      }
      this.moveError.textContent = problemText(error);
      this.renderMoveBar();
    }
  }

  /**
   * Someone changed the node since the map was read: never move it over their change. Its
   * current position and version replace what the tool started from (the map shows them too),
   * the chosen new place stays, and the planner decides again.
   */
  private async moveConflict(node: { id: string; code: string }, error: ApiError): Promise<void> {
    let current = (error.details as { current?: NodeRecord } | undefined)?.current;
    if (!current?.geometry?.coordinates || typeof current.version !== 'number') {
      try {
        current = (await editApi.read<NodeRecord>('node', node.id)).record;
      } catch (readError) {
        this.moveError.textContent = `${error.serverMessage ?? problemText(error)} ${problemText(readError)}`;
        this.renderMoveBar();
        return;
      }
    }
    if (this.moveMode !== 'place' || this.moveNode?.id !== node.id) return;
    const [lon, lat] = current.geometry.coordinates;
    this.moveNode = { id: current.id, code: current.code, version: current.version, lon, lat };
    this.host.nodeStored(current);
    this.moveError.textContent = t('move.conflict', { code: current.code, version: current.version });
    this.redrawMove();
  }
}
