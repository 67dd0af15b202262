/**
 * The import followed: its state and progress, why it failed (with "try again"), the options it
 * was made with, the summary, the mapping step after a dry run, and the report a page at a time.
 */
import { Button, ProgressBar } from '../../../shared/components';
import { formatKm, formatNumber } from '../../../shared/format';
import { nodeKindLabel, placementLabel, statusLabel, tierLabel } from '../../../shared/i18n';
import type { ImportJob, ImportMapping, ImportTemplate } from '../../../shared/api';
import { isPlannerKey, t, type PlannerKey } from '../planner.i18n';
import { importErrorRaw, importErrorText, importReasonText, importStateText } from '../problem';
import { isBusy, REPORT_PAGE, type ImportsStore, type ReportPage } from './imports-store';
import { MappingStep } from './mapping-step';

export function ImportStatus({ store }: { store: ImportsStore }) {
  const job = store.job.value;
  const error = store.importError.value;
  const report = store.report.value;
  return (
    <>
      {error && (
        <p class="serat-planner__message serat-planner__message--error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {job && (
        <>
          <p class={`serat-planner__state serat-planner__state--${job.state}`} role="status" data-testid="import-state" data-state={job.state}>
            <strong>{job.fileName ? `${job.fileName}: ` : ''}</strong>
            <span>{importStateText(job.state)}</span>
          </p>
          {(isBusy(job.state) || store.uploading.value || job.state === 'committed' || job.state === 'ready') && (
            <ProgressBar percent={job.progress} label={t('import.progress')} testId="import-progress" />
          )}
          {job.state === 'failed' && <ImportFailure store={store} job={job} />}
          <ImportOptionsList job={job} templates={store.templates.value} />
          {job.summary && <ImportSummary job={job} />}
          <MappingStep store={store} />
          {store.reportError.value && <p class="serat-planner__message serat-planner__message--error">{store.reportError.value}</p>}
          {report && report.total > 0 && <ImportReport report={report} onPage={(offset) => void store.loadReport(offset)} />}
        </>
      )}
    </>
  );
}

function ImportFailure({ store, job }: { store: ImportsStore; job: ImportJob }) {
  return (
    <>
      <p class="serat-planner__message serat-planner__message--error" data-testid="import-failure" data-code={job.errorCode ?? undefined}>
        <strong>{importErrorText(job.errorCode)}</strong>
        {/* The server's own words (English, at times SQL) only for a code the app has no text for. */}
        {job.errorMessage && importErrorRaw(job.errorCode) && <span>{` — ${job.errorMessage}`}</span>}
      </p>
      <Button disabled={store.retrying.value || store.uploading.value} onClick={() => void store.retry()} data-testid="import-retry">
        {store.retrying.value ? t('import.retrying') : t('import.retry')}
      </Button>
    </>
  );
}

/**
 * The options the import was made with, as its row stores them: the planner who opens an older
 * import sees what its dry run and commit took for what the file did not say.
 */
export function ImportOptionsList({ job, templates }: { job: ImportJob; templates: ImportTemplate[] | null }) {
  const options = job.options;
  if (!options || typeof options !== 'object') return null;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const rows: [key: string, label: PlannerKey, value: string][] = [];
  rows.push(['regionCheck', 'importOption.regionCheck', t(options.regionCheck === false ? 'importOption.no' : 'importOption.yes')]);
  rows.push(['source', 'importOption.source', text(options.source) ?? `${t('importOption.fileName')} (${job.fileName || '—'})`]);
  if (text(options.templateId)) {
    const used = templates?.find((template) => template.id === options.templateId);
    rows.push(['template', 'importOption.template', used ? used.name : t('importOption.templateGone')]);
  }
  // The mapping the dry run applied (a template's with the options' own over it), else the one asked for.
  const mapping = (options.analysedMapping ?? options.mapping) as ImportMapping | undefined;
  const mapped = mapping && typeof mapping === 'object' ? Object.entries(mapping).filter(([, columns]) => Array.isArray(columns) && columns.length) : [];
  const fieldName = (field: string) => {
    const key = `mapping.field.${field}`;
    return isPlannerKey(key) ? t(key) : field;
  };
  rows.push([
    'mapping',
    'importOption.mapping',
    mapped.length ? mapped.map(([field, columns]) => `${fieldName(field)} ← ${(columns as string[]).join(', ')}`).join('; ') : t('importOption.mappingNone'),
  ]);
  if (text(options.defaultStatus)) rows.push(['defaultStatus', 'importOption.defaultStatus', statusLabel(text(options.defaultStatus))]);
  if (text(options.defaultTier)) rows.push(['defaultTier', 'importOption.defaultTier', tierLabel(text(options.defaultTier))]);
  if (text(options.defaultPlacement)) rows.push(['defaultPlacement', 'importOption.defaultPlacement', placementLabel(text(options.defaultPlacement))]);
  if (text(options.nodeKind)) rows.push(['nodeKind', 'importOption.nodeKind', nodeKindLabel(text(options.nodeKind))]);
  return (
    <details class="serat-planner__import-options" open data-testid="import-options">
      <summary>{t('import.options')}</summary>
      <dl class="serat-planner__import-options-list">
        {rows.map(([key, label, value]) => [
          <dt key={`${key}-term`}>{t(label)}</dt>,
          <dd key={key} data-option={key}>
            {value}
          </dd>,
        ])}
      </dl>
    </details>
  );
}

function ImportSummary({ job }: { job: ImportJob }) {
  const summary = job.summary!;
  const item = (key: PlannerKey, value: string, className = '') => (
    <div class={`serat-planner__summary-item ${className}`}>
      <dt>{t(key)}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <dl class="serat-planner__summary" data-testid="import-summary" data-create={String(summary.create)} data-reject={String(summary.reject)}>
      {item('import.create', formatNumber(summary.create), 'serat-planner__summary-item--create')}
      {item('import.update', formatNumber(summary.update))}
      {item('import.unchanged', formatNumber(summary.unchanged))}
      {item('import.reject', formatNumber(summary.reject), summary.reject ? 'serat-planner__summary-item--reject' : '')}
      {item('import.length', formatKm(Number(summary.lengthM) || 0, 2))}
    </dl>
  );
}

const ACTION_ORDER: Record<string, number> = { reject: 0, create: 1, update: 2, unchanged: 3 };

/** A page of the report: refusals first, then what is new, updated and unchanged, each in file order. */
export function ImportReport({ report, onPage }: { report: ReportPage; onPage(offset: number): void }) {
  const rows = [...report.rows].sort((a, b) => (ACTION_ORDER[a.action] ?? 9) - (ACTION_ORDER[b.action] ?? 9) || a.index - b.index);
  const last = Math.min(report.total, report.offset + report.rows.length);
  const actionText = (action: string) => {
    const key = `importAction.${action}`;
    return isPlannerKey(key) ? t(key) : action;
  };
  return (
    <div class="serat-planner__report">
      <div class="serat-planner__table-wrap">
        <table class="serat-planner__table" data-testid="import-report">
          <thead>
            <tr>
              <th>{t('import.col.row')}</th>
              <th>{t('import.col.code')}</th>
              <th>{t('import.col.action')}</th>
              <th>{t('import.col.reasons')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={`${row.index}.${row.part ?? ''}`}
                class={`serat-planner__row serat-planner__row--${/^[a-z]+$/.test(row.action) ? row.action : 'other'}`}
                data-action={row.action}
              >
                <td>{row.part !== null && row.part !== undefined ? `${row.index + 1}.${row.part}` : String(row.index + 1)}</td>
                <td>{row.code ?? row.sourceId ?? '—'}</td>
                <td>{actionText(row.action)}</td>
                <td>
                  <ul class="serat-planner__reasons">
                    {(row.reasons ?? []).map((reason, i) => (
                      <li key={`r${i}`} class="serat-planner__reason">
                        {importReasonText(reason)}
                      </li>
                    ))}
                    {(row.warnings ?? []).map((warning, i) => (
                      <li key={`w${i}`} class="serat-planner__warning">
                        {importReasonText(warning)}
                      </li>
                    ))}
                    {row.message && !row.reasons?.length && <li>{row.message}</li>}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="serat-planner__pager">
        <Button disabled={report.offset === 0} onClick={() => onPage(Math.max(0, report.offset - REPORT_PAGE))} data-testid="import-report-prev">
          {t('import.prev')}
        </Button>
        <span>{t('import.rows', { from: formatNumber(report.offset + 1), to: formatNumber(last), total: formatNumber(report.total) })}</span>
        <Button disabled={last >= report.total} onClick={() => onPage(report.offset + REPORT_PAGE)} data-testid="import-report-next">
          {t('import.next')}
        </Button>
      </div>
    </div>
  );
}
