/**
 * A reader of GET /api/events for tests, the way a browser's EventSource reads it (Node 20 has
 * none). It keeps every event and the last id, and does not reconnect on its own: the tests
 * reconnect explicitly, with the Last-Event-ID they choose.
 */
export interface FeedEvent {
  id: string | null;
  event: string;
  data: unknown;
}

export interface FeedStream {
  readonly status: number;
  readonly events: FeedEvent[];
  /** The id of the last event that had one (what a browser would send when it reconnects). */
  lastId(): string | null;
  /** The first event after `index` that matches, waiting up to `timeoutMs`. */
  next(match: (event: FeedEvent) => boolean, timeoutMs?: number, from?: number): Promise<FeedEvent>;
  /** Whether the server ended the stream. */
  ended(): boolean;
  close(): void;
}

export async function openFeed(baseUrl: string, token: string, lastEventId?: string): Promise<FeedStream> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/events`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) },
    signal: controller.signal,
  });
  const events: FeedEvent[] = [];
  const waiters = new Set<() => void>();
  let last: string | null = lastEventId ?? null;
  let done = false;
  const wake = () => waiters.forEach((waiter) => waiter());

  if (response.ok && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let id: string | null = null;
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) continue;
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'id') id = value;
              else if (field === 'event') event = value;
              else if (field === 'data') data.push(value);
            }
            if (!data.length) continue;
            if (id !== null) last = id;
            events.push({ id, event, data: JSON.parse(data.join('\n')) });
            wake();
          }
        }
      } catch {
        // Aborted by close().
      } finally {
        done = true;
        wake();
      }
    })();
  } else done = true;

  return {
    status: response.status,
    events,
    lastId: () => last,
    ended: () => done,
    close: () => controller.abort(),
    next: (match, timeoutMs = 10000, from = 0) =>
      new Promise<FeedEvent>((resolve, reject) => {
        const check = () => {
          const found = events.slice(from).find(match);
          if (found) {
            finish();
            resolve(found);
          } else if (done) {
            finish();
            reject(new Error(`the stream ended before the event; it had: ${JSON.stringify(events)}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no such event within ${timeoutMs} ms; the stream had: ${JSON.stringify(events)}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
  };
}
