/**
 * The browser's end of the live feed, GET /api/events (docs/decisions/0009-live-feed.md). It is
 * one EventSource per signed-in page. Each change goes to whoever shows it (the map's network
 * data, the header's figures, and later progress and uptime). The feed's state is a signal, so the
 * page can say "live" or "reconnecting".
 *
 * - The browser's EventSource reconnects by itself after a dropped connection and sends the
 *   Last-Event-ID, and the server resumes from there.
 * - When the server refuses a connection (a 503 when a replica is full, a 401, a proxy error), the
 *   EventSource gives up for good. This module then opens a new one after a growing wait, with the
 *   last cursor in the query, so that nothing is missed then either.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { FeedChange, FeedReady, FeedResync } from '../../../../libs/contract/src';

export type FeedState = 'closed' | 'connecting' | 'live' | 'retrying';

export interface FeedHandlers {
  /** One committed change the reader may see; apply it when the copy shown is older than `change.version`. */
  change(change: FeedChange): void;
  /** Too much to send one by one (away too long, an import): reload what is shown. */
  resync(): void;
  /** The session ended: the feed is closed and stays closed until `start` is called again. */
  signedOut(): void;
}

/** The part of EventSource this module uses, so tests can hand it a scripted one. */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
  onerror: ((event: Event) => void) | null;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

const CLOSED = 2;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 60000;

export interface LiveFeedOptions {
  url?: string;
  source?: EventSourceFactory;
  /** For tests: the timer. */
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  random?: () => number;
}

export class LiveFeed {
  private readonly stateSignal = signal<FeedState>('closed');
  readonly state: ReadonlySignal<FeedState> = this.stateSignal;
  private source: EventSourceLike | null = null;
  private handlers: FeedHandlers | null = null;
  private cursor: string | null = null;
  private retryMs = FIRST_RETRY_MS;
  private timer: unknown = null;
  private readonly url: string;
  private readonly makeSource: EventSourceFactory;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;
  private readonly random: () => number;

  constructor(options: LiveFeedOptions = {}) {
    this.url = options.url ?? '/api/events';
    this.makeSource = options.source ?? ((url) => new EventSource(url) as unknown as EventSourceLike);
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
    this.random = options.random ?? Math.random;
  }

  /** The last change handled: where a new connection resumes. */
  get lastCursor(): string | null {
    return this.cursor;
  }

  /** Opens the feed for the signed-in user (after sign-in; the cookie carries the session). */
  start(handlers: FeedHandlers): void {
    this.stop();
    this.handlers = handlers;
    this.cursor = null;
    this.retryMs = FIRST_RETRY_MS;
    this.connect();
  }

  /** Closes it (sign-out, page hidden for long): nothing is retried. */
  stop(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
    this.handlers = null;
    this.stateSignal.value = 'closed';
  }

  private connect(): void {
    const handlers = this.handlers;
    if (!handlers) return;
    this.stateSignal.value = this.cursor === null ? 'connecting' : 'retrying';
    const url = this.cursor === null ? this.url : `${this.url}?lastEventId=${encodeURIComponent(this.cursor)}`;
    const source = this.makeSource(url);
    this.source = source;
    const current = () => this.source === source && this.handlers === handlers;
    const remember = (event: MessageEvent<string>) => {
      if (event.lastEventId) this.cursor = event.lastEventId;
    };
    source.addEventListener('ready', (event) => {
      if (!current()) return;
      remember(event);
      const ready = JSON.parse(event.data) as FeedReady;
      this.cursor = ready.cursor;
      this.retryMs = FIRST_RETRY_MS;
      this.stateSignal.value = 'live';
    });
    source.addEventListener('change', (event) => {
      if (!current()) return;
      remember(event);
      handlers.change(JSON.parse(event.data) as FeedChange);
    });
    source.addEventListener('resync', (event) => {
      if (!current()) return;
      remember(event);
      this.cursor = (JSON.parse(event.data) as FeedResync).cursor;
      handlers.resync();
    });
    source.addEventListener('signed-out', () => {
      if (!current()) return;
      this.stop();
      handlers.signedOut();
    });
    source.onerror = () => {
      if (!current()) return;
      if (source.readyState !== CLOSED) {
        // The browser reconnects by itself, with Last-Event-ID.
        this.stateSignal.value = 'retrying';
        return;
      }
      source.close();
      this.source = null;
      this.stateSignal.value = 'retrying';
      // Jittered, so that a thousand maps refused by a full replica do not come back in step.
      const wait = this.retryMs * (0.5 + this.random());
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
      this.timer = this.setTimer(() => {
        this.timer = null;
        this.connect();
      }, wait);
    };
  }
}
