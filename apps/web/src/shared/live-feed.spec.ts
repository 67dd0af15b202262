import type { FeedChange } from '../../../../libs/contract/src';
import { LiveFeed, type EventSourceLike } from './live-feed';

/** An EventSource the test speaks for. */
class ScriptedSource implements EventSourceLike {
  readyState = 0;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, Array<(event: MessageEvent<string>) => void>>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data: unknown, id = ''): void {
    this.readyState = 1;
    for (const listener of this.listeners.get(type) ?? []) listener({ data: JSON.stringify(data), lastEventId: id } as MessageEvent<string>);
  }
  fail(closedForGood: boolean): void {
    this.readyState = closedForGood ? 2 : 0;
    this.onerror?.(new Event('error'));
  }
}

function setup() {
  const sources: ScriptedSource[] = [];
  const timers: Array<{ run: () => void; ms: number }> = [];
  const feed = new LiveFeed({
    source: (url) => {
      const source = new ScriptedSource(url);
      sources.push(source);
      return source;
    },
    setTimer: (run, ms) => timers.push({ run, ms }),
    clearTimer: () => timers.splice(0),
    random: () => 0.5,
  });
  const seen: { changes: FeedChange[]; resyncs: number; signedOut: number } = { changes: [], resyncs: 0, signedOut: 0 };
  feed.start({ change: (change) => seen.changes.push(change), resync: () => seen.resyncs++, signedOut: () => seen.signedOut++ });
  return { feed, sources, timers, seen };
}

const change = (id: string, version: number): FeedChange => ({
  entity: 'segment',
  id,
  action: 'status_change',
  version,
  fields: ['status'],
  after: { status: 'active' },
  at: '2026-12-02T07:00:00Z',
});

describe('the live feed in the browser', () => {
  it('is live after ready, and hands each change on with where it was', () => {
    const { feed, sources, seen } = setup();
    expect(sources[0].url).toBe('/api/events');
    expect(feed.state.value).toBe('connecting');
    sources[0].emit('ready', { cursor: '10.1' }, '10.1');
    expect(feed.state.value).toBe('live');
    sources[0].emit('change', change('s-1', 4), '11.2');
    expect(seen.changes).toEqual([change('s-1', 4)]);
    expect(feed.lastCursor).toBe('11.2');
  });

  it('leaves a dropped connection to the browser, which resumes with Last-Event-ID by itself', () => {
    const { feed, sources, timers } = setup();
    sources[0].emit('ready', { cursor: '10.1' }, '10.1');
    sources[0].fail(false);
    expect(feed.state.value).toBe('retrying');
    expect(sources).toHaveLength(1);
    expect(timers).toEqual([]);
  });

  it('opens a new connection after a refusal, from the last cursor, waiting longer each time', () => {
    const { feed, sources, timers } = setup();
    sources[0].emit('ready', { cursor: '10.1' }, '10.1');
    sources[0].emit('change', change('s-1', 4), '12.3');
    sources[0].fail(true);
    expect(feed.state.value).toBe('retrying');
    expect(timers.map((t) => t.ms)).toEqual([1000]);
    timers.shift()!.run();
    expect(sources[1].url).toBe('/api/events?lastEventId=12.3');
    sources[1].fail(true);
    expect(timers.map((t) => t.ms)).toEqual([2000]);
    timers.shift()!.run();
    sources[2].emit('ready', { cursor: '12.3' }, '12.3');
    expect(feed.state.value).toBe('live');
    // Live again: the next refusal starts from the first wait.
    sources[2].fail(true);
    expect(timers.map((t) => t.ms)).toEqual([1000]);
  });

  it('asks for a reload on resync and goes on from its cursor', () => {
    const { feed, sources, seen, timers } = setup();
    sources[0].emit('ready', { cursor: '10.1' }, '10.1');
    sources[0].emit('resync', { cursor: '90.5', reason: 'burst' }, '90.5');
    expect(seen.resyncs).toBe(1);
    expect(feed.lastCursor).toBe('90.5');
    sources[0].fail(true);
    timers.shift()!.run();
    expect(sources[1].url).toBe('/api/events?lastEventId=90.5');
  });

  it('closes for good when the session ends, and ignores a closed connection', () => {
    const { feed, sources, seen, timers } = setup();
    sources[0].emit('ready', { cursor: '10.1' }, '10.1');
    sources[0].emit('signed-out', {});
    expect(seen.signedOut).toBe(1);
    expect(feed.state.value).toBe('closed');
    expect(sources[0].closed).toBe(true);
    sources[0].emit('change', change('s-2', 2), '13.1');
    sources[0].fail(true);
    expect(seen.changes).toEqual([]);
    expect(timers).toEqual([]);
  });

  it('starts afresh for the next user, and a stop cancels a pending retry', () => {
    const { feed, sources, timers } = setup();
    sources[0].emit('ready', { cursor: '10.1' }, '10.1');
    sources[0].fail(true);
    expect(timers).toHaveLength(1);
    feed.stop();
    expect(timers).toEqual([]);
    feed.start({ change: () => undefined, resync: () => undefined, signedOut: () => undefined });
    expect(sources[1].url).toBe('/api/events');
  });
});
