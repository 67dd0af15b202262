import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Button, LanguageSwitch, StatusChip } from '../../shared/components';
import { formatDateTimeWib, formatMetres, formatNumber } from '../../shared/format';
import { nodeKindLabel, placementLabel, siteKindLabel, statusLabel, tierLabel } from '../../shared/i18n';
import { lang } from '../../shared/translate';
import { NETWORK_STATUSES, NODE_KINDS, SITE_KINDS } from '../../shared/vocabulary';
import {
  FILTERS_OF,
  INVENTORY_LAYERS,
  INVENTORY_SORTS,
  type Choice,
  type InventoryLayer,
  type InventoryNodeRow,
  type InventorySegmentRow,
  type InventorySiteRow,
  type ListFilter,
} from './inventory-api';
import { t, type InventoryKey } from './inventory.i18n';
import type { Failure, InventoryStore } from './inventory-store';

type AnyRow = InventorySegmentRow | InventoryNodeRow | InventorySiteRow;

interface Column {
  key: string;
  label: InventoryKey;
  /** Numbers read right-aligned. */
  numeric?: boolean;
  cell(row: AnyRow): ComponentChildren;
}

const TAB_LABELS: Record<InventoryLayer, InventoryKey> = { segments: 'list.segments', nodes: 'list.nodes', sites: 'list.sites' };
const dash = (text: string | null | undefined) => (text ? text : '—');
const updated: Column = { key: 'updatedAt', label: 'col.updatedAt', cell: (row) => formatDateTimeWib(row.updatedAt) };
const code: Column = { key: 'code', label: 'col.code', cell: (row) => row.code };

const COLUMNS: Record<InventoryLayer, Column[]> = {
  segments: [
    code,
    { key: 'status', label: 'col.status', cell: (row) => <StatusChip status={(row as InventorySegmentRow).status} /> },
    { key: 'tier', label: 'col.tier', cell: (row) => tierLabel((row as InventorySegmentRow).tier) },
    { key: 'placement', label: 'col.placement', cell: (row) => placementLabel((row as InventorySegmentRow).placement) },
    { key: 'lengthM', label: 'col.lengthM', numeric: true, cell: (row) => formatMetres((row as InventorySegmentRow).lengthM) },
    { key: 'phase', label: 'col.phase', cell: (row) => dash((row as InventorySegmentRow).phaseName) },
    { key: 'kecamatan', label: 'col.kecamatan', cell: (row) => dash((row as InventorySegmentRow).kecamatanNames.join(', ')) },
    updated,
  ],
  nodes: [
    code,
    { key: 'name', label: 'col.name', cell: (row) => dash((row as InventoryNodeRow).name) },
    { key: 'kind', label: 'col.kind', cell: (row) => nodeKindLabel((row as InventoryNodeRow).kind) },
    { key: 'status', label: 'col.status', cell: (row) => <StatusChip status={(row as InventoryNodeRow).status} /> },
    { key: 'kecamatan', label: 'col.kecamatan', cell: (row) => dash((row as InventoryNodeRow).kecamatanName) },
    updated,
  ],
  sites: [
    code,
    { key: 'name', label: 'col.name', cell: (row) => (row as InventorySiteRow).name },
    { key: 'kind', label: 'col.kind', cell: (row) => siteKindLabel((row as InventorySiteRow).kind) },
    {
      key: 'connected',
      label: 'col.connected',
      cell: (row) => {
        const connected = (row as InventorySiteRow).connected;
        return <span class={`serat-inventory__connected serat-inventory__connected--${connected ? 'yes' : 'no'}`}>{t(connected ? 'site.connected' : 'site.notConnected')}</span>;
      },
    },
    { key: 'phase', label: 'col.phase', cell: (row) => dash((row as InventorySiteRow).phaseName) },
    { key: 'kecamatan', label: 'col.kecamatan', cell: (row) => dash((row as InventorySiteRow).kecamatanName) },
    updated,
  ],
};

const sortable = (layer: InventoryLayer, column: string) => (INVENTORY_SORTS[layer] as readonly string[]).includes(column);

function FailureText({ failure }: { failure: Failure }) {
  // The server's own words while the language is the one it answered in.
  if (failure.lang === lang.value && failure.server) return <>{failure.server}</>;
  if (failure.network) return <>{t('error.network')}</>;
  if (failure.code === 'VALIDATION_FAILED' || failure.code === 'FORBIDDEN') return <>{t(`error.${failure.code}`)}</>;
  return <>{t('error.failed', { status: failure.status ?? '?' })}</>;
}

function ChoiceSelect({ id, label, value, choices, onChange }: { id: string; label: string; value: string; choices: Choice[]; onChange(value: string): void }) {
  // A value the choices no longer name (a list not yet read) still reads as chosen.
  const known = value === '' || choices.some((choice) => choice.value === value);
  return (
    <div class="serat-field serat-inventory__filter">
      <label class="serat-field__label" for={id}>
        {label}
      </label>
      <select id={id} class="serat-input" value={value} onChange={(event) => onChange(event.currentTarget.value)} data-testid={id}>
        <option value="">{t('list.all')}</option>
        {!known && <option value={value}>{value}</option>}
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function Filters({ store }: { store: InventoryStore }) {
  const layer = store.layer.value;
  const filter = store.state.value.filter;
  const takes = (name: keyof ListFilter) => FILTERS_OF[layer].includes(name);
  const kinds: readonly string[] = layer === 'nodes' ? NODE_KINDS : SITE_KINDS;
  const kindLabel = layer === 'nodes' ? nodeKindLabel : siteKindLabel;
  const filtered = Object.values(filter).some(Boolean) || store.typed.value !== '';

  return (
    <form
      role="search"
      class="serat-inventory__filters"
      aria-label={t('list.filters')}
      onSubmit={(event) => {
        event.preventDefault();
        void store.search();
      }}
    >
      <div class="serat-field serat-inventory__filter serat-inventory__filter--search">
        <label class="serat-field__label" for="inventory-search">
          {t('list.search')}
        </label>
        <input
          id="inventory-search"
          class="serat-input"
          type="search"
          autocomplete="off"
          value={store.typed.value}
          placeholder={t(layer === 'segments' ? 'list.searchSegments' : 'list.searchOthers')}
          onInput={(event) => store.type(event.currentTarget.value)}
          data-testid="inventory-search"
        />
      </div>
      {takes('status') && (
        <ChoiceSelect
          id="inventory-status"
          label={t('list.status')}
          value={filter.status}
          choices={NETWORK_STATUSES.map((status) => ({ value: status, name: statusLabel(status) }))}
          onChange={(status) => void store.setFilter({ status })}
        />
      )}
      {takes('kind') && (
        <ChoiceSelect
          id="inventory-kind"
          label={t('list.kind')}
          value={filter.kind}
          choices={kinds.map((kind) => ({ value: kind, name: kindLabel(kind) }))}
          onChange={(kind) => void store.setFilter({ kind })}
        />
      )}
      <ChoiceSelect id="inventory-area" label={t('list.kecamatan')} value={filter.area} choices={store.kecamatan.value} onChange={(area) => void store.setFilter({ area })} />
      <ChoiceSelect id="inventory-phase" label={t('list.phase')} value={filter.phase} choices={store.phases.value} onChange={(phase) => void store.setFilter({ phase })} />
      <div class="serat-inventory__filter serat-inventory__filter--clear">
        <Button onClick={() => void store.clearFilter()} disabled={!filtered} data-testid="inventory-clear">
          {t('list.clear')}
        </Button>
      </div>
    </form>
  );
}

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

function Exports({ store }: { store: InventoryStore }) {
  const files = store.exports.value;
  if (!files.length) return null;
  const layer = store.layer.value;
  const layerName = t(TAB_LABELS[layer]);
  const failure = store.exportFailure.value;
  return (
    <div class="serat-inventory__exports" data-testid="inventory-exports">
      <span class="serat-inventory__exports-label">{t('list.export')}</span>
      {files.map(({ format, href }) => (
        <a
          key={format}
          href={href}
          download={`serat-${layer}.${format}`}
          class={`serat-button serat-button--secondary serat-inventory__export${store.exporting.value === href ? ' serat-button--busy' : ''}`}
          title={t('list.exportTitle', { layer: layerName.toLocaleLowerCase(lang.value), format: format.toUpperCase() })}
          onClick={(event) => {
            // Through the session, so that a refusal shows here instead of landing as a file.
            event.preventDefault();
            void store.download(href).then((blob) => blob && saveBlob(blob, `serat-${layer}.${format}`));
          }}
          data-testid={`inventory-export-${format}`}
        >
          <span class="serat-button__label">{format.toUpperCase()}</span>
        </a>
      ))}
      {failure && (
        <p class="serat-inventory__error" role="alert" data-testid="inventory-export-error">
          {t('list.exportFailed')} <FailureText failure={failure} />
        </p>
      )}
    </div>
  );
}

function Table({ store, onShown }: { store: InventoryStore; onShown(): void }) {
  const layer = store.layer.value;
  const page = store.page.value;
  const { sort, order } = store.state.value;
  const columns = COLUMNS[layer];
  const rows = (page?.rows ?? []) as AnyRow[];
  const open = (row: AnyRow) => {
    void store.focus(row.id, row.code).then((shown) => {
      if (shown) onShown();
    });
  };

  return (
    <div class="serat-inventory__table-wrap">
      <table class="serat-inventory__table" aria-busy={store.loading.value} data-testid="inventory-table" data-layer={layer}>
        <caption class="serat-visually-hidden">{t(TAB_LABELS[layer])}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const label = t(column.label);
              if (!sortable(layer, column.key)) {
                return (
                  <th key={column.key} scope="col" class={column.numeric ? 'is-numeric' : undefined}>
                    {label}
                  </th>
                );
              }
              const active = sort === column.key;
              return (
                <th
                  key={column.key}
                  scope="col"
                  class={column.numeric ? 'is-numeric' : undefined}
                  aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}
                  data-testid={`inventory-col-${column.key}`}
                >
                  <button
                    type="button"
                    class="serat-inventory__sort"
                    title={t('list.sortBy', { column: label })}
                    onClick={() => void store.sortBy(column.key)}
                    data-testid={`inventory-sort-${column.key}`}
                  >
                    {label}
                    <span class={`serat-inventory__arrow${active ? ` is-${order}` : ''}`} aria-hidden="true" />
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} class="serat-inventory__row" onClick={() => open(row)} data-testid="inventory-row" data-id={row.id} data-code={row.code}>
              {columns.map((column, index) => (
                <td key={column.key} class={column.numeric ? 'is-numeric' : undefined} data-label={t(column.label)} data-column={column.key}>
                  {index === 0 ? (
                    // Enter or Space on the code shows the row on the map (the click goes to the row).
                    <button type="button" class="serat-inventory__open" aria-label={t('list.showOnMap', { code: row.code })} data-testid="inventory-open">
                      {column.cell(row)}
                    </button>
                  ) : (
                    column.cell(row)
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Pager({ store }: { store: InventoryStore }) {
  const page = store.page.value;
  const busy = store.loading.value;
  const text =
    page === null
      ? busy
        ? t('list.loading')
        : ''
      : t('list.range', {
          from: formatNumber(page.rows.length ? page.offset + 1 : 0),
          to: formatNumber(page.offset + page.rows.length),
          total: formatNumber(page.total),
        });
  return (
    <nav class="serat-inventory__pager" aria-label={t('list.pager')} data-testid="inventory-pager">
      <Button onClick={() => void store.previous()} disabled={!store.hasPrevious.value || busy} data-testid="inventory-previous">
        {t('list.previous')}
      </Button>
      <span class="serat-inventory__range" aria-live="polite" data-testid="inventory-range">
        {text}
      </span>
      <Button onClick={() => void store.next()} disabled={!store.hasNext.value || busy} data-testid="inventory-next">
        {t('list.next')}
      </Button>
    </nav>
  );
}

/** The network list over the map: segments, nodes or sites a page at a time; Escape or × goes back to the map. */
export function InventoryScreen({ store, onClose }: { store: InventoryStore; onClose(): void }) {
  const tabs = useRef<HTMLDivElement>(null);
  const layer = store.layer.value;
  const page = store.page.value;
  const failure = store.failure.value;
  const notice = store.notOnMap.value;
  const filtered = Object.values(store.state.value.filter).some(Boolean);

  useEffect(() => {
    document.getElementById('inventory-search')?.focus();
    void store.load();
    void store.loadChoices();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // Arrow keys move between the tabs, as in any tab list.
  const onTabKey = (event: JSX.TargetedKeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight' && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    const index = INVENTORY_LAYERS.indexOf(layer);
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? INVENTORY_LAYERS.length - 1
          : (index + (event.key === 'ArrowRight' ? 1 : -1) + INVENTORY_LAYERS.length) % INVENTORY_LAYERS.length;
    void store.show(INVENTORY_LAYERS[next]);
    tabs.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[next]?.focus();
  };

  return (
    <div class="serat-inventory" role="dialog" aria-modal="true" aria-labelledby="inventory-title" data-testid="inventory-screen">
      <header class="serat-inventory__head">
        <h2 id="inventory-title">{t('list.title')}</h2>
        <div class="serat-inventory__tabs" role="tablist" aria-label={t('list.tabs')} ref={tabs} onKeyDown={onTabKey}>
          {INVENTORY_LAYERS.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              id={`inventory-tab-${name}`}
              aria-selected={layer === name}
              aria-controls="inventory-panel"
              tabIndex={layer === name ? 0 : -1}
              class="serat-inventory__tab"
              onClick={() => layer !== name && void store.show(name)}
              data-testid={`inventory-tab-${name}`}
            >
              {t(TAB_LABELS[name])}
            </button>
          ))}
        </div>
        <LanguageSwitch />
        <button
          type="button"
          class="serat-dialog__close serat-inventory__close"
          aria-label={t('list.close')}
          title={t('list.close')}
          onClick={onClose}
          data-testid="inventory-close"
        >
          ×
        </button>
      </header>
      <main id="inventory-panel" class="serat-inventory__body" role="tabpanel" aria-labelledby={`inventory-tab-${layer}`}>
        <Filters store={store} />
        <Exports store={store} />
        {notice && (
          <div class="serat-inventory__notice" role="status" data-testid="inventory-not-on-map">
            <span>{t('list.notOnMap', { code: notice })}</span>
            <button type="button" class="serat-dialog__close" aria-label={t('list.dismiss')} title={t('list.dismiss')} onClick={() => store.dismissNotice()}>
              ×
            </button>
          </div>
        )}
        {failure && (
          <div class="serat-inventory__error" role="alert" data-testid="inventory-error">
            <p>
              <FailureText failure={failure} />
            </p>
            <Button onClick={() => void store.load()} busy={store.loading.value} data-testid="inventory-retry">
              {t('list.retry')}
            </Button>
          </div>
        )}
        <Table store={store} onShown={onClose} />
        {!failure && !store.loading.value && page !== null && page.total === 0 && (
          <p class="serat-inventory__empty" data-testid="inventory-empty">
            {t(filtered ? 'list.empty' : 'list.emptyAll')}
          </p>
        )}
        <Pager store={store} />
      </main>
    </div>
  );
}
