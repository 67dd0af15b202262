/**
 * The milestones' state: the list (all, or what awaits the reader: a mentor's review, a planner's
 * answer), and one milestone with its evidence and review thread, from GET /api/milestones. A
 * review or a reply is sent, then the milestone is read again: the server decides what it shows.
 * Planners create and change milestones and record a manual one done (milestone-form-view.tsx);
 * the phases and areas those forms offer are read once, when a form first needs them.
 */
import { batch, signal, type ReadonlySignal } from '@preact/signals';
import type {
  Milestone,
  MilestoneDetail,
  MilestoneEvidencePage,
  MilestonesPage,
  MilestoneThreadEntry,
  MilestoneThreadPage,
  Phase,
  ReviewVerdict,
  Role,
} from '../../../../../libs/contract/src';
import { api, ApiError, fieldApi, getJson, send, type UploadedPhoto } from '../../shared/api';
import type { MilestoneBody } from './milestone-form';

export type Awaiting = 'all' | 'review' | 'answer';

/** Segments of the evidence shown at once (the rest a page at a time). */
const EVIDENCE_PAGE = 50;

/** What the reader may write in a thread: mentors review, planners answer, the others read. */
export function threadRole(role: Role): 'review' | 'reply' | null {
  if (role === 'mentor') return 'review';
  return role === 'admin' || role === 'planner' ? 'reply' : null;
}

/** Who may create and change milestones and record one done (the api's PLANNERS). */
export function canPlan(role: Role): boolean {
  return role === 'admin' || role === 'planner';
}

/** An area a km-active milestone can count over. */
export interface AreaChoice {
  code: string;
  name: string;
}

/** What the milestone form offers: the phases by code, the kabupaten, and its kecamatan by name. */
export interface MilestoneChoices {
  phases: Phase[];
  kabupaten: AreaChoice[];
  kecamatan: AreaChoice[];
}

/** An answer that went wrong, as the form lays it out (the ApiError), or anything else thrown. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function outcome<T>(work: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    return { ok: false, error };
  }
}

export interface MilestonesDeps {
  role: Role;
  awaiting?: Awaiting;
  /** The api calls of the forms (tests give their own). */
  phases?: () => Promise<Phase[]>;
  areas?: (level: 'kabupaten' | 'kecamatan') => Promise<AreaChoice[]>;
  uploadPhoto?: (photo: Blob, fileName: string) => Promise<UploadedPhoto>;
}

const areaChoices = async (level: 'kabupaten' | 'kecamatan'): Promise<AreaChoice[]> =>
  (await api.areas(level)).map((feature) => ({ code: feature.properties.code, name: feature.properties.name }));

export function createMilestonesStore(deps: MilestonesDeps) {
  const state = signal<'idle' | 'loading' | 'ready' | 'failed'>('idle');
  const filter = signal<Awaiting>(deps.awaiting ?? 'all');
  const milestones = signal<Milestone[]>([]);
  const next = signal<string | null>(null);
  const selected = signal<MilestoneDetail | null>(null);
  const thread = signal<MilestoneThreadEntry[]>([]);
  const evidence = signal<MilestoneEvidencePage | null>(null);
  const pageState = signal<'idle' | 'loading' | 'ready' | 'failed'>('idle');
  const choices = signal<MilestoneChoices | null>(null);
  const choicesState = signal<'idle' | 'loading' | 'ready' | 'failed'>('idle');
  let controller: AbortController | null = null;
  const readPhases = deps.phases ?? (() => api.phases());
  const readAreas = deps.areas ?? areaChoices;
  const upload = deps.uploadPhoto ?? fieldApi.uploadPhoto;

  /** The phases and areas for the form, read once (again after a failure). */
  async function loadChoices(): Promise<void> {
    if (choicesState.value === 'loading' || choicesState.value === 'ready') return;
    choicesState.value = 'loading';
    try {
      const [phases, kabupaten, kecamatan] = await Promise.all([readPhases(), readAreas('kabupaten'), readAreas('kecamatan')]);
      const byName = (a: AreaChoice, b: AreaChoice) => a.name.localeCompare(b.name, 'id');
      batch(() => {
        choices.value = {
          phases: [...phases].sort((a, b) => a.code.localeCompare(b.code, 'id', { numeric: true })),
          kabupaten: [...kabupaten].sort(byName),
          kecamatan: [...kecamatan].sort(byName),
        };
        choicesState.value = 'ready';
      });
    } catch {
      choicesState.value = 'failed';
    }
  }

  /** After a write: the milestone's page as the server now has it, and the list. */
  async function written(id: string): Promise<void> {
    await open(id);
    void load();
  }

  const listUrl = () => `/api/milestones?limit=50${filter.value === 'all' ? '' : `&awaiting=${filter.value}`}`;

  async function load(): Promise<void> {
    controller?.abort();
    const mine = (controller = new AbortController());
    state.value = 'loading';
    try {
      const page = await getJson<MilestonesPage>(listUrl(), mine.signal);
      if (mine.signal.aborted) return;
      batch(() => {
        milestones.value = page.milestones;
        next.value = page.next;
        state.value = 'ready';
      });
    } catch {
      if (!mine.signal.aborted) state.value = 'failed';
    }
  }

  /** The whole thread, oldest first (follows `next`). */
  async function readThread(id: string): Promise<MilestoneThreadEntry[]> {
    const entries: MilestoneThreadEntry[] = [];
    let url: string | null = `/api/milestones/${id}/thread`;
    while (url) {
      const page: MilestoneThreadPage = await getJson<MilestoneThreadPage>(url);
      entries.push(...page.entries);
      url = page.next;
    }
    return entries;
  }

  async function open(id: string): Promise<void> {
    pageState.value = 'loading';
    try {
      const [detail, entries, items] = await Promise.all([
        getJson<MilestoneDetail>(`/api/milestones/${id}`),
        readThread(id),
        getJson<MilestoneEvidencePage>(`/api/milestones/${id}/evidence?limit=${EVIDENCE_PAGE}`),
      ]);
      batch(() => {
        selected.value = detail;
        thread.value = entries;
        evidence.value = items;
        pageState.value = 'ready';
      });
    } catch {
      pageState.value = 'failed';
    }
  }

  /** Sends an entry of the thread; the problem in the reader's language, or null once it is kept. */
  async function write(path: 'reviews' | 'comments', body: { verdict?: ReviewVerdict; body: string }): Promise<string | null> {
    const milestone = selected.value;
    if (!milestone) return null;
    try {
      await send(`/api/milestones/${milestone.id}/${path}`, { method: 'POST', body });
    } catch (error) {
      return error instanceof ApiError ? (error.serverMessage ?? error.message) : String(error);
    }
    await open(milestone.id);
    void load();
    return null;
  }

  return {
    role: deps.role,
    canPlan: canPlan(deps.role),
    state: state as ReadonlySignal<'idle' | 'loading' | 'ready' | 'failed'>,
    filter: filter as ReadonlySignal<Awaiting>,
    milestones: milestones as ReadonlySignal<Milestone[]>,
    next: next as ReadonlySignal<string | null>,
    selected: selected as ReadonlySignal<MilestoneDetail | null>,
    thread: thread as ReadonlySignal<MilestoneThreadEntry[]>,
    evidence: evidence as ReadonlySignal<MilestoneEvidencePage | null>,
    pageState: pageState as ReadonlySignal<'idle' | 'loading' | 'ready' | 'failed'>,
    choices: choices as ReadonlySignal<MilestoneChoices | null>,
    choicesState: choicesState as ReadonlySignal<'idle' | 'loading' | 'ready' | 'failed'>,
    load,
    open,
    loadChoices,
    /** POST /api/milestones; once kept, its page opens and the list reloads. */
    async create(body: MilestoneBody): Promise<Outcome<MilestoneDetail>> {
      const result = await outcome(send<MilestoneDetail>('/api/milestones', { method: 'POST', body }));
      if (result.ok) await written(result.value.id);
      return result;
    },
    /** PATCH with the version the form was filled from (a 409 VERSION_CONFLICT when someone changed it since). */
    async update(id: string, version: number, body: MilestoneBody): Promise<Outcome<MilestoneDetail>> {
      const result = await outcome(send<MilestoneDetail>(`/api/milestones/${encodeURIComponent(id)}`, { method: 'PATCH', body: { ...body, version } }));
      if (result.ok) await written(id);
      return result;
    },
    /** One photo or scan from the device, uploaded to be named in a completion. */
    uploadPhoto: (photo: Blob, fileName: string): Promise<Outcome<UploadedPhoto>> => outcome(upload(photo, fileName)),
    /** A manual milestone recorded done on a day, with a note and the uploaded photos. */
    async complete(id: string, body: { doneOn: string; note: string; photoIds: string[] }): Promise<Outcome<MilestoneDetail>> {
      const result = await outcome(send<MilestoneDetail>(`/api/milestones/${encodeURIComponent(id)}/completion`, { method: 'POST', body }));
      if (result.ok) await written(id);
      return result;
    },
    setFilter(value: Awaiting): void {
      filter.value = value;
      void load();
    },
    async more(): Promise<void> {
      const url = next.value;
      if (!url) return;
      try {
        const page = await getJson<MilestonesPage>(url);
        batch(() => {
          milestones.value = [...milestones.value, ...page.milestones];
          next.value = page.next;
        });
      } catch {
        state.value = 'failed';
      }
    },
    async moreEvidence(): Promise<void> {
      const page = evidence.value;
      if (!page?.next) return;
      try {
        const more = await getJson<MilestoneEvidencePage>(page.next);
        evidence.value = { ...more, items: [...page.items, ...more.items], numberReturned: page.items.length + more.items.length };
      } catch {
        pageState.value = 'failed';
      }
    },
    back(): void {
      batch(() => {
        selected.value = null;
        thread.value = [];
        evidence.value = null;
        pageState.value = 'idle';
      });
    },
    review: (verdict: ReviewVerdict, body: string) => write('reviews', { verdict, body }),
    reply: (body: string) => write('comments', { body }),
    dispose(): void {
      controller?.abort();
    },
  };
}

export type MilestonesStore = ReturnType<typeof createMilestonesStore>;
