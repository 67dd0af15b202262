/**
 * The state of the network list as signals: per list (segments, nodes, sites) the filter, the
 * sort and the offset, and the page the server last answered for them. Each list keeps its own
 * while the screen is open, so switching tabs and back finds it as it was left. Nothing here
 * touches the DOM; the components read these and call the actions.
 */
import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import { ApiError } from '../../shared/api';
import type { Lang } from '../../shared/i18n';
import { lang } from '../../shared/translate';
import { PLANNER_ROLES } from '../../shared/vocabulary';
import {
  EXPORT_FORMATS,
  exportUrl,
  INVENTORY_SORTS,
  inventoryApi,
  NO_FILTER,
  type Choice,
  type ExportFormat,
  type InventoryLayer,
  type InventoryPage,
  type ListFilter,
  type SortOrder,
} from './inventory-api';

/** What went wrong, in the server's words (in the language of the request) when it gave some. */
export interface Failure {
  code: string | null;
  status: number | null;
  network: boolean;
  server: string | null;
  /** The language the server answered in: after a switch its text no longer fits. */
  lang: Lang;
}

export function failureOf(error: unknown): Failure {
  if (error instanceof ApiError) return { code: error.code, status: error.httpStatus, network: error.reason === 'network', server: error.serverMessage, lang: lang.value };
  return { code: null, status: null, network: false, server: null, lang: lang.value };
}

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

export interface ListState {
  filter: ListFilter;
  sort: string;
  order: SortOrder;
  offset: number;
}

export type Subject = 'segment' | 'node' | 'site';
export const SUBJECT_OF: Record<InventoryLayer, Subject> = { segments: 'segment', nodes: 'node', sites: 'site' };

export interface InventoryDeps {
  role: string;
  /** Shows the feature on the map (reading it first when the view does not hold it); false when it cannot (gone, offline). */
  focus(subject: Subject, id: string): Promise<boolean>;
}

export interface StoreOptions {
  pageSize?: number;
  /** How long typing in the search box rests before the list asks the server. */
  debounceMs?: number;
}

const freshState = (layer: InventoryLayer): ListState => ({ filter: { ...NO_FILTER }, sort: INVENTORY_SORTS[layer][0], order: 'asc', offset: 0 });

export function createInventoryStore(deps: InventoryDeps, options: StoreOptions = {}) {
  const pageSize = options.pageSize ?? 50;
  const debounceMs = options.debounceMs ?? 300;
  const layer = signal<InventoryLayer>('segments');
  const states = signal<Record<InventoryLayer, ListState>>({ segments: freshState('segments'), nodes: freshState('nodes'), sites: freshState('sites') });
  /** What is typed in each list's search box (applied as `q` once typing rests). */
  const typed = signal<Record<InventoryLayer, string>>({ segments: '', nodes: '', sites: '' });
  const pages = signal<Partial<{ [L in InventoryLayer]: InventoryPage<L> }>>({});
  const loading = signal(false);
  const failure = signal<Failure | null>(null);
  const kecamatan = signal<Choice[]>([]);
  const phases = signal<Choice[]>([]);
  /** The code of a row that could not be shown on the map. */
  const notOnMap = signal<string | null>(null);
  const exportFailure = signal<Failure | null>(null);
  const exporting = signal<string | null>(null);
  let running: AbortController | null = null;
  let seq = 0;
  let typingTimer: ReturnType<typeof setTimeout> | null = null;

  const state = computed(() => states.value[layer.value]);
  const page = computed(() => pages.value[layer.value] ?? null);

  /** Asks for the current list's page; an answer to an older question is dropped. */
  async function load(): Promise<void> {
    running?.abort();
    const mine = new AbortController();
    running = mine;
    const ask = ++seq;
    const which = layer.value;
    const { filter, sort, order, offset } = states.value[which];
    batch(() => {
      loading.value = true;
      failure.value = null;
    });
    try {
      const answer = await inventoryApi.list(which, { filter, sort, order, offset, limit: pageSize }, mine.signal);
      if (ask !== seq) return;
      // Past the end (rows went away since the count): the last page that has rows.
      if (answer.rows.length === 0 && answer.total > 0 && offset > 0) {
        setState(which, { offset: Math.max(0, Math.floor((answer.total - 1) / pageSize) * pageSize) });
        return await load();
      }
      pages.value = { ...pages.value, [which]: answer };
    } catch (error) {
      if (ask !== seq || isAbort(error)) return;
      failure.value = failureOf(error);
    } finally {
      if (ask === seq) loading.value = false;
    }
  }

  function setState(which: InventoryLayer, change: Partial<ListState>): void {
    states.value = { ...states.value, [which]: { ...states.value[which], ...change } };
  }

  function stopTyping(): void {
    if (typingTimer !== null) clearTimeout(typingTimer);
    typingTimer = null;
  }

  /** A new filter starts at the first page. */
  function applyFilter(change: Partial<ListFilter>): Promise<void> {
    setState(layer.value, { filter: { ...state.value.filter, ...change }, offset: 0 });
    return load();
  }

  return {
    layer: layer as ReadonlySignal<InventoryLayer>,
    state,
    page,
    typed: computed(() => typed.value[layer.value]),
    loading: loading as ReadonlySignal<boolean>,
    failure: failure as ReadonlySignal<Failure | null>,
    kecamatan: kecamatan as ReadonlySignal<Choice[]>,
    phases: phases as ReadonlySignal<Choice[]>,
    notOnMap: notOnMap as ReadonlySignal<string | null>,
    exportFailure: exportFailure as ReadonlySignal<Failure | null>,
    exporting: exporting as ReadonlySignal<string | null>,
    pageSize,
    /** Admins and planners export (the api refuses everyone else). */
    mayExport: PLANNER_ROLES.includes(deps.role),
    hasPrevious: computed(() => state.value.offset > 0),
    hasNext: computed(() => {
      const shown = page.value;
      return shown !== null && shown.offset + shown.rows.length < shown.total;
    }),
    /** The export files of the current list with its filter as it is applied now. */
    exports: computed(() => {
      if (!PLANNER_ROLES.includes(deps.role)) return [];
      return EXPORT_FORMATS.map((format: ExportFormat) => ({ format, href: exportUrl(layer.value, format, state.value.filter) }));
    }),
    load,
    show(next: InventoryLayer): Promise<void> {
      stopTyping();
      batch(() => {
        layer.value = next;
        notOnMap.value = null;
        exportFailure.value = null;
      });
      return load();
    },
    /** Typing in the search box: the list follows once typing rests for a moment. */
    type(text: string): void {
      typed.value = { ...typed.value, [layer.value]: text };
      stopTyping();
      typingTimer = setTimeout(() => {
        typingTimer = null;
        if (text.trim() !== state.value.filter.q) void applyFilter({ q: text.trim() });
      }, debounceMs);
    },
    /** Enter in the search box: now, without waiting. */
    search(): Promise<void> {
      stopTyping();
      return applyFilter({ q: typed.value[layer.value].trim() });
    },
    setFilter(change: Partial<Omit<ListFilter, 'q'>>): Promise<void> {
      return applyFilter(change);
    },
    clearFilter(): Promise<void> {
      stopTyping();
      typed.value = { ...typed.value, [layer.value]: '' };
      return applyFilter({ ...NO_FILTER });
    },
    /** A column header: sorts by it ascending, or turns the order round when it already sorts; from the first page. */
    sortBy(column: string): Promise<void> {
      const current = state.value;
      const order: SortOrder = current.sort === column && current.order === 'asc' ? 'desc' : 'asc';
      setState(layer.value, { sort: column, order, offset: 0 });
      return load();
    },
    next(): Promise<void> {
      const shown = page.value;
      if (!shown || shown.offset + shown.rows.length >= shown.total) return Promise.resolve();
      setState(layer.value, { offset: shown.offset + pageSize });
      return load();
    },
    previous(): Promise<void> {
      if (state.value.offset === 0) return Promise.resolve();
      setState(layer.value, { offset: Math.max(0, state.value.offset - pageSize) });
      return load();
    },
    /** Shows a row's feature on the map; true when the map could (the screen then goes away). */
    async focus(id: string, code: string): Promise<boolean> {
      const shown = await deps.focus(SUBJECT_OF[layer.value], id);
      notOnMap.value = shown ? null : code;
      return shown;
    },
    dismissNotice(): void {
      notOnMap.value = null;
    },
    /** The kecamatan and phases to choose from; without them the filter offers only "all". */
    async loadChoices(): Promise<void> {
      const [areas, phaseList] = await Promise.allSettled([inventoryApi.kecamatan(), inventoryApi.phases()]);
      batch(() => {
        kecamatan.value = areas.status === 'fulfilled' ? areas.value : [];
        phases.value = phaseList.status === 'fulfilled' ? phaseList.value : [];
      });
    },
    /** Downloads an export through the session and hands back the file; a failure is kept to show. */
    async download(href: string): Promise<Blob | null> {
      if (exporting.value) return null;
      batch(() => {
        exporting.value = href;
        exportFailure.value = null;
      });
      try {
        return await inventoryApi.download(href);
      } catch (error) {
        exportFailure.value = failureOf(error);
        return null;
      } finally {
        exporting.value = null;
      }
    },
    dispose(): void {
      stopTyping();
      running?.abort();
      seq++;
    },
  };
}

export type InventoryStore = ReturnType<typeof createInventoryStore>;
