/**
 * The state of the admin screens as signals: the users a page at a time (with the search), the
 * one being edited and a temporary password to show once; the audit trail with its filter. The
 * components read these and call the actions; nothing here touches the DOM.
 */
import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import { ApiError } from '../../shared/api';
import type { Lang } from '../../shared/i18n';
import { lang } from '../../shared/translate';
import { adminApi, type AdminUser, type AuditEntry, type AuditFilter, type Kecamatan, type NewUserBody, type UserChanges } from './admin-api';

/** What went wrong, as the server explained it (in the language of the request) when it did. */
export interface Failure {
  code: string | null;
  status: number | null;
  network: boolean;
  server: string | null;
  /** The field problems of a VALIDATION_FAILED, or a weak password's reasons, as plain text. */
  lines: string[];
  /** The language the server answered in: after a switch its text no longer fits. */
  lang: Lang;
}

function detailLines(details: unknown): string[] {
  if (Array.isArray(details)) {
    return details.flatMap((entry) => {
      if (typeof entry === 'string') return [entry];
      const { field, problem } = (entry ?? {}) as { field?: unknown; problem?: unknown };
      return typeof problem === 'string' ? [typeof field === 'string' && field ? `${field}: ${problem}` : problem] : [];
    });
  }
  const problems = (details as { problems?: unknown } | null)?.problems;
  return Array.isArray(problems) ? problems.filter((line): line is string => typeof line === 'string') : [];
}

export function failureOf(error: unknown): Failure {
  if (error instanceof ApiError) {
    return {
      code: error.code,
      status: error.httpStatus,
      network: error.reason === 'network',
      server: error.serverMessage,
      lines: detailLines(error.details),
      lang: lang.value,
    };
  }
  return { code: null, status: null, network: false, server: null, lines: [], lang: lang.value };
}

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

export interface Pager<T> {
  readonly items: ReadonlySignal<T[]>;
  readonly loading: ReadonlySignal<boolean>;
  readonly failure: ReadonlySignal<Failure | null>;
  /** 1 for the first page. */
  readonly page: ReadonlySignal<number>;
  readonly hasNext: ReadonlySignal<boolean>;
  readonly hasPrevious: ReadonlySignal<boolean>;
  first(): Promise<void>;
  next(): Promise<void>;
  previous(): Promise<void>;
  reload(): Promise<void>;
}

/**
 * Server-side paging by cursor: the server only knows "after this one", so the way back is the
 * trail of cursors the pages so far started at. A newer request cancels the one still running.
 */
function createPager<T>(fetchPage: (cursor: string | null, signal: AbortSignal) => Promise<{ items: T[]; next: string | null }>) {
  const items = signal<T[]>([]);
  const trail = signal<(string | null)[]>([null]);
  const nextCursor = signal<string | null>(null);
  const loading = signal(false);
  const failure = signal<Failure | null>(null);
  let running: AbortController | null = null;

  async function show(cursor: string | null, newTrail: (string | null)[]): Promise<void> {
    running?.abort();
    const mine = new AbortController();
    running = mine;
    batch(() => {
      loading.value = true;
      failure.value = null;
    });
    try {
      const page = await fetchPage(cursor, mine.signal);
      if (mine.signal.aborted) return;
      batch(() => {
        items.value = page.items;
        nextCursor.value = page.next;
        trail.value = newTrail;
      });
    } catch (error) {
      if (mine.signal.aborted || isAbort(error)) return;
      failure.value = failureOf(error);
    } finally {
      if (running === mine) loading.value = false;
    }
  }

  const pager = {
    items,
    loading,
    failure,
    page: computed(() => trail.value.length),
    hasNext: computed(() => nextCursor.value !== null),
    hasPrevious: computed(() => trail.value.length > 1),
    first: () => show(null, [null]),
    next: () => (nextCursor.value === null ? Promise.resolve() : show(nextCursor.value, [...trail.value, nextCursor.value])),
    previous: () => (trail.value.length < 2 ? Promise.resolve() : show(trail.value[trail.value.length - 2], trail.value.slice(0, -1))),
    reload: () => show(trail.value[trail.value.length - 1], trail.value),
  };
  return { pager, items };
}

// ---------------------------------------------------------------------------------------------
// Users

export interface TemporaryPassword {
  username: string;
  password: string;
}

export function createUsersStore(pageSize = 20) {
  const search = signal('');
  const { pager, items } = createPager<AdminUser>(async (cursor, abort) => {
    const page = await adminApi.users({ limit: pageSize, after: cursor, q: search.value.trim() || undefined }, abort);
    return { items: page.users, next: page.next };
  });
  /** The user open in the editor, kept as the server last answered. */
  const selected = signal<AdminUser | null>(null);
  const temporaryPassword = signal<TemporaryPassword | null>(null);
  const kecamatan = signal<Kecamatan[]>([]);

  function remember(user: AdminUser, password: string | null, open: boolean): void {
    batch(() => {
      items.value = items.value.map((row) => (row.id === user.id ? user : row));
      if (open || selected.value?.id === user.id) selected.value = user;
      temporaryPassword.value = password ? { username: user.username, password } : null;
    });
  }

  return {
    ...pager,
    search: search as ReadonlySignal<string>,
    selected: selected as ReadonlySignal<AdminUser | null>,
    temporaryPassword: temporaryPassword as ReadonlySignal<TemporaryPassword | null>,
    kecamatan: kecamatan as ReadonlySignal<Kecamatan[]>,
    setSearch(text: string): Promise<void> {
      search.value = text;
      return pager.first();
    },
    select(user: AdminUser | null): void {
      batch(() => {
        selected.value = user;
        temporaryPassword.value = null;
      });
    },
    /** The names for the kecamatan codes; without them the codes are shown, so a failure is only that. */
    async loadKecamatan(): Promise<void> {
      try {
        kecamatan.value = await adminApi.kecamatan();
      } catch {
        kecamatan.value = [];
      }
    },
    /** Creates the user and opens it in the editor; throws the ApiError for the form to show. */
    async create(body: NewUserBody): Promise<AdminUser> {
      const answer = await adminApi.createUser(body);
      remember(answer.user, answer.temporaryPassword, true);
      void pager.reload();
      return answer.user;
    },
    async update(id: string, changes: UserChanges): Promise<AdminUser> {
      const answer = await adminApi.updateUser(id, changes);
      remember(answer.user, answer.temporaryPassword, false);
      return answer.user;
    },
    dismissPassword(): void {
      temporaryPassword.value = null;
    },
  };
}

export type UsersStore = ReturnType<typeof createUsersStore>;

// ---------------------------------------------------------------------------------------------
// Audit trail

export function createAuditStore(pageSize = 50) {
  const filter = signal<AuditFilter>({});
  const { pager } = createPager<AuditEntry>(async (cursor, abort) => {
    const page = await adminApi.audit(filter.value, { limit: pageSize, before: cursor }, abort);
    return { items: page.entries, next: page.next };
  });
  /** Who can be chosen as the actor: the users, by username (the API's largest page). */
  const actors = signal<AdminUser[]>([]);

  return {
    ...pager,
    filter: filter as ReadonlySignal<AuditFilter>,
    actors: actors as ReadonlySignal<AdminUser[]>,
    apply(next: AuditFilter): Promise<void> {
      filter.value = next;
      return pager.first();
    },
    async loadActors(): Promise<void> {
      try {
        actors.value = (await adminApi.users({ limit: 500 })).users;
      } catch {
        actors.value = [];
      }
    },
  };
}

export type AuditStore = ReturnType<typeof createAuditStore>;
