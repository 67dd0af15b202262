/**
 * Exporting the network: a kecamatan and a status to filter on, then a file per layer and
 * format (and the OFDS package). Downloads go through the session (a same-origin fetch), so the
 * file is saved from a Blob rather than by following a link.
 */
import { useSignal, type ReadonlySignal } from '@preact/signals';
import { plannerApi } from '../../../shared/api';
import { Button } from '../../../shared/components';
import { statusLabel } from '../../../shared/i18n';
import { NETWORK_STATUSES } from '../../../shared/vocabulary';
import { t, type PlannerKey } from '../planner.i18n';
import { problemText } from '../problem';

export interface ExportFilter {
  /** A kecamatan code; '' for all. */
  area: string;
  /** A status or a comma-separated list of them; '' for all. */
  status: string;
}

/** The api's address of one export file with the filter chosen (nothing said, nothing filtered). */
export function exportUrl(file: string, filter: ExportFilter): string {
  const params = new URLSearchParams();
  if (filter.area) params.set('area', filter.area);
  if (filter.status) params.set('status', filter.status);
  const query = params.toString();
  return `/api/exports/${file}${query ? `?${query}` : ''}`;
}

const FORMATS = ['geojson', 'kml', 'kmz', 'csv'];
const GROUPS: Array<[PlannerKey, string, string[]]> = [
  ['export.segments', 'segments', FORMATS],
  ['export.nodes', 'nodes', FORMATS],
  ['export.sites', 'sites', FORMATS],
];

/** Saves a downloaded file under its name, through a link the page clicks itself. */
function saveBlob(blob: Blob, name: string): void {
  const objectUrl = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = objectUrl;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
}

export function ExportMenu({ kecamatans }: { kecamatans: ReadonlySignal<Array<{ code: string; name: string }>> }) {
  const area = useSignal('');
  const status = useSignal('');
  const exporting = useSignal<string | null>(null);
  const failure = useSignal<string | null>(null);
  const areas = kecamatans.value;
  const statusValues = ['', 'active,planned', ...NETWORK_STATUSES];

  const download = async (file: string) => {
    if (exporting.value) return;
    exporting.value = file;
    failure.value = null;
    try {
      saveBlob(await plannerApi.download(exportUrl(file, { area: area.value, status: status.value })), `serat-${file}`);
    } catch (error) {
      failure.value = `${t('export.failed')} ${problemText(error)}`;
    } finally {
      exporting.value = null;
    }
  };
  const downloadButton = (file: string, label: string) => (
    <Button
      key={file}
      extraClass="serat-planner__download"
      disabled={exporting.value !== null}
      title={t('export.download', { file })}
      onClick={() => void download(file)}
      data-testid={`export-${file}`}
    >
      {exporting.value === file ? '…' : label}
    </Button>
  );

  return (
    <div class="serat-planner__section" data-testid="export-menu">
      <h3 class="serat-planner__heading">{t('export.title')}</h3>
      <label class="serat-field__label" for="serat-export-area">
        {t('export.area')}
      </label>
      <select
        id="serat-export-area"
        class="serat-input"
        value={areas.some((k) => k.code === area.value) ? area.value : ''}
        onChange={(event) => (area.value = event.currentTarget.value)}
        data-testid="export-area"
      >
        <option value="">{t('export.allAreas')}</option>
        {areas.map((k) => (
          <option key={k.code} value={k.code}>
            {k.name}
          </option>
        ))}
      </select>
      <label class="serat-field__label" for="serat-export-status">
        {t('export.status')}
      </label>
      <select id="serat-export-status" class="serat-input" value={status.value} onChange={(event) => (status.value = event.currentTarget.value)} data-testid="export-status">
        {statusValues.map((value) => (
          <option key={value} value={value}>
            {value === '' ? t('export.allStatuses') : value === 'active,planned' ? t('export.activePlanned') : statusLabel(value)}
          </option>
        ))}
      </select>
      <div class="serat-planner__downloads">
        {GROUPS.map(([key, layer, formats]) => (
          <div key={layer} class="serat-planner__download-row">
            <span class="serat-planner__download-name">{t(key)}</span>
            {formats.map((format) => downloadButton(`${layer}.${format}`, format.toUpperCase()))}
          </div>
        ))}
        <div class="serat-planner__download-row">
          <span class="serat-planner__download-name">{t('export.ofds')}</span>
          {downloadButton('ofds.zip', 'ZIP')}
        </div>
      </div>
      <p
        class={`serat-planner__message${failure.value ? ' serat-planner__message--error' : ''}`}
        hidden={!failure.value}
        role={failure.value ? 'alert' : undefined}
        data-testid="export-message"
      >
        {failure.value ?? ''}
      </p>
    </div>
  );
}
