/**
 * What a segment's popup shows beyond the segment itself (the areas it crosses, its latest
 * history and photos), read when a popup opens, not with the map: most segments are never opened.
 *
 * Leaflet builds a popup's content again whenever it is updated (a language switch, the answer
 * arriving), so answers are kept here by segment and version: a rebuild finds them at once and
 * never asks again, and a new version (a status change) asks afresh.
 */
import { fieldApi, type AreaCrossed, type HistoryEntry } from '../shared/api';

export interface SegmentDetails {
  areas: AreaCrossed[];
  history: HistoryEntry[];
}

export type SegmentDetailsState = { state: 'loading' } | { state: 'ready'; value: SegmentDetails } | { state: 'failed' };

/** Segments whose answers are kept; the oldest is forgotten first. */
const KEPT = 20;
/** A failed read is shown as failed until then, so that redrawing it does not ask in a loop. */
const RETRY_AFTER_MS = 30_000;

interface Kept {
  version: number;
  state: SegmentDetailsState;
  failedAt: number;
}

export class SegmentDetailsCache {
  private readonly kept = new Map<string, Kept>();

  /** @param track keeps the map busy while a read is on its way (MapActivity.track). */
  constructor(private readonly track: <T>(work: Promise<T>) => Promise<T> = (work) => work) {}

  /**
   * The details of segment `id` at `version` as far as they are known; starts reading them when
   * they are not, and calls `settled` once that read has an answer (to draw the popup again).
   */
  get(id: string, version: number, settled: () => void): SegmentDetailsState {
    const known = this.kept.get(id);
    if (known && known.version === version && (known.state.state !== 'failed' || Date.now() - known.failedAt < RETRY_AFTER_MS)) return known.state;
    const entry: Kept = { version, state: { state: 'loading' }, failedAt: 0 };
    this.kept.delete(id);
    this.kept.set(id, entry);
    while (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
    void this.track(Promise.all([fieldApi.segment(id), fieldApi.history('segment', id)])).then(
      ([segment, history]) => {
        entry.state = { state: 'ready', value: { areas: segment.areas ?? [], history } };
        if (this.kept.get(id) === entry) settled();
      },
      () => {
        entry.state = { state: 'failed' };
        entry.failedAt = Date.now();
        if (this.kept.get(id) === entry) settled();
      },
    );
    return entry.state;
  }

  /** Signing out: nothing read for one user is shown to the next. */
  clear(): void {
    this.kept.clear();
  }
}
