/**
 * Importing a file of network data: the upload (a file, a saved mapping template, the region
 * check), then the import followed below it (ImportStatus) and the list of recent imports.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { ImportJob } from '../../../shared/api';
import { Button } from '../../../shared/components';
import { t } from '../planner.i18n';
import type { ImportsStore } from './imports-store';
import { ImportStatus } from './import-status';
import { RecentImports } from './recent-imports';

const FILE_INPUT = 'serat-import-file';
const COMMIT_HINT = 'serat-import-commit-hint';

export function ImportPanel({ store, userId }: { store: ImportsStore; userId(): string | null }) {
  const fileInput = useRef<HTMLInputElement>(null);
  const status = useRef<HTMLDivElement>(null);
  const job = store.job.value;
  const chosen = store.file.value;
  const busy = store.busy.value;
  const unapplied = store.mappingUnapplied.value;
  const commitHidden = !job || job.state === 'committed' || job.state === 'failed';

  // The input keeps what was picked until the store lets go of it (a reset, an older import opened).
  useEffect(() => {
    if (!chosen && fileInput.current) fileInput.current.value = '';
  }, [chosen]);

  const open = (entry: ImportJob) => {
    store.openImport(entry);
    status.current?.scrollIntoView?.({ block: 'nearest' });
  };

  return (
    <div class="serat-planner__section" data-testid="import-panel">
      <h3 class="serat-planner__heading">{t('import.title')}</h3>
      <label class="serat-field__label" for={FILE_INPUT}>
        {t('import.file')}
      </label>
      <div class="serat-planner__file">
        {/* The real file input, visually hidden but focusable and labelled: the browser's own button
            and "No file chosen" are in the browser's language, so a translated label stands in for them. */}
        <input
          ref={fileInput}
          class="serat-visually-hidden serat-file-input"
          type="file"
          id={FILE_INPUT}
          accept=".geojson,.json,.kml,.kmz,.csv,.zip"
          disabled={busy}
          onChange={(event) => store.chooseFile(event.currentTarget.files?.[0] ?? null)}
          data-testid="import-file"
        />
        <label class="serat-button serat-button--secondary serat-planner__file-button" for={FILE_INPUT} data-testid="import-file-button">
          {t('import.chooseFile')}
        </label>
        <span class={`serat-planner__file-name${chosen ? '' : ' serat-planner__file-name--none'}`} data-testid="import-file-name">
          {chosen ? chosen.name : t('import.noFile')}
        </span>
      </div>
      <div class="serat-planner__template-row">
        <label class="serat-field__label" for="serat-import-template">
          {t('import.template')}
        </label>
        <select
          id="serat-import-template"
          class="serat-input serat-planner__template"
          value={store.chosenTemplate.value}
          disabled={busy}
          onChange={(event) => (store.templateId.value = event.currentTarget.value)}
          data-testid="import-template"
        >
          <option value="">{t('import.templateNone')}</option>
          {(store.templates.value ?? []).map((template) => (
            <option key={template.id} value={template.id}>
              {template.name}
            </option>
          ))}
        </select>
        {store.templatesError.value && <p class="serat-planner__message serat-planner__message--error">{`${t('import.templatesFailed')} ${store.templatesError.value}`}</p>}
      </div>
      <label class="serat-planner__check">
        <input
          type="checkbox"
          checked={store.regionCheck.value}
          disabled={busy}
          onChange={(event) => (store.regionCheck.value = event.currentTarget.checked)}
          data-testid="import-region-check"
        />
        <span>{t('import.regionCheck')}</span>
      </label>
      <div class="serat-planner__buttons">
        <Button variant="primary" disabled={busy || !chosen} onClick={() => void store.upload()} data-testid="import-submit">
          {store.uploading.value ? t('import.uploading') : t('import.submit')}
        </Button>
        <Button
          variant="primary"
          hidden={commitHidden}
          disabled={job?.state !== 'ready' || store.committing.value || unapplied}
          aria-describedby={COMMIT_HINT}
          onClick={() => void store.commit()}
          data-testid="import-commit"
        >
          {t('import.commit')}
        </Button>
        <Button hidden={!job || busy} onClick={() => store.reset()} data-testid="import-new">
          {t('import.another')}
        </Button>
      </div>
      <p class="serat-planner__hint serat-planner__commit-hint" id={COMMIT_HINT} hidden={commitHidden || !unapplied} data-testid="import-commit-blocked">
        {t('import.commitNeedsReanalyse')}
      </p>
      <div class="serat-planner__status" ref={status}>
        <ImportStatus store={store} />
      </div>
      <RecentImports store={store} userId={userId} onOpen={open} />
    </div>
  );
}
