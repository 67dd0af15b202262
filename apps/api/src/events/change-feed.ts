import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import type { FeedChange, FeedResync } from '@serat/contract';
import { ChangeCursor, ChangeLogRepository, ChangeRecord, cursorAfter, formatChangeCursor } from '@serat/domain';
import { listenForNotifications, NotificationListener } from '@serat/database';

/** What one reader may see of a change, or nothing: decided by the reader's role (events.controller.ts). */
export type FeedFilter = (change: ChangeRecord) => FeedChange | null;

/** The stream of one connected browser, as the feed writes to it. */
export interface FeedSink {
  change(cursor: string, change: FeedChange): void;
  resync(resync: FeedResync): void;
  /** Ends the stream (the api is shutting down: the browser reconnects to another replica). */
  close(): void;
}

/** One stream's place in the feed. */
export interface FeedSubscription {
  /** The last change handled for it (sent, or not its to see). */
  cursor(): ChangeCursor;
  unsubscribe(): void;
}

/** How far the feed goes before it asks for a reload instead of sending single changes. */
export interface FeedLimits {
  /** Changes a reconnecting client may be sent; further behind, it reloads. */
  maxReplay: number;
  /** Changes in one wake-up (an import's commit); more, and everyone reloads once instead. */
  maxBurst: number;
  /** The safety read when notifications work (a missed NOTIFY costs at most this). */
  pollMs: number;
  /** The read interval when they do not (the embedded database through its socket). */
  fastPollMs: number;
  /** A comment line this often keeps proxies from closing a quiet stream; the session is checked again then. */
  heartbeatMs: number;
}

export const FEED_LIMITS: FeedLimits = { maxReplay: 2000, maxBurst: 500, pollMs: 2000, fastPollMs: 250, heartbeatMs: 25000 };
const PAGE = 500;
const CHANNEL = 'serat_changes';

interface Subscriber {
  sink: FeedSink;
  filter: FeedFilter;
  cursor: ChangeCursor;
  /** Live changes that arrived while its catch-up read was running. */
  pending: ChangeRecord[] | null;
  overflow: boolean;
}

/**
 * The live feed of one api process. One reader of the change log (ChangeLogRepository) fans out
 * to every stream connected here, so a thousand open maps cost one query per change, not a
 * thousand.
 *
 * - It wakes on PostgreSQL's NOTIFY, which every replica receives. A slow timer also reads, in
 *   case a notification is lost while the listening connection reconnects.
 * - Where notifications do not arrive (checked at start with a NOTIFY of its own), it reads every
 *   `fastPollMs` instead.
 * - Every stream keeps its own cursor, and nothing at or before that cursor is sent to it. A
 *   catch-up read and the live changes may overlap, and no change is sent twice.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ChangeFeed.name);
  private readonly subscribers = new Set<Subscriber>();
  private head: ChangeCursor | null = null;
  private listener: NotificationListener | null = null;
  private listening = false;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  readonly limits: FeedLimits;

  constructor(
    private readonly log: ChangeLogRepository,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {
    this.limits = { ...FEED_LIMITS, ...(config.feedLimits ?? {}) };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.head = await this.log.head();
    await this.listen();
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const subscriber of [...this.subscribers]) subscriber.sink.close();
    this.subscribers.clear();
    if (this.timer) clearTimeout(this.timer);
    const listener = this.listener;
    this.listener = null;
    await listener?.close();
    await this.reading?.catch(() => undefined);
  }

  /** How many streams are open here (health, limits). */
  get size(): number {
    return this.subscribers.size;
  }

  /** Whether this process hears NOTIFY (else it reads on a short timer). */
  get notified(): boolean {
    return this.listening;
  }

  /** The newest change any stream may be sent now. */
  async current(): Promise<ChangeCursor> {
    return this.log.head();
  }

  /**
   * A new stream, from `from` (its Last-Event-ID) or from now. Resolves once what it missed has
   * been sent, or a resync when that is too much or the cursor is unknown here.
   */
  async subscribe(sink: FeedSink, filter: FeedFilter, from: ChangeCursor | null): Promise<FeedSubscription> {
    const start = from ?? (await this.log.head());
    const subscriber: Subscriber = { sink, filter, cursor: start, pending: from ? [] : null, overflow: false };
    // Registered before the catch-up read, so that nothing committed in between is lost: the live
    // changes wait in `pending` and are sent after it, with anything already sent skipped.
    this.subscribers.add(subscriber);
    const subscription: FeedSubscription = {
      cursor: () => subscriber.cursor,
      unsubscribe: () => {
        this.subscribers.delete(subscriber);
      },
    };
    if (!from) return subscription;
    try {
      if (!(await this.log.has(from))) {
        await this.resyncOne(subscriber, 'unknown-cursor');
      } else {
        const missed = await this.log.read(from, this.limits.maxReplay + 1);
        if (missed.length > this.limits.maxReplay) await this.resyncOne(subscriber, 'too-far-behind');
        else for (const change of missed) this.deliver(subscriber, change);
      }
      const pending = subscriber.pending ?? [];
      subscriber.pending = null;
      if (subscriber.overflow) await this.resyncOne(subscriber, 'burst');
      else for (const change of pending) this.deliver(subscriber, change);
    } catch (error) {
      subscription.unsubscribe();
      throw error;
    }
    return subscription;
  }

  /** Reads what was committed since the last read and hands it to every stream. */
  poke(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.reading) {
      // One read at a time; a wake-up during a read asks for one more right after it.
      this.again = true;
      return this.reading;
    }
    this.reading = this.readNew()
      .catch((error: unknown) => this.logger.warn(`the change feed could not read the log: ${(error as Error).message}`))
      .finally(() => {
        this.reading = null;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.poke();
        }
      });
    return this.reading;
  }

  private async readNew(): Promise<void> {
    if (!this.head) this.head = await this.log.head();
    let burst = 0;
    for (;;) {
      const changes = await this.log.read(this.head, PAGE);
      if (!changes.length) return;
      burst += changes.length;
      if (burst > this.limits.maxBurst) {
        // An import's thousands of rows: everyone reloads once rather than applying them one by one.
        const end = await this.log.head();
        this.head = cursorAfter(end, this.head) ? end : changes[changes.length - 1].cursor;
        for (const subscriber of this.subscribers) {
          if (subscriber.pending) subscriber.overflow = true;
          else this.resyncTo(subscriber, this.head, 'burst');
        }
        return;
      }
      for (const change of changes) {
        this.head = change.cursor;
        for (const subscriber of this.subscribers) {
          if (subscriber.pending) {
            if (subscriber.pending.length >= this.limits.maxReplay) subscriber.overflow = true;
            else subscriber.pending.push(change);
          } else this.deliver(subscriber, change);
        }
      }
      if (changes.length < PAGE) return;
    }
  }

  private deliver(subscriber: Subscriber, change: ChangeRecord): void {
    if (!cursorAfter(change.cursor, subscriber.cursor)) return;
    subscriber.cursor = change.cursor;
    const visible = subscriber.filter(change);
    if (visible) subscriber.sink.change(formatChangeCursor(change.cursor), visible);
  }

  private async resyncOne(subscriber: Subscriber, reason: FeedResync['reason']): Promise<void> {
    const head = await this.log.head();
    this.resyncTo(subscriber, cursorAfter(subscriber.cursor, head) ? subscriber.cursor : head, reason);
  }

  private resyncTo(subscriber: Subscriber, cursor: ChangeCursor, reason: FeedResync['reason']): void {
    subscriber.cursor = cursor;
    subscriber.sink.resync({ cursor: formatChangeCursor(cursor), reason });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        void this.poke().finally(() => this.schedule());
      },
      this.listening ? this.limits.pollMs : this.limits.fastPollMs,
    );
    this.timer.unref();
  }

  /**
   * LISTEN on a connection of its own (libs/database), which checks that notifications really
   * arrive. Through the embedded database's socket they may not, and then the short timer serves.
   */
  private async listen(): Promise<void> {
    if (!this.config.databaseUrl || this.stopped) return;
    try {
      const listener = await listenForNotifications({
        url: this.config.databaseUrl,
        channel: CHANNEL,
        applicationName: 'serat-api-feed',
        onNotification: () => void this.poke(),
        onLost: (error) => {
          this.logger.warn(`the change feed's listening connection failed (${error.message}); reading every ${this.limits.fastPollMs} ms until it is back`);
          this.listener = null;
          this.listening = false;
          // Back to listening after a while (PostgreSQL restarted, a failover).
          setTimeout(() => void this.listen(), 5000).unref();
        },
      });
      if (this.stopped) {
        await listener?.close();
        return;
      }
      this.listener = listener;
      this.listening = listener !== null;
      if (!listener) this.logger.log(`the database does not deliver notifications here; the change feed reads every ${this.limits.fastPollMs} ms`);
    } catch (error) {
      this.logger.warn(`the change feed cannot listen (${(error as Error).message}); it reads every ${this.limits.fastPollMs} ms`);
      setTimeout(() => void this.listen(), 5000).unref();
    }
  }
}
