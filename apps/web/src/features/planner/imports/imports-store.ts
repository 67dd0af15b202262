/**
 * The state of the import tools as signals: the file chosen with its template and region check,
 * the import followed (polled until it rests), its report a page at a time, the mapping step's
 * draft, the saved templates and the list of recent imports. The components read these and call
 * the actions; nothing here touches the DOM.
 */
import { batch, computed, signal } from '@preact/signals';
import { ApiError, plannerApi, type ImportField, type ImportJob, type ImportReportRow, type ImportState, type ImportTemplate } from '../../../shared/api';
import { t } from '../planner.i18n';
import { problemText } from '../problem';
import { chooseField, chooseWord, draftChanged, draftKey, draftMapping, makeDraft, type MappingDraft } from './mapping-draft';

export const REPORT_PAGE = 20;
/** Recent imports shown at first, and added by each "more" (a page of the api's list). */
export const RECENT_PAGE = 20;
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
const BUSY_STATES: readonly ImportState[] = ['queued', 'analysing', 'committing'];
export const isBusy = (state: ImportState) => BUSY_STATES.includes(state);

export interface ReportPage {
  offset: number;
  total: number;
  rows: ImportReportRow[];
}

export interface ImportsDeps {
  /** The import applied while this page watched: the map reads its layers again. */
  networkChanged(): void;
  /** Whether the tools are on (admin and planner): a signed-out page asks nothing. */
  enabled(): boolean;
}

/** An import as shown: progress and summary always there, as the list's entries may leave them out. */
const shown = (job: ImportJob, over: Partial<ImportJob> = {}): ImportJob => {
  const next = { ...job, ...over };
  return { ...next, progress: next.progress ?? 0, summary: next.summary ?? null };
};

export function createImportsStore(deps: ImportsDeps, { pollMs = 1000 }: { pollMs?: number } = {}) {
  // The upload form.
  const file = signal<File | null>(null);
  const templateId = signal('');
  const regionCheck = signal(true);
  const templates = signal<ImportTemplate[] | null>(null);
  const templatesError = signal<string | null>(null);
  // The import followed.
  const job = signal<ImportJob | null>(null);
  const importError = signal<string | null>(null);
  const uploading = signal(false);
  const committing = signal(false);
  const retrying = signal(false);
  const report = signal<ReportPage | null>(null);
  const reportError = signal<string | null>(null);
  // The mapping step, after a dry run.
  const draft = signal<MappingDraft | null>(null);
  const mappingOpen = signal(true);
  const reanalysing = signal(false);
  const templateName = signal('');
  const savingTemplate = signal(false);
  const templateMessage = signal<{ text: string; error: boolean } | null>(null);
  // Recent imports.
  const recent = signal<ImportJob[] | null>(null);
  /** The cursor of the page after the loaded ones; null when all are loaded. */
  const recentNext = signal<string | null>(null);
  const recentError = signal<string | null>(null);
  const recentLoading = signal(false);

  let pollTimer = 0;
  let pollGeneration = 0;
  let recentGeneration = 0;
  /** The import whose commit the map has read already. */
  let reloadedFor: string | null = null;

  const busy = computed(() => uploading.value || (!!job.value && isBusy(job.value.state)));
  /** The mapping step's choices differ from what the dry run used: applying would apply something not shown. */
  const mappingUnapplied = computed(() => {
    const current = job.value;
    const d = draft.value;
    return !!current && current.state === 'ready' && !!d && d.key === draftKey(current) && draftChanged(d);
  });

  /** The name offered for a template: the one the file was analysed with, else its source, else the file's name. */
  function templateNameFor(current: ImportJob): string {
    const used = templates.value?.find((template) => template.id === current.options?.templateId);
    if (used) return used.name;
    if (typeof current.options?.source === 'string' && current.options.source) return current.options.source;
    return (current.fileName ?? '').replace(/\.[^.]+$/, '').slice(0, 100);
  }

  /** Shows the import; an analysis not seen before starts a new draft of the mapping. */
  function setJob(next: ImportJob | null): void {
    job.value = next;
    const analysis = next?.summary?.analysis;
    if (!next || next.state !== 'ready' || !analysis || !Array.isArray(analysis.properties)) return;
    const key = draftKey(next);
    if (draft.value?.key === key) return;
    draft.value = makeDraft(key, analysis);
    templateName.value = templateNameFor(next);
  }

  function schedulePoll(delayMs = pollMs): void {
    window.clearTimeout(pollTimer);
    const generation = pollGeneration;
    pollTimer = window.setTimeout(() => void poll(generation), delayMs);
  }

  async function poll(generation: number): Promise<void> {
    const id = job.value?.id;
    if (!id || generation !== pollGeneration) return;
    try {
      const answer = await plannerApi.importJob(id);
      if (generation !== pollGeneration) return;
      const before = job.value?.state;
      batch(() => {
        setJob(answer);
        importError.value = null;
        if (recent.value?.some((item) => item.id === answer.id)) recent.value = recent.value.map((item) => (item.id === answer.id ? { ...item, ...answer } : item));
      });
      // Finished (or failed) while this page watched: the list shows it with its counts.
      if (before && before !== answer.state && !isBusy(answer.state)) void loadRecent();
    } catch (error) {
      if (generation !== pollGeneration) return;
      importError.value = problemText(error);
      if (error instanceof ApiError && (error.httpStatus === 404 || error.httpStatus === 401 || error.httpStatus === 403)) return;
    }
    const current = job.value!;
    if (isBusy(current.state)) schedulePoll();
    else {
      committing.value = false;
      if (current.state !== 'failed' || current.summary) void loadReport(0);
      if (current.state === 'committed' && reloadedFor !== current.id) {
        reloadedFor = current.id;
        deps.networkChanged();
      }
    }
  }

  async function loadReport(offset: number): Promise<void> {
    const id = job.value?.id;
    if (!id) return;
    const generation = pollGeneration;
    try {
      const page = await plannerApi.importReport(id, offset, REPORT_PAGE);
      if (generation !== pollGeneration) return;
      batch(() => {
        report.value = { offset, total: Number(page.total) || 0, rows: Array.isArray(page.rows) ? page.rows : [] };
        reportError.value = null;
      });
    } catch (error) {
      if (generation !== pollGeneration) return;
      reportError.value = problemText(error);
    }
  }

  /** Stops watching the current import and forgets what was shown of it. */
  function forgetImport(): void {
    pollGeneration += 1;
    window.clearTimeout(pollTimer);
    batch(() => {
      job.value = null;
      report.value = null;
      reportError.value = null;
      importError.value = null;
      templateMessage.value = null;
    });
  }

  /** Reads one page of the list and lets `apply` place it; a newer read makes an older one's answer moot. */
  async function fetchRecent(before: string | null, apply: (page: Awaited<ReturnType<typeof plannerApi.recentImports>>) => void): Promise<void> {
    const generation = ++recentGeneration;
    recentLoading.value = true;
    try {
      const page = await plannerApi.recentImports(RECENT_PAGE, before);
      if (generation !== recentGeneration) return;
      batch(() => {
        apply(page);
        recentError.value = null;
      });
    } catch (error) {
      if (generation !== recentGeneration) return;
      recentError.value = problemText(error);
    } finally {
      if (generation === recentGeneration) recentLoading.value = false;
    }
  }

  /**
   * Reads the first page again (after an upload, when an import finished). Pages loaded with
   * "more" stay when the new first page reaches into them; otherwise the list starts over.
   */
  async function loadRecent(): Promise<void> {
    if (!deps.enabled()) return;
    await fetchRecent(null, (page) => {
      const old = recent.value ?? [];
      const last = page.imports[page.imports.length - 1];
      const joins = page.next !== null && last ? old.findIndex((item) => item.id === last.id) : -1;
      if (joins >= 0 && joins < old.length - 1) {
        const fresh = new Set(page.imports.map((item) => item.id));
        recent.value = [...page.imports, ...old.slice(joins + 1).filter((item) => !fresh.has(item.id))];
      } else {
        recent.value = page.imports;
        recentNext.value = page.next;
      }
    });
  }

  async function loadTemplates(select?: string): Promise<void> {
    if (!deps.enabled()) return;
    try {
      const list = await plannerApi.importTemplates();
      batch(() => {
        templates.value = list;
        templatesError.value = null;
        if (select && list.some((template) => template.id === select)) templateId.value = select;
      });
    } catch (error) {
      templatesError.value = problemText(error);
    }
  }

  function reset(): void {
    batch(() => {
      forgetImport();
      uploading.value = false;
      committing.value = false;
      reanalysing.value = false;
      draft.value = null;
      file.value = null;
    });
  }

  return {
    file,
    templateId,
    regionCheck,
    templates,
    templatesError,
    job,
    importError,
    uploading,
    committing,
    retrying,
    report,
    reportError,
    draft,
    mappingOpen,
    reanalysing,
    templateName,
    savingTemplate,
    templateMessage,
    recent,
    recentNext,
    recentError,
    recentLoading,
    busy,
    mappingUnapplied,
    loadRecent,
    loadTemplates,
    loadReport,
    reset,

    chooseFile(next: File | null): void {
      batch(() => {
        file.value = next;
        importError.value = null;
      });
    },

    /** The template chosen for the next upload, if it is still among the saved ones. */
    chosenTemplate: computed(() => (templates.value?.some((template) => template.id === templateId.value) ? templateId.value : '')),

    async upload(): Promise<void> {
      const chosen = file.value;
      if (!chosen || uploading.value) return;
      if (chosen.size > MAX_FILE_BYTES) {
        importError.value = t('planner.tooLarge');
        return;
      }
      forgetImport();
      uploading.value = true;
      try {
        const template = templates.value?.some((item) => item.id === templateId.value) ? templateId.value : '';
        const answer = await plannerApi.startImport(chosen, { regionCheck: regionCheck.value, ...(template ? { templateId: template } : {}) });
        setJob(shown(answer, { fileName: answer.fileName ?? chosen.name }));
        schedulePoll(0);
        void loadRecent();
      } catch (error) {
        importError.value = problemText(error);
      } finally {
        uploading.value = false;
      }
    },

    /** Shows an earlier import in the view above: its state, summary and report (and commit, if ready). */
    openImport(entry: ImportJob): void {
      if (uploading.value) return;
      pollGeneration += 1;
      window.clearTimeout(pollTimer);
      batch(() => {
        setJob(shown(entry));
        report.value = null;
        reportError.value = null;
        importError.value = null;
        committing.value = false;
        templateMessage.value = null;
        file.value = null;
      });
      // Applied before this page opened it: nothing new for the map.
      if (entry.state === 'committed') reloadedFor = entry.id;
      schedulePoll(0);
    },

    /** The next page of the list, after the loaded ones. */
    async loadMoreRecent(): Promise<void> {
      const before = recentNext.value;
      if (!deps.enabled() || !before || recentLoading.value) return;
      await fetchRecent(before, (page) => {
        const known = new Set((recent.value ?? []).map((item) => item.id));
        recent.value = [...(recent.value ?? []), ...page.imports.filter((item) => !known.has(item.id))];
        recentNext.value = page.next;
      });
    },

    /** The failed step of a failed import again, on the server; followed as after an upload. */
    async retry(): Promise<void> {
      const current = job.value;
      if (!current || current.state !== 'failed' || retrying.value) return;
      retrying.value = true;
      importError.value = null;
      try {
        const row = await plannerApi.retryImport(current.id);
        pollGeneration += 1;
        batch(() => {
          setJob(shown(current, row));
          committing.value = row.state === 'committing';
          report.value = null;
          reportError.value = null;
        });
        reloadedFor = null;
        schedulePoll(0);
      } catch (error) {
        importError.value = problemText(error);
        // Someone else's retry got there first: the import shows as it is now.
        schedulePoll(0);
      } finally {
        retrying.value = false;
      }
    },

    async commit(): Promise<void> {
      const current = job.value;
      if (!current || current.state !== 'ready' || committing.value || mappingUnapplied.value) return;
      batch(() => {
        committing.value = true;
        importError.value = null;
      });
      try {
        await plannerApi.commitImport(current.id);
        setJob({ ...current, state: 'committing', progress: 0 });
      } catch (error) {
        batch(() => {
          committing.value = false;
          importError.value = problemText(error);
        });
      }
      schedulePoll(0);
    },

    chooseField(field: ImportField, value: string, shownValue: string): void {
      if (draft.value) draft.value = chooseField(draft.value, field, value, shownValue);
    },
    chooseWord(kind: 'status' | 'placement', index: number, value: string): void {
      if (draft.value) draft.value = chooseWord(draft.value, kind, index, value);
    },

    /** The dry run again with the mapping as the planner left it. */
    async reanalyse(): Promise<void> {
      const current = job.value;
      const d = draft.value;
      if (!current || !d || current.state !== 'ready' || reanalysing.value || committing.value) return;
      batch(() => {
        reanalysing.value = true;
        importError.value = null;
        templateMessage.value = null;
      });
      try {
        // The mapping as the planner left it (the analysed one, the api's own record of it, replaced).
        const { mapping: _used, analysedMapping: _analysed, ...options } = current.options ?? {};
        const row = await plannerApi.reanalyseImport(current.id, { ...options, mapping: draftMapping(d) });
        pollGeneration += 1;
        batch(() => {
          setJob(shown(current, row));
          report.value = null;
          reportError.value = null;
        });
        schedulePoll(0);
      } catch (error) {
        importError.value = problemText(error);
      } finally {
        reanalysing.value = false;
      }
    },

    /** Keeps the draft's mapping under a name, offered (and chosen) for the next upload; without a name, says so. */
    async saveTemplate(): Promise<void> {
      const d = draft.value;
      if (!d || savingTemplate.value) return;
      const name = templateName.value.trim();
      if (!name) {
        templateMessage.value = { text: t('mapping.nameRequired'), error: true };
        return;
      }
      batch(() => {
        savingTemplate.value = true;
        templateMessage.value = null;
      });
      try {
        const saved = await plannerApi.saveImportTemplate(name, draftMapping(d));
        templateMessage.value = { text: t('mapping.saved', { name: saved?.name ?? name }), error: false };
        savingTemplate.value = false;
        await loadTemplates(saved?.id);
      } catch (error) {
        templateMessage.value = { text: problemText(error), error: true };
      } finally {
        savingTemplate.value = false;
      }
    },

    /** Signed out, or no longer a planner: nothing of the last user's imports stays. */
    clear(): void {
      reset();
      recentGeneration += 1;
      batch(() => {
        recent.value = null;
        recentNext.value = null;
        recentError.value = null;
        recentLoading.value = false;
        templates.value = null;
      });
    },
  };
}

export type ImportsStore = ReturnType<typeof createImportsStore>;
