/** @jest-environment jsdom */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { ImportJob, ImportReportRow } from '../../../shared/api';
import { errorBody, fakeFetch, type FakeAnswer, type FakeRequest } from '../../../shared/fake-fetch.testing';
import { setLang } from '../../../shared/i18n';
import { ImportPanel } from './import-panel';
import { createImportsStore } from './imports-store';

const ME = 'user-me';

function importJob(over: Partial<ImportJob> = {}): ImportJob {
  return {
    id: 'imp-1',
    fileName: 'ruas.csv',
    createdBy: ME,
    createdByName: 'Perencana Uji',
    createdAt: '2026-03-04T02:05:00.000Z',
    committedAt: null,
    state: 'queued',
    progress: 0,
    format: 'csv',
    sourceCrs: 'EPSG:4326',
    summary: null,
    errorCode: null,
    errorMessage: null,
    options: { regionCheck: true },
    version: 1,
    ...over,
  };
}

const counts = (create: number, reject = 0) => ({ features: create + reject, create, update: 0, unchanged: 0, reject, lengthM: 1234 });

const reportRow = (index: number): ImportReportRow => ({
  index,
  sourceId: null,
  part: null,
  kind: 'segment',
  action: index === 1 ? 'reject' : 'create',
  code: `RUAS-${String(index + 1).padStart(3, '0')}`,
  reasons: index === 1 ? ['self_intersection'] : [],
  warnings: index === 2 ? ['status_kept_backwards:installed→planned'] : [],
});

/** The imports endpoints over answers the test scripts: each GET of the import takes the next state. */
function fakeImportsApi(script: { states: ImportJob[]; rows?: number; list?: ImportJob[]; more?: ImportJob[]; on?: (request: FakeRequest) => FakeAnswer | null }) {
  let seen = 0;
  const rows = Array.from({ length: script.rows ?? 0 }, (_, i) => reportRow(i));
  return fakeFetch((request) => {
    const own = script.on?.(request);
    if (own) return own;
    const path = request.url.pathname;
    if (path === '/api/import-templates') return { body: { templates: [{ id: 'tpl-1', name: 'CV Ketapang Serat', mapping: { code: ['KD_RUAS'] } }] } };
    if (path === '/api/imports' && request.method === 'GET') {
      if (request.url.searchParams.get('before')) return { body: { imports: script.more ?? [], next: null } };
      return { body: { imports: script.list ?? [], next: script.more ? 'cursor-1' : null } };
    }
    if (path === '/api/imports' && request.method === 'POST') return { status: 202, body: script.states[0] };
    if (path === '/api/imports/imp-1' && request.method === 'GET') return { body: script.states[Math.min(++seen, script.states.length - 1)] };
    if (path === '/api/imports/imp-1/report') {
      const offset = Number(request.url.searchParams.get('offset'));
      const limit = Number(request.url.searchParams.get('limit'));
      return { body: { total: rows.length, rows: rows.slice(offset, offset + limit) } };
    }
    return { status: 500, body: errorBody('INTERNAL', `unexpected ${request.method} ${path}`) };
  });
}

function renderPanel() {
  let changed = 0;
  const store = createImportsStore({ networkChanged: () => (changed += 1), enabled: () => true }, { pollMs: 5 });
  render(<ImportPanel store={store} userId={() => ME} />);
  void store.loadRecent();
  void store.loadTemplates();
  return { store, changes: () => changed };
}

const chooseFile = (name: string, size = 10) => {
  const file = new File(['x'.repeat(size)], name, { type: 'text/csv' });
  fireEvent.change(screen.getByTestId('import-file'), { target: { files: [file] } });
  return file;
};

const state = () => screen.getByTestId('import-state').dataset.state;

beforeEach(() => setLang('id'));

describe('an upload', () => {
  it('runs the dry run to a summary and a report a page at a time, then applies it and tells the map once', async () => {
    const ready = importJob({ state: 'ready', progress: 100, summary: counts(22, 1), version: 2 });
    const { requests } = fakeImportsApi({
      rows: 23,
      states: [
        importJob(),
        importJob({ state: 'analysing', progress: 40 }),
        ready,
        importJob({ state: 'committing', progress: 50, summary: ready.summary, version: 3 }),
        importJob({ state: 'committed', progress: 100, summary: ready.summary, version: 4 }),
      ],
      on: (request) => (request.url.pathname === '/api/imports/imp-1/commit' ? { status: 202, body: { id: 'imp-1', state: 'committing' } } : null),
    });
    const { changes } = renderPanel();
    expect((screen.getByTestId('import-submit') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('import-file-name').textContent).toBe('Belum ada berkas dipilih');
    const file = chooseFile('ruas.csv');
    await waitFor(() => expect(screen.getByTestId('import-file-name').textContent).toBe('ruas.csv'));
    fireEvent.click(screen.getByTestId('import-submit'));

    await waitFor(() => expect(state()).toBe('ready'));
    const upload = requests.find((request) => request.method === 'POST' && request.url.pathname === '/api/imports')!;
    expect((upload.body as { file: File }).file.name).toBe(file.name);
    expect(JSON.parse((upload.body as { options: string }).options)).toEqual({ regionCheck: true });
    expect(screen.getByTestId('import-progress').getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByTestId('import-summary').dataset.create).toBe('22');

    // The report: refusals first, reasons in words, a page of 20 of the 23 rows.
    const table = await screen.findByTestId('import-report');
    const first = within(table).getAllByRole('row')[1];
    expect(first.dataset.action).toBe('reject');
    expect(first.textContent).toContain('Garis memotong dirinya sendiri');
    expect(table.textContent).toContain('Status tetap Terpasang: berkas menyebut Direncanakan');
    expect(within(table).getAllByRole('row')).toHaveLength(21);
    expect(screen.getByText('1–20 dari 23')).toBeTruthy();
    fireEvent.click(screen.getByTestId('import-report-next'));
    await screen.findByText('21–23 dari 23');
    expect(within(screen.getByTestId('import-report')).getAllByRole('row')).toHaveLength(4);
    expect(requests.filter((request) => request.url.pathname.endsWith('/report')).map((request) => request.url.searchParams.get('offset'))).toEqual(['0', '20']);

    expect(changes()).toBe(0);
    fireEvent.click(screen.getByTestId('import-commit'));
    await waitFor(() => expect(state()).toBe('committed'));
    expect(screen.getByTestId('import-state').textContent).toBe('ruas.csv: Selesai');
    expect(screen.getByTestId('import-commit').hidden).toBe(true);
    // The map reads the network again once, however often the committed import is read after.
    await waitFor(() => expect(changes()).toBe(1));
    expect(requests.filter((request) => request.url.pathname === '/api/imports/imp-1/commit')).toHaveLength(1);
  });

  it('refuses a file over 50 MB before sending it, and says why the server refused one', async () => {
    const { requests } = fakeImportsApi({
      states: [importJob()],
      on: (request) => (request.method === 'POST' ? { status: 503, body: errorBody('QUEUE_UNAVAILABLE', 'Redis is down') } : null),
    });
    renderPanel();
    // A File of 50 MB and one byte without holding it: its size is what is checked.
    const big = new File(['x'], 'besar.geojson');
    Object.defineProperty(big, 'size', { value: 50 * 1024 * 1024 + 1 });
    fireEvent.change(screen.getByTestId('import-file'), { target: { files: [big] } });
    fireEvent.click(screen.getByTestId('import-submit'));
    expect((await screen.findByTestId('import-error')).textContent).toBe('Berkas terlalu besar (maksimal 50 MB).');
    expect(requests.some((request) => request.method === 'POST')).toBe(false);

    chooseFile('kecil.geojson');
    fireEvent.click(screen.getByTestId('import-submit'));
    await waitFor(() => expect(screen.getByTestId('import-error').textContent).toContain('Impor menunggu Redis'));
    expect(screen.queryByTestId('import-state')).toBeNull();
  });
});

describe('an earlier import', () => {
  it("opened from the list says why it failed in the reader's words and is tried again", async () => {
    const failed = importJob({ state: 'failed', errorCode: 'XML_FORBIDDEN', errorMessage: 'DOCTYPE is not allowed', summary: null });
    const unknown = importJob({
      id: 'imp-2',
      fileName: 'baru.kml',
      state: 'failed',
      errorCode: 'SOMETHING_NEW',
      errorMessage: 'Only the server knows',
      createdBy: 'other',
      createdByName: 'Budi',
    });
    // Failed until the retry is asked for; then analysed again, and ready.
    const after = [importJob({ state: 'analysing', progress: 10, version: 3 }), importJob({ state: 'ready', progress: 100, summary: counts(1), version: 4 })];
    let retried = false;
    const { requests } = fakeImportsApi({
      list: [failed, unknown],
      states: [failed],
      on: (request) => {
        if (request.url.pathname === '/api/imports/imp-2') return { body: unknown };
        if (request.url.pathname === '/api/imports/imp-1' && !retried) return { body: failed };
        if (request.url.pathname === '/api/imports/imp-1') return { body: after.length > 1 ? after.shift() : after[0] };
        if (request.url.pathname === '/api/imports/imp-1/retry') {
          retried = true;
          return { status: 202, body: importJob({ state: 'analysing', progress: 0, version: 3 }) };
        }
        return null;
      },
    });
    renderPanel();
    const items = await screen.findAllByTestId('import-recent-item');
    expect(items[0].textContent).toContain('Anda');
    expect(items[1].textContent).toContain('Budi');
    expect(items[0].textContent).toContain('XML dengan DOCTYPE atau entitas tidak diterima');

    fireEvent.click(items[1]);
    const strange = await screen.findByTestId('import-failure');
    await waitFor(() => expect(screen.getByTestId('import-failure').textContent).toBe('SOMETHING_NEW — Only the server knows'));
    expect(strange.dataset.code).toBe('SOMETHING_NEW');
    expect(items[1].getAttribute('aria-current')).toBe('true');

    fireEvent.click(items[0]);
    await waitFor(() => expect(screen.getByTestId('import-failure').textContent).toBe('XML dengan DOCTYPE atau entitas tidak diterima'));
    const retry = screen.getByTestId('import-retry');
    expect(retry.textContent).toBe('Coba lagi');
    fireEvent.click(retry);
    await waitFor(() => expect(state()).toBe('ready'));
    expect(screen.queryByTestId('import-failure')).toBeNull();
    expect(screen.queryByTestId('import-retry')).toBeNull();
    expect(requests.filter((request) => request.url.pathname === '/api/imports/imp-1/retry')).toHaveLength(1);
  });

  it('lists the options it was made with, in the language chosen', async () => {
    const job = importJob({
      state: 'committed',
      progress: 100,
      summary: counts(1),
      options: {
        regionCheck: false,
        source: 'kontraktor-a',
        templateId: 'tpl-1',
        analysedMapping: { code: ['KD_RUAS'], coreCount: ['JML_CORE'] },
        defaultPlacement: 'underground',
        defaultTier: 'drop',
      },
    });
    fakeImportsApi({ list: [job], states: [job] });
    renderPanel();
    fireEvent.click(await screen.findByTestId('import-recent-item'));
    const options = await screen.findByTestId('import-options');
    const option = (key: string) => options.querySelector(`dd[data-option="${key}"]`)?.textContent;
    await waitFor(() => expect(option('template')).toBe('CV Ketapang Serat'));
    expect(option('regionCheck')).toBe('Tidak');
    expect(option('source')).toBe('kontraktor-a');
    expect(option('mapping')).toBe('Kode ← KD_RUAS; Jumlah core ← JML_CORE');
    expect(option('defaultPlacement')).toBe('Tanam langsung');
    expect(option('defaultTier')).toBe('Drop');

    setLang('en');
    await waitFor(() => expect(screen.getByTestId('import-options').querySelector('summary')?.textContent).toBe('Options used'));
    expect(option('regionCheck')).toBe('No');
    expect(option('defaultPlacement')).toBe('Direct buried');
  });

  it('pages the list with "more", each page after the last', async () => {
    const list = [importJob({ id: 'a', fileName: 'a.csv', state: 'committed', summary: counts(3) })];
    const more = [importJob({ id: 'b', fileName: 'b.csv', state: 'committed', summary: counts(1) })];
    const { requests } = fakeImportsApi({ list, more, states: [list[0]] });
    renderPanel();
    await waitFor(() => expect(screen.getAllByTestId('import-recent-item')).toHaveLength(1));
    expect(screen.getByTestId('import-recent-counts').textContent).toBe('3 baru · 0 diperbarui · 0 tetap · 0 ditolak');
    fireEvent.click(screen.getByTestId('import-recent-more'));
    await waitFor(() => expect(screen.getAllByTestId('import-recent-item').map((item) => item.dataset.id)).toEqual(['a', 'b']));
    expect(screen.queryByTestId('import-recent-more')).toBeNull();
    expect(requests.filter((request) => request.url.pathname === '/api/imports').map((request) => request.url.search)).toEqual(['?limit=20', '?limit=20&before=cursor-1']);
  });
});

describe('the mapping step', () => {
  const analysed = importJob({
    state: 'ready',
    progress: 100,
    version: 2,
    summary: {
      ...counts(1),
      analysis: {
        properties: [
          { name: 'KD_RUAS', count: 1, samples: ['RUAS-001'] },
          { name: 'KONDISI', count: 3, samples: ['Sdh Terpasang'] },
        ],
        propertyCount: 2,
        fields: { status: [{ property: 'KONDISI', count: 3 }] },
        unrecognised: { status: [{ value: 'Sdh Terpasang', count: 3 }], placement: [], statusFeatures: 3, placementFeatures: 0 },
        mapping: { status: ['KONDISI'] },
      },
    },
  });

  it('holds the commit back until the changed mapping is analysed again, and sends the mapping chosen', async () => {
    const { requests } = fakeImportsApi({
      list: [analysed],
      states: [analysed],
      on: (request) => (request.url.pathname === '/api/imports/imp-1/analyse' ? { status: 202, body: importJob({ state: 'queued', version: 3 }) } : null),
    });
    renderPanel();
    fireEvent.click(await screen.findByTestId('import-recent-item'));
    const code = (await screen.findByTestId('mapping-field-code')) as HTMLSelectElement;
    expect((screen.getByTestId('mapping-field-status') as HTMLSelectElement).value).toBe('KONDISI');
    // The count a plural: one feature, three features.
    expect([...code.options].map((o) => o.text)).toEqual(['— tidak dipakai —', 'KD_RUAS (1 fitur) · RUAS-001', 'KONDISI (3 fitur) · Sdh Terpasang']);
    expect(screen.getByTestId('mapping-changed').hidden).toBe(true);
    expect((screen.getByTestId('import-commit') as HTMLButtonElement).disabled).toBe(false);

    fireEvent.change(code, { target: { value: 'KD_RUAS' } });
    fireEvent.change(screen.getByTestId('mapping-status-word'), { target: { value: 'installed' } });
    await waitFor(() => expect(screen.getByTestId('mapping-changed').hidden).toBe(false));
    expect((screen.getByTestId('import-commit') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('import-commit-blocked').hidden).toBe(false);
    expect(screen.getByTestId('mapping-samples-code').textContent).toBe('Contoh: “RUAS-001”');

    setLang('en');
    await waitFor(() => expect(code.options[1].text).toBe('KD_RUAS (1 feature) · RUAS-001'));
    expect(code.options[2].text).toBe('KONDISI (3 features) · Sdh Terpasang');
    expect(screen.getByTestId('mapping-status-words').textContent).toContain('3 features use a status word');

    fireEvent.click(screen.getByTestId('import-reanalyse'));
    await waitFor(() => expect(state()).toBe('queued'));
    const sent = requests.find((request) => request.url.pathname === '/api/imports/imp-1/analyse')!.body as { options: Record<string, unknown> };
    expect(sent.options).toEqual({ regionCheck: true, mapping: { code: ['KD_RUAS'], status: ['KONDISI'], statusValues: { 'Sdh Terpasang': 'installed' }, placementValues: {} } });
  });
});
