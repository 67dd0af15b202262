/**
 * What the map is busy with: a read on its way, a redraw scheduled, a pan or zoom under way.
 *
 * While the map's data is loaded and nothing is pending, `body[data-map-idle="true"]` is set;
 * otherwise `body[data-map-busy]` names what is pending. A click on a feature while its layer is
 * being drawn again can land on an element that is replaced between the press and the release
 * (and so never becomes a click): browser tests wait for idle before they click, instead of
 * retrying or sleeping, and the names tell a failing test what the map was still doing.
 */
export class MapActivity {
  private readonly pending = new Map<string, number>();
  private ready = false;
  /** Bumped by reset(): work of an earlier session that settles late leaves the new counts alone. */
  private generation = 0;

  /** The map has (or no longer has) a session's data on screen. */
  setReady(ready: boolean): void {
    this.ready = ready;
    this.publish();
  }

  /** Marks `what` pending or done; for things that are either under way or not (a timer, a pan). */
  set(what: string, pending: boolean): void {
    if (pending) this.pending.set(what, 1);
    else this.pending.delete(what);
    this.publish();
  }

  /** Keeps `what` pending until the promise settles; several of one name may overlap. */
  track<T>(what: string, work: Promise<T>): Promise<T> {
    this.pending.set(what, (this.pending.get(what) ?? 0) + 1);
    this.publish();
    const generation = this.generation;
    const done = () => {
      if (generation !== this.generation) return;
      const left = (this.pending.get(what) ?? 1) - 1;
      if (left > 0) this.pending.set(what, left);
      else this.pending.delete(what);
      this.publish();
    };
    work.then(done, done);
    return work;
  }

  /** Forgets everything pending (signing out, a new session). */
  reset(): void {
    this.generation += 1;
    this.pending.clear();
    this.ready = false;
    this.publish();
  }

  private publish(): void {
    const body = document.body.dataset;
    if (this.ready && this.pending.size === 0) body.mapIdle = 'true';
    else delete body.mapIdle;
    if (this.pending.size) body.mapBusy = [...this.pending.keys()].sort().join(' ');
    else delete body.mapBusy;
  }
}
