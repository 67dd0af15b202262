/**
 * The milestones' state: the list (all, or what awaits the reader: a mentor's review, a planner's
 * answer), and one milestone with its evidence and review thread, from GET /api/milestones. A
 * review or a reply is sent, then the milestone is read again: the server decides what it shows.
 */
import { batch, signal, type ReadonlySignal } from '@preact/signals';
import type {
  Milestone,
  MilestoneDetail,
  MilestoneEvidencePage,
  MilestonesPage,
  MilestoneThreadEntry,
  MilestoneThreadPage,
  ReviewVerdict,
  Role,
} from '../../../../../libs/contract/src';
import { ApiError, getJson, send } from '../../shared/api';

export type Awaiting = 'all' | 'review' | 'answer';

/** Segments of the evidence shown at once (the rest a page at a time). */
const EVIDENCE_PAGE = 50;

/** What the reader may write in a thread: mentors review, planners answer, the others read. */
export function threadRole(role: Role): 'review' | 'reply' | null {
  if (role === 'mentor') return 'review';
  return role === 'admin' || role === 'planner' ? 'reply' : null;
}

export function createMilestonesStore(deps: { role: Role; awaiting?: Awaiting }) {
  const state = signal<'idle' | 'loading' | 'ready' | 'failed'>('idle');
  const filter = signal<Awaiting>(deps.awaiting ?? 'all');
  const milestones = signal<Milestone[]>([]);
  const next = signal<string | null>(null);
  const selected = signal<MilestoneDetail | null>(null);
  const thread = signal<MilestoneThreadEntry[]>([]);
  const evidence = signal<MilestoneEvidencePage | null>(null);
  const pageState = signal<'idle' | 'loading' | 'ready' | 'failed'>('idle');
  let controller: AbortController | null = null;

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
    state: state as ReadonlySignal<'idle' | 'loading' | 'ready' | 'failed'>,
    filter: filter as ReadonlySignal<Awaiting>,
    milestones: milestones as ReadonlySignal<Milestone[]>,
    next: next as ReadonlySignal<string | null>,
    selected: selected as ReadonlySignal<MilestoneDetail | null>,
    thread: thread as ReadonlySignal<MilestoneThreadEntry[]>,
    evidence: evidence as ReadonlySignal<MilestoneEvidencePage | null>,
    pageState: pageState as ReadonlySignal<'idle' | 'loading' | 'ready' | 'failed'>,
    load,
    open,
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
