/**
 * The live feed, GET /api/events (server-sent events). Every event's `id` is a cursor. A client
 * that reconnects with it (`Last-Event-ID`) receives every later change exactly once, in commit
 * order.
 *
 * - `ready`: the stream is open. Data: {@link FeedReady}. A client loads or refreshes what it shows
 *   after this, so a change made while it was loading comes through the feed.
 * - `change`: one committed change. Data: {@link FeedChange}.
 * - `resync`: the client was away too long, or too much changed at once (an import), for single
 *   changes to be worth sending. It reloads what it shows and goes on from this event's id.
 *   Data: {@link FeedResync}.
 * - `signed-out`: the session ended (signed out, expired, deactivated). The stream closes, and
 *   the client does not reconnect until someone signs in.
 */
export const FEED_EVENT_TYPES = ['ready', 'change', 'resync', 'signed-out'] as const;
export type FeedEventType = (typeof FEED_EVENT_TYPES)[number];

export interface FeedReady {
  cursor: string;
}

export interface FeedChange {
  /** What changed: segment, node, site, photo, import, user, … (the audit log's entity type). */
  entity: string;
  /** Its id; null for an entry about no one record. */
  id: string | null;
  /** create, update, delete, status_change, commit, … */
  action: string;
  /** The record's version now; null when it is gone or the kind has no versions. */
  version: number | null;
  /** The names of the fields that changed. */
  fields: string[];
  /** For the network's records: the changed fields' new values; never sent for accounts. */
  after: Record<string, unknown> | null;
  /** When it was committed (ISO 8601). */
  at: string;
}

export interface FeedResync {
  cursor: string;
  reason: 'too-far-behind' | 'burst' | 'unknown-cursor';
}
