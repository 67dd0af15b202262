/**
 * The field technician's outbox. Every status change is stored on the device first (IndexedDB,
 * photos as Blobs) and only then sent, in the order it was made, whenever there is a connection:
 * photos first, then the status change naming them. What the server answers decides what happens
 * to a change — nothing is ever dropped without the technician saying so:
 *
 * - 201: done; removed from the outbox, the map is updated.
 * - 409 VERSION_CONFLICT: kept as a conflict with both versions (theirs from the server, mine as
 *   queued); the technician applies theirs-then-mine ("mine on top") or discards mine.
 * - 4xx (422 lifecycle or evidence, 403 out of area, …): kept with the server's message, to be
 *   edited or discarded.
 * - no network, 5xx, 429, 409 WRITE_CONFLICT (the server was busy with the same rows): kept as
 *   is, tried again later (timer, `online` event, tab shown again).
 * - 401, 403 PASSWORD_CHANGE_REQUIRED: kept; the page asks to sign in again (or to change the
 *   password first), and sending resumes after that.
 */
import { ApiError, fieldApi, type GpsEvidence, type OtdrEvidence, type StatusChangeBody, type Subject, type SubjectState } from '../../shared/api';
import { getLang, type Lang } from '../../shared/i18n';
import { OutboxStore } from './outbox-store';

export interface QueuedPhoto {
  key: string;
  blob: Blob;
  name: string;
  /** Set once uploaded, so a retry does not upload the same photo again. */
  uploadedId: string | null;
}

export type OutboxState = 'pending' | 'conflict' | 'rejected';

export interface OutboxProblem {
  /** network: no answer; auth: the session ended; server: 5xx/429 (tried again); refused: 4xx. */
  kind: 'network' | 'auth' | 'server' | 'refused';
  code: string | null;
  httpStatus: number | null;
  /** The server's own words, in the language the request was made in (`lang`). */
  message: string | null;
  lang: Lang;
}

export interface OutboxItem {
  id: string;
  userId: string;
  subject: Subject;
  targetId: string;
  code: string;
  /** The status and version the technician saw (or predicted from an earlier queued change). */
  fromStatus: string;
  baseVersion: number;
  /** True while baseVersion is a prediction from an earlier change of this item still in the outbox. */
  basedOnQueued: boolean;
  toStatus: string;
  note: string;
  /** When the technician pressed save, ISO 8601 with the device's offset. */
  deviceTime: string;
  /** Milliseconds since 1970, for the order of sending. */
  createdAt: number;
  gps: GpsEvidence | null;
  otdr: OtdrEvidence | null;
  photos: QueuedPhoto[];
  state: OutboxState;
  attempts: number;
  lastTriedAt: number | null;
  problem: OutboxProblem | null;
  /** With a conflict: the server's current state, and who made it so when that could be read. */
  theirs: (SubjectState & { changedBy?: string | null; changedAt?: string | null; note?: string | null }) | null;
}

export type OutboxDraft = Pick<OutboxItem, 'subject' | 'targetId' | 'code' | 'fromStatus' | 'baseVersion' | 'basedOnQueued' | 'toStatus' | 'note' | 'gps' | 'otdr' | 'photos'>;

const RETRY_INTERVAL_MS = 20_000;
const LOCK_NAME = 'serat-outbox';

function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** `2024-05-01T14:03:22.120+07:00`: local wall-clock time with the browser's UTC offset. */
export function isoWithOffset(date: Date): string {
  const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');
  const offsetMin = -date.getTimezoneOffset();
  const sign = offsetMin >= 0 ? '+' : '-';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(offsetMin / 60)}:${pad(offsetMin % 60)}`
  );
}

type Outcome = 'sent' | 'kept' | 'stop';

/** What the outbox works with: the device's store, the three calls it makes, the reader's language. */
export interface OutboxParts {
  store: OutboxStore<OutboxItem>;
  api: Pick<typeof fieldApi, 'uploadPhoto' | 'changeStatus' | 'history'>;
  lang: () => Lang;
}

export class Outbox {
  private readonly store: OutboxStore<OutboxItem>;
  private readonly api: OutboxParts['api'];
  private readonly lang: () => Lang;
  private userId: string | null = null;
  private list: OutboxItem[] = [];
  private running = false;
  private again = false;
  private retryTimer = 0;
  private readonly changeListeners = new Set<() => void>();
  private readonly appliedListeners = new Set<(item: OutboxItem, result: SubjectState) => void>();
  /** The last reason sending stopped (no network, session ended…); null after a clean run. */
  stalled: OutboxProblem | null = null;
  /** IndexedDB could not be opened (private mode on some browsers): changes cannot be queued. */
  unavailable = false;

  constructor(parts: OutboxParts = { store: new OutboxStore<OutboxItem>(), api: fieldApi, lang: getLang }) {
    this.store = parts.store;
    this.api = parts.api;
    this.lang = parts.lang;
    window.addEventListener('online', () => {
      this.emit();
      void this.sync();
    });
    window.addEventListener('offline', () => this.emit());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void this.sync();
    });
  }

  get online(): boolean {
    return navigator.onLine;
  }

  get syncing(): boolean {
    return this.running;
  }

  /** The current user's changes, oldest first. */
  items(): readonly OutboxItem[] {
    return this.list;
  }

  itemsFor(targetId: string): OutboxItem[] {
    return this.list.filter((item) => item.targetId === targetId);
  }

  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  onApplied(listener: (item: OutboxItem, result: SubjectState) => void): void {
    this.appliedListeners.add(listener);
  }

  /**
   * Whose outbox is shown and sent. Changes of other people who used this device stay stored
   * (never dropped) and are sent when they sign in again; null stops everything.
   */
  async setUser(userId: string | null): Promise<void> {
    this.userId = userId;
    this.list = [];
    this.stalled = null;
    window.clearInterval(this.retryTimer);
    this.retryTimer = 0;
    if (userId) {
      await this.reload();
      this.retryTimer = window.setInterval(() => {
        if (this.list.some((item) => item.state === 'pending')) void this.sync();
      }, RETRY_INTERVAL_MS);
      void this.sync();
    }
    this.emit();
  }

  /** Stores a change on the device. Resolves once it is safely written; sending starts after. */
  async add(draft: OutboxDraft, savedAt = new Date()): Promise<OutboxItem> {
    if (!this.userId) throw new Error('not signed in');
    const item: OutboxItem = {
      ...draft,
      id: newId(),
      userId: this.userId,
      deviceTime: isoWithOffset(savedAt),
      createdAt: Math.max(savedAt.getTime(), (this.list.at(-1)?.createdAt ?? 0) + 1),
      state: 'pending',
      attempts: 0,
      lastTriedAt: null,
      problem: null,
      theirs: null,
    };
    await this.store.put(item);
    await this.reload();
    this.emit();
    void this.sync();
    return item;
  }

  /**
   * Replaces a kept change with the technician's edit: same place in the order and same device
   * time (when it was first saved in the field), back to pending.
   */
  async edit(id: string, draft: OutboxDraft): Promise<void> {
    const item = await this.store.get(id);
    if (!item) return;
    // A photo the server would not attach is uploaded again; the others keep their upload.
    const reupload = item.problem?.code === 'PHOTO_NOT_USABLE';
    const photos = draft.photos.map((photo) => (reupload ? { ...photo, uploadedId: null } : photo));
    await this.store.put({ ...item, ...draft, photos, state: 'pending', problem: null, theirs: null });
    await this.reload();
    this.emit();
    void this.sync();
  }

  /** Conflict resolved as "mine on top": based on the server's current version, sent again. */
  async applyMineOnTop(id: string): Promise<void> {
    const item = await this.store.get(id);
    if (!item || item.state !== 'conflict' || !item.theirs) return;
    await this.store.put({
      ...item,
      fromStatus: item.theirs.status,
      baseVersion: item.theirs.version,
      basedOnQueued: false,
      state: 'pending',
      problem: null,
      theirs: null,
    });
    await this.reload();
    this.emit();
    void this.sync();
  }

  /** The technician's explicit "discard": the only way a change leaves the outbox unsent. */
  async discard(id: string): Promise<void> {
    await this.store.delete(id);
    await this.reload();
    this.emit();
  }

  /** Sends what can be sent now. One run at a time, across tabs too (Web Locks where available). */
  async sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.again = false;
    if (!this.userId || !navigator.onLine || !this.list.some((item) => item.state === 'pending')) return;
    this.running = true;
    this.emit();
    try {
      const run = async () => {
        do {
          this.again = false;
          await this.runOnce();
        } while (this.again && navigator.onLine);
      };
      if (navigator.locks?.request) await navigator.locks.request(LOCK_NAME, run);
      else await run();
    } finally {
      this.running = false;
      this.emit();
    }
    // Asked again after the last round had looked, but before it let go: one more round.
    if (this.again) void this.sync();
  }

  private async runOnce(): Promise<void> {
    const userId = this.userId;
    if (!userId) return;
    // Another tab may have sent or discarded some since this one last looked.
    await this.reload();
    // A change waits while an earlier change of the same segment or node has not gone through.
    const blocked = new Set<string>();
    this.stalled = null;
    for (const queued of [...this.list]) {
      if (this.userId !== userId) return;
      if (queued.state !== 'pending' || blocked.has(queued.targetId)) {
        blocked.add(queued.targetId);
        continue;
      }
      const item = await this.store.get(queued.id);
      if (!item || item.state !== 'pending') continue;
      const outcome = await this.send(item);
      await this.reload();
      this.emit();
      if (outcome === 'stop') return;
      if (outcome === 'kept') blocked.add(item.targetId);
    }
  }

  private async send(item: OutboxItem): Promise<Outcome> {
    item.attempts += 1;
    item.lastTriedAt = Date.now();
    try {
      for (const photo of item.photos) {
        if (photo.uploadedId) continue;
        const uploaded = await this.api.uploadPhoto(photo.blob, photo.name);
        photo.uploadedId = uploaded.id;
        // Stored at once: a later failure must not upload it a second time.
        await this.store.put(item);
      }
      const body: StatusChangeBody = { status: item.toStatus, version: item.baseVersion, deviceTime: item.deviceTime };
      if (item.note.trim()) body.note = item.note.trim();
      const photoIds = item.photos.map((photo) => photo.uploadedId).filter((id): id is string => !!id);
      if (item.gps || item.otdr || photoIds.length) {
        body.evidence = {};
        if (item.gps) body.evidence.gps = item.gps;
        if (item.otdr) body.evidence.otdr = item.otdr;
        if (photoIds.length) body.evidence.photoIds = photoIds;
      }
      const result = await this.api.changeStatus(item.subject, item.targetId, body);
      await this.store.delete(item.id);
      await this.rebaseAfter(item, result);
      for (const listener of this.appliedListeners) listener(item, result);
      return 'sent';
    } catch (error) {
      return this.keep(item, error);
    }
  }

  /** The next queued change of the same target was based on this one: base it on the real answer. */
  private async rebaseAfter(item: OutboxItem, result: SubjectState): Promise<void> {
    const next = this.list.find((other) => other.id !== item.id && other.targetId === item.targetId && other.createdAt > item.createdAt);
    if (!next || !next.basedOnQueued) return;
    const stored = await this.store.get(next.id);
    if (!stored) return;
    await this.store.put({ ...stored, baseVersion: result.version, fromStatus: result.status, basedOnQueued: false });
  }

  private async keep(item: OutboxItem, error: unknown): Promise<Outcome> {
    const lang = this.lang();
    if (!(error instanceof ApiError)) {
      item.problem = { kind: 'network', code: null, httpStatus: null, message: error instanceof Error ? error.message : null, lang };
      await this.store.put(item);
      this.stalled = item.problem;
      return 'stop';
    }
    const problem: OutboxProblem = { kind: 'refused', code: error.code, httpStatus: error.httpStatus, message: error.serverMessage, lang };
    const status = error.httpStatus;
    if (error.reason === 'network' || status === null) {
      problem.kind = 'network';
    } else if (status === 401 || error.code === 'PASSWORD_CHANGE_REQUIRED') {
      problem.kind = 'auth';
    } else if (status === 429 || status >= 500 || error.code === 'WRITE_CONFLICT' || error.reason === 'invalid') {
      problem.kind = 'server';
    }
    item.problem = problem;
    if (problem.kind !== 'refused') {
      // Kept as pending: it goes out again by itself.
      await this.store.put(item);
      this.stalled = problem;
      return 'stop';
    }
    if (status === 409 && error.code === 'VERSION_CONFLICT') {
      const current = (error.details as { current?: SubjectState } | null)?.current;
      item.state = 'conflict';
      // The 409 carries the whole record (route included); the outbox keeps only what it shows.
      item.theirs = current && typeof current.version === 'number' ? { id: current.id, code: current.code, status: current.status, version: current.version } : null;
      if (item.theirs) await this.describeTheirs(item);
    } else {
      item.state = 'rejected';
    }
    await this.store.put(item);
    return 'kept';
  }

  /** Who made the server's version, from the newest history entry (best effort). */
  private async describeTheirs(item: OutboxItem): Promise<void> {
    try {
      const [latest] = await this.api.history(item.subject, item.targetId);
      if (latest && item.theirs && latest.toStatus === item.theirs.status) {
        item.theirs.changedBy = latest.changedBy;
        item.theirs.changedAt = latest.changedAt;
        item.theirs.note = latest.note;
      }
    } catch {
      // The conflict stands without the details.
    }
  }

  private async reload(): Promise<void> {
    const userId = this.userId;
    if (!userId) {
      this.list = [];
      return;
    }
    try {
      const items = await this.store.all(userId);
      if (this.userId !== userId) return;
      this.list = items.sort((a, b) => a.createdAt - b.createdAt);
      this.unavailable = false;
    } catch {
      this.unavailable = true;
    }
  }

  private emit(): void {
    for (const listener of this.changeListeners) listener();
  }
}
