/**
 * The notices about the state of things, kept in step with it: the map loading, what failed to
 * load (with "try again"), data shown from the copy on this device, the database or Redis down
 * (from /api/health, asked every minute while signed in), desa that could not be read. Each is a
 * function of signals, so it shows and goes away by itself, in the reader's language.
 */
import { effect, signal, type Signal } from '@preact/signals';
import { ApiError, getHealth, type Health, type User } from '../shared/api';
import { formatDateTimeWib } from '../shared/format';
import { t } from '../shared/i18n';
import { lang } from '../shared/translate';
import type { Notices } from '../shared/ui';
import type { NetworkData } from '../map/network-data';

const HEALTH_INTERVAL_MS = 60_000;

/** What a reader is told of a failed request: where, and why. */
export function errorDetail(error: unknown): string {
  if (error instanceof ApiError) {
    const reason =
      error.reason === 'http' ? (error.serverMessage ?? t('error.http', { status: error.httpStatus ?? '?' })) : t(error.reason === 'network' ? 'error.network' : 'error.invalid');
    return `${error.endpoint} — ${reason}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export class StatusNotices {
  readonly health = signal<Health | null>(null);
  /** The desa of the view could not be read (null: they could, or were not asked for). */
  readonly desaError = signal<unknown>(null);
  private healthTimer = 0;

  constructor(notices: Notices, data: NetworkData, user: Signal<User | null>) {
    effect(() => {
      void lang.value;
      if (data.loading.value) notices.show('loading', 'info', t('app.loading'));
      else notices.hide('loading');

      const errors = data.errors.value;
      if (errors.length) {
        notices.show('load-error', 'error', t('error.title'), {
          detail: `${t('error.body')} (${errors.map(errorDetail).join('; ')})`,
          action: { label: t('error.retry'), onClick: () => data.reload() },
        });
        document.body.dataset.mapError = errors.map(errorDetail).join('; ');
      } else notices.hide('load-error');

      // Offline by itself is shown by the strip under the bar; this says how old the map's data is.
      const copyAt = data.offlineCopyAt.value;
      if (user.value && copyAt) {
        const since = copyAt > '1971' ? formatDateTimeWib(copyAt) : null;
        notices.show('offline', 'warning', since ? t('notice.storedData', { time: since }) : t('notice.storedDataUndated'), { dismissible: true });
      } else notices.hide('offline');

      const health = this.health.value;
      if (health?.redis.status === 'down') notices.show('redis', 'warning', t('notice.redisDown'));
      else notices.hide('redis');
      if (health?.database.status === 'down') notices.show('database', 'error', t('notice.dbDown'));
      else notices.hide('database');

      const desaError = this.desaError.value;
      if (desaError) notices.show('desa', 'warning', t('error.desa'), { detail: errorDetail(desaError), dismissible: true });
      else notices.hide('desa');
    });
  }

  async refreshHealth(): Promise<void> {
    this.health.value = await getHealth();
  }

  /** Asks /api/health now and every minute (while signed in). */
  watchHealth(): void {
    void this.refreshHealth();
    window.clearInterval(this.healthTimer);
    this.healthTimer = window.setInterval(() => void this.refreshHealth(), HEALTH_INTERVAL_MS);
  }

  stopHealth(): void {
    window.clearInterval(this.healthTimer);
    this.health.value = null;
  }
}
