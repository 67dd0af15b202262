/**
 * The tiles of the network the map has read (GET /api/map/tiles/{z}/{x}/{y}), a bounded number
 * of them, the least recently used dropped first. An answer is used again without asking while
 * nothing may have changed under it; once the live feed reports a change (or the feed is not
 * there to say), the next use asks again, and the browser's HTTP cache revalidates its copy
 * (a 304 when the tile's bytes are the same). Several callers of one tile share one request.
 */
import { tileKey, type MapTile, type TileAddress } from '../../../../libs/contract/src';

export interface TileAnswer {
  tile: MapTile;
  /** When the answer came from the device's offline copy, when that was stored; else null. */
  storedAt: string | null;
  /** Date.now() when it was asked for. */
  askedAt: number;
  /** The page's order of events (see {@link pageMoment}) when it was asked for: before or after something stored, even within one millisecond. */
  askedMoment: number;
}

let moments = 0;
/** A number that only grows within this page: what happened before what, where a clock's millisecond cannot tell. */
export const pageMoment = (): number => ++moments;

export type FetchTile = (address: TileAddress, signal: AbortSignal) => Promise<{ tile: MapTile; storedAt: string | null }>;

interface Entry {
  answer: TileAnswer;
  generation: number;
}

export class TileSource {
  private readonly answers = new Map<string, Entry>();
  private readonly pending = new Map<string, { generation: number; request: Promise<TileAnswer> }>();
  private generation = 0;

  constructor(
    private readonly fetchTile: FetchTile,
    /** Whether the live feed is open now (then only its changes make answers old). */
    private readonly watched: () => boolean = () => false,
    /** Tiles kept: a phone's view needs 2–6, a desktop's up to 12 (with the margin around the view). */
    private readonly capacity = 48,
    /** Without the live feed, an answer is trusted this long. */
    private readonly unwatchedMaxAgeMs = 30_000,
  ) {}

  /** Something may have changed anywhere: every answer is asked for again at its next use. */
  invalidate(): void {
    this.generation += 1;
  }

  clear(): void {
    this.answers.clear();
    this.pending.clear();
    this.generation += 1;
  }

  get size(): number {
    return this.answers.size;
  }

  /** The answer for this tile: the kept one while it is current, else asked for (once for all callers). */
  get(address: TileAddress, signal: AbortSignal): Promise<TileAnswer> {
    const key = tileKey(address);
    const kept = this.answers.get(key);
    if (kept && this.isCurrent(kept)) {
      // Most recently used last.
      this.answers.delete(key);
      this.answers.set(key, kept);
      return Promise.resolve(kept.answer);
    }
    const pending = this.pending.get(key);
    if (pending && pending.generation === this.generation) return pending.request;
    const generation = this.generation;
    const askedAt = Date.now();
    const askedMoment = pageMoment();
    const request = this.fetchTile(address, signal).then(({ tile, storedAt }) => {
      const answer: TileAnswer = { tile, storedAt, askedAt, askedMoment };
      // An offline copy is kept for this view only: the next use asks the server again.
      this.remember(key, { answer, generation: storedAt ? -1 : generation });
      return answer;
    });
    const settle = () => {
      if (this.pending.get(key)?.request === request) this.pending.delete(key);
    };
    request.then(settle, settle);
    this.pending.set(key, { generation, request });
    return request;
  }

  private isCurrent(entry: Entry): boolean {
    if (entry.generation !== this.generation) return false;
    return this.watched() || Date.now() - entry.answer.askedAt < this.unwatchedMaxAgeMs;
  }

  private remember(key: string, entry: Entry): void {
    this.answers.delete(key);
    this.answers.set(key, entry);
    while (this.answers.size > this.capacity) this.answers.delete(this.answers.keys().next().value!);
  }
}
