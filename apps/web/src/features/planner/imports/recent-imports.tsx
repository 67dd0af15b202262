/** The recent imports, newest first, a page at a time: each opens in the view above. */
import { Button } from '../../../shared/components';
import { formatDateTimeWib, formatNumber } from '../../../shared/format';
import type { ImportJob } from '../../../shared/api';
import { t } from '../planner.i18n';
import { importErrorText, importStateText } from '../problem';
import type { ImportsStore } from './imports-store';

export function RecentImports({ store, userId, onOpen }: { store: ImportsStore; userId(): string | null; onOpen(job: ImportJob): void }) {
  const list = store.recent.value;
  const loading = store.recentLoading.value;
  const error = store.recentError.value;
  const current = store.job.value?.id;
  const who = (job: ImportJob) => {
    const me = userId();
    if (job.createdBy && me && job.createdBy === me) return t('import.byYou');
    return job.createdByName || t('import.bySomeone');
  };
  return (
    <div class="serat-planner__recent" data-testid="import-recent">
      <h4 class="serat-planner__subheading">{t('import.recent')}</h4>
      {error && (
        <p class="serat-planner__message serat-planner__message--error" data-testid="import-recent-error">
          {`${t('import.recentFailed')} ${error}`}
        </p>
      )}
      {!list && loading && <p class="serat-planner__hint">{t('import.recentLoading')}</p>}
      {list && !list.length && <p class="serat-planner__hint">{t('import.recentEmpty')}</p>}
      {!!list?.length && (
        <>
          <ul class="serat-planner__imports">
            {list.map((job) => (
              <li key={job.id}>
                <button
                  type="button"
                  class="serat-planner__import"
                  title={t('import.openReport', { file: job.fileName })}
                  aria-current={current === job.id ? 'true' : undefined}
                  onClick={() => onOpen(job)}
                  data-testid="import-recent-item"
                  data-id={job.id}
                  data-state={job.state}
                >
                  <span class="serat-planner__import-top">
                    <span class="serat-planner__import-name">{job.fileName || '—'}</span>
                    <span class={`serat-planner__import-state serat-planner__import-state--${/^[a-z]+$/.test(job.state) ? job.state : 'other'}`}>{importStateText(job.state)}</span>
                  </span>
                  <span class="serat-planner__import-meta">{`${who(job)} · ${formatDateTimeWib(job.createdAt ?? null)}`}</span>
                  <Counts job={job} />
                </button>
              </li>
            ))}
          </ul>
          {store.recentNext.value && (
            <Button disabled={loading} onClick={() => void store.loadMoreRecent()} data-testid="import-recent-more">
              {loading ? t('import.recentLoading') : t('import.recentMore')}
            </Button>
          )}
        </>
      )}
    </div>
  );
}

function Counts({ job }: { job: ImportJob }) {
  const summary = job.summary;
  if (summary) {
    const n = (value: unknown) => formatNumber(Number(value) || 0);
    return (
      <span class="serat-planner__import-counts" data-testid="import-recent-counts">
        {t('import.counts', { create: n(summary.create), update: n(summary.update), unchanged: n(summary.unchanged), reject: n(summary.reject) })}
      </span>
    );
  }
  if (job.state === 'failed' && job.errorCode) return <span class="serat-planner__import-counts serat-planner__import-counts--failed">{importErrorText(job.errorCode)}</span>;
  return null;
}
