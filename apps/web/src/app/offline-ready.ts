/**
 * Offline use: from the moment the service worker controls the page, every map read is kept on
 * the device; `body[data-offline-ready]` says when this session's data is kept (read once more
 * through the worker if it was loaded before the worker took over). Back online, what is on
 * screen is read again.
 */
import type { Signal } from '@preact/signals';
import { api, auth, setOfflineCopyHandler, type User } from '../shared/api';
import type { AreaLayers } from '../map/areas';
import type { NetworkData } from '../map/network-data';
import { registerServiceWorker } from './offline';
import type { StatusNotices } from './status-notices';

export class OfflineReadiness {
  private controlledSince = 0;
  private warming = false;

  constructor(
    private readonly user: Signal<User | null>,
    private readonly data: NetworkData,
    areas: AreaLayers,
    status: StatusNotices,
  ) {
    setOfflineCopyHandler((_endpoint, storedAt) => data.noteOfflineCopy(storedAt));
    window.addEventListener('online', () => {
      // Back in touch: what is on screen may be an old copy, and others may have changed things.
      if (user.value && document.body.dataset.mapReady) {
        // A load that failed offline is done again whole; otherwise only the network is read again.
        if (data.errors.value.length) data.reload();
        else {
          data.scheduleRefresh(300);
          areas.scheduleDesa();
        }
      }
      void status.refreshHealth();
    });
    registerServiceWorker(() => {
      this.controlledSince = Date.now();
      void this.ensureReady();
    });
  }

  /** Marks the page ready for offline use once the worker has seen the data of this session. */
  async ensureReady(): Promise<void> {
    const { data } = this;
    const user = this.user.value;
    if (!this.controlledSince || !user || !data.loaded || this.warming) return;
    // The session check and the region are read once at start-up, possibly before the worker was
    // in charge (first visit, a fresh sign-in): read them through it, so an offline start knows
    // who is signed in and where.
    const reads: Array<Promise<unknown>> = [auth.me(), api.meta()];
    if (data.readSince < this.controlledSince) {
      // The map was loaded before the worker was in charge: its areas and the tiles of its view
      // once more through it (the tiles revalidated: 304s, kept by the worker all the same).
      reads.push(api.areas('kabupaten'), api.areas('kecamatan'), data.refresh());
    }
    this.warming = true;
    let kept: boolean;
    try {
      kept = (await Promise.allSettled(reads)).every((read) => read.status === 'fulfilled');
    } finally {
      this.warming = false;
    }
    if (!kept) return;
    data.readSince = Math.max(data.readSince, this.controlledSince);
    if (this.user.value === user) document.body.dataset.offlineReady = 'true';
  }
}
