/**
 * The progress dashboard's state: the region, each kecamatan and, on demand, the desa of one, with
 * the SOPD's savings, all from the api's roll-ups (GET /api/progress, GET /api/savings); the
 * region's history with the phases' target dates and scope for the burn-up chart (GET
 * /api/progress/history, /api/phases); and the kecamatan boundaries for the choropleth (GET
 * /api/areas). It reloads when the network's figures change (a change here or on the live feed),
 * so what it shows is current; the boundaries are read once.
 */
import { batch, effect, signal, type ReadonlySignal } from '@preact/signals';
import type {
  AreaFeature,
  AreaProgress,
  AreaSavings,
  PhaseRecord,
  ProgressHistory,
  ProgressLevel,
  ProgressPage,
  ProgressPoint,
  SavingsPage,
} from '../../../../../libs/contract/src';
import { api, getJson } from '../../shared/api';
import { isDay, type PlanPhase } from './burnup';

export type Measure = 'sites' | 'length';

export interface ProgressDeps {
  /** Changes whenever the network's figures do (the header's figures). */
  changed: ReadonlySignal<unknown>;
}

/** Every page of a level's areas (follows `next`). */
async function allAreas(level: ProgressLevel, parent: string | null, signal?: AbortSignal): Promise<{ areas: AreaProgress[]; passedDistanceM: number }> {
  const areas: AreaProgress[] = [];
  let url: string | null = `/api/progress?level=${level}${parent ? `&parent=${encodeURIComponent(parent)}` : ''}&limit=500`;
  let passedDistanceM = 0;
  while (url) {
    const page: ProgressPage = await getJson<ProgressPage>(url, signal);
    areas.push(...page.areas);
    passedDistanceM = page.passedDistanceM;
    url = page.next;
  }
  return { areas, passedDistanceM };
}

/** At most this many pages of history (5000 days each): the history of one area is a few thousand days. */
const MAX_HISTORY_PAGES = 20;
/** At most this many phases with a target date are read for the plan (one request each, a few at a time). */
export const MAX_PLAN_PHASES = 200;
const PHASE_READS_AT_ONCE = 4;

/** The region's history, oldest first, every page (follows `next`, bounded). */
async function regionHistory(signal: AbortSignal): Promise<ProgressPoint[]> {
  const points: ProgressPoint[] = [];
  const seen = new Set<string>();
  let url: string | null = '/api/progress/history?area=&limit=5000';
  while (url && !seen.has(url) && seen.size < MAX_HISTORY_PAGES) {
    seen.add(url);
    const page: ProgressHistory = await getJson<ProgressHistory>(url, signal);
    points.push(...page.points);
    url = page.next;
  }
  return points;
}

/** The phases with what each contracts; those without a target date are counted but not read. */
async function planPhases(signal: AbortSignal): Promise<PlanPhase[]> {
  const phases = await api.phases(signal);
  const dated = phases.filter((phase) => isDay(phase.targetDate)).slice(0, MAX_PLAN_PHASES);
  const undated: PlanPhase[] = phases
    .filter((phase) => !isDay(phase.targetDate))
    .map((phase) => ({ id: phase.id, code: phase.code, name: phase.name, targetDate: null, budgetYear: phase.budgetYear, sites: 0, lengthM: 0 }));
  const read: PlanPhase[] = [];
  for (let i = 0; i < dated.length; i += PHASE_READS_AT_ONCE) {
    const records = await Promise.all(dated.slice(i, i + PHASE_READS_AT_ONCE).map((phase) => getJson<PhaseRecord>(`/api/phases/${encodeURIComponent(phase.id)}`, signal)));
    for (const record of records) {
      read.push({
        id: record.id,
        code: record.code,
        name: record.name,
        targetDate: record.targetDate,
        budgetYear: record.budgetYear,
        sites: record.scope.sites,
        lengthM: record.scope.lengthM,
      });
    }
  }
  return [...read, ...undated];
}

export interface Burnup {
  points: ProgressPoint[];
  phases: PlanPhase[];
}

export type LoadState = 'loading' | 'ready' | 'failed';

export function createProgressStore(deps: ProgressDeps) {
  const state = signal<'loading' | 'ready' | 'failed'>('loading');
  const region = signal<AreaProgress | null>(null);
  const kecamatan = signal<AreaProgress[]>([]);
  const desa = signal<Record<string, AreaProgress[]>>({});
  const open = signal<string | null>(null);
  const measure = signal<Measure>('sites');
  const savings = signal<{ share: number; sopd: AreaSavings } | null>(null);
  const passedDistanceM = signal(0);
  const burnup = signal<Burnup | null>(null);
  const burnupState = signal<LoadState>('loading');
  const boundaries = signal<AreaFeature[] | null>(null);
  const boundariesState = signal<LoadState>('loading');
  let controller: AbortController | null = null;

  /** The chart's data: on its own, so that a failure there leaves the figures shown. */
  async function loadBurnup(mine: AbortController): Promise<void> {
    if (!burnup.value) burnupState.value = 'loading';
    try {
      const [points, phases] = await Promise.all([regionHistory(mine.signal), planPhases(mine.signal)]);
      if (mine.signal.aborted) return;
      batch(() => {
        burnup.value = { points, phases };
        burnupState.value = 'ready';
      });
    } catch {
      if (!mine.signal.aborted) burnupState.value = 'failed';
    }
  }

  /** The kecamatan boundaries, once (they do not change with the network). */
  async function loadBoundaries(): Promise<void> {
    if (boundaries.value) return;
    boundariesState.value = 'loading';
    try {
      const features = await api.areas('kecamatan');
      batch(() => {
        boundaries.value = features;
        boundariesState.value = 'ready';
      });
    } catch {
      boundariesState.value = 'failed';
    }
  }

  async function load(): Promise<void> {
    controller?.abort();
    const mine = (controller = new AbortController());
    if (!region.value) state.value = 'loading';
    void loadBurnup(mine);
    if (boundariesState.value !== 'ready') void loadBoundaries();
    try {
      const [regionPage, kecamatanPage, savingsPage] = await Promise.all([
        allAreas('region', null, mine.signal),
        allAreas('kecamatan', null, mine.signal),
        getJson<SavingsPage>('/api/savings?level=region&kind=sopd', mine.signal),
      ]);
      const shown = open.value;
      const desaPage = shown ? await allAreas('desa', shown, mine.signal) : null;
      if (mine.signal.aborted) return;
      batch(() => {
        region.value = regionPage.areas[0] ?? null;
        kecamatan.value = kecamatanPage.areas;
        passedDistanceM.value = regionPage.passedDistanceM;
        savings.value = { share: savingsPage.fiberCostShare, sopd: savingsPage.areas[0] };
        if (shown && desaPage) desa.value = { [shown]: desaPage.areas };
        state.value = 'ready';
      });
    } catch {
      if (!mine.signal.aborted) state.value = 'failed';
    }
  }

  async function show(code: string): Promise<void> {
    open.value = code;
    if (desa.value[code]) return;
    try {
      const page = await allAreas('desa', code);
      desa.value = { ...desa.value, [code]: page.areas };
    } catch {
      state.value = 'failed';
    }
  }

  // A change of the figures reloads, a moment later, so a burst of changes costs one reload.
  let timer: ReturnType<typeof setTimeout> | null = null;
  let first = true;
  const stop = effect(() => {
    void deps.changed.value;
    if (first) {
      first = false;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void load(), 300);
  });

  return {
    state: state as ReadonlySignal<'loading' | 'ready' | 'failed'>,
    region: region as ReadonlySignal<AreaProgress | null>,
    kecamatan: kecamatan as ReadonlySignal<AreaProgress[]>,
    desa: desa as ReadonlySignal<Record<string, AreaProgress[]>>,
    open: open as ReadonlySignal<string | null>,
    measure: measure as ReadonlySignal<Measure>,
    savings: savings as ReadonlySignal<{ share: number; sopd: AreaSavings } | null>,
    passedDistanceM: passedDistanceM as ReadonlySignal<number>,
    burnup: burnup as ReadonlySignal<Burnup | null>,
    burnupState: burnupState as ReadonlySignal<LoadState>,
    boundaries: boundaries as ReadonlySignal<AreaFeature[] | null>,
    boundariesState: boundariesState as ReadonlySignal<LoadState>,
    /** Reads everything again (also what failed: the chart's data, the boundaries). */
    load,
    setMeasure(next: Measure): void {
      measure.value = next;
    },
    /** Shows (or hides again) the desa of a kecamatan. */
    async toggle(code: string): Promise<void> {
      if (open.value === code) {
        open.value = null;
        return;
      }
      await show(code);
    },
    /** Shows the desa of a kecamatan (the choropleth's click: it never hides them). */
    show,
    dispose(): void {
      stop();
      if (timer) clearTimeout(timer);
      controller?.abort();
    },
  };
}

export type ProgressStore = ReturnType<typeof createProgressStore>;
