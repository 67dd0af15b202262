/**
 * The progress dashboard's state: the region, each kecamatan and, on demand, the desa of one, with
 * the SOPD's savings, all from the api's roll-ups (GET /api/progress, GET /api/savings). It reloads
 * when the network's figures change (a change here or on the live feed), so what it shows is current.
 */
import { batch, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { AreaProgress, AreaSavings, ProgressLevel, ProgressPage, SavingsPage } from '../../../../../libs/contract/src';
import { getJson } from '../../shared/api';

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

export function createProgressStore(deps: ProgressDeps) {
  const state = signal<'loading' | 'ready' | 'failed'>('loading');
  const region = signal<AreaProgress | null>(null);
  const kecamatan = signal<AreaProgress[]>([]);
  const desa = signal<Record<string, AreaProgress[]>>({});
  const open = signal<string | null>(null);
  const measure = signal<Measure>('sites');
  const savings = signal<{ share: number; sopd: AreaSavings } | null>(null);
  const passedDistanceM = signal(0);
  let controller: AbortController | null = null;

  async function load(): Promise<void> {
    controller?.abort();
    const mine = (controller = new AbortController());
    if (!region.value) state.value = 'loading';
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
      open.value = code;
      if (desa.value[code]) return;
      try {
        const page = await allAreas('desa', code);
        desa.value = { ...desa.value, [code]: page.areas };
      } catch {
        state.value = 'failed';
      }
    },
    dispose(): void {
      stop();
      if (timer) clearTimeout(timer);
      controller?.abort();
    },
  };
}

export type ProgressStore = ReturnType<typeof createProgressStore>;
