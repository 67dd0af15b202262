/** @jest-environment jsdom */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { errorBody, fakeFetch, type FakeAnswer, type FakeRequest } from '../../shared/fake-fetch.testing';
import { setLang } from '../../shared/i18n';
import type { InventorySegmentRow, InventorySiteRow } from './inventory-api';
import { InventoryScreen } from './inventory-screen';
import { createInventoryStore, type InventoryDeps } from './inventory-store';

const PHASE_ID = '7b0c2f7e-3c1a-4f55-9a55-0d1c3c0e2a11';
const KECAMATAN = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: null, properties: { code: '62.02.06', name: 'Mentawa Baru Ketapang', level: 'kecamatan' } },
    { type: 'Feature', geometry: null, properties: { code: '62.02.05', name: 'Baamang', level: 'kecamatan' } },
  ],
};
const PHASES = { phases: [{ id: PHASE_ID, code: 'F1', name: 'Fase 1 Sampit' }], next: null };

function segment(n: number, change: Partial<InventorySegmentRow> = {}): InventorySegmentRow {
  return {
    id: `seg-${n}`,
    code: `DS-${String(n).padStart(3, '0')}`,
    status: 'active',
    tier: 'distribution',
    placement: 'aerial',
    lengthM: 1234.5,
    phaseId: PHASE_ID,
    phaseName: 'Fase 1 Sampit',
    kecamatanNames: ['Baamang'],
    desaNames: [],
    updatedAt: '2026-03-04T02:05:00.000Z',
    version: 1,
    ...change,
  };
}

const site = (n: number, change: Partial<InventorySiteRow> = {}): InventorySiteRow => ({
  id: `site-${n}`,
  code: `S-${n}`,
  name: `Puskesmas ${n}`,
  kind: 'puskesmas',
  connected: n % 2 === 0,
  phaseId: null,
  phaseName: null,
  kecamatanCode: '62.02.05',
  kecamatanName: 'Baamang',
  desaCode: null,
  desaName: null,
  updatedAt: '2026-03-04T02:05:00.000Z',
  version: 1,
  ...change,
});

/** A server of `total` segments (and `siteTotal` sites) that pages them as the api does. */
function listServer(total = 108, siteTotal = 3) {
  return (request: FakeRequest): FakeAnswer | Promise<FakeAnswer> => {
    const path = request.url.pathname;
    if (path === '/api/areas') return { body: KECAMATAN };
    if (path === '/api/phases') return { body: PHASES };
    const params = request.url.searchParams;
    const offset = Number(params.get('offset'));
    const limit = Number(params.get('limit'));
    const count = path === '/api/inventory/sites' ? siteTotal : total;
    const make = path === '/api/inventory/sites' ? site : segment;
    const rows = Array.from({ length: Math.max(0, Math.min(limit, count - offset)) }, (_, i) => make(offset + i + 1));
    return { body: { rows, total: count, offset, limit, sort: params.get('sort'), order: params.get('order') } };
  };
}

const lists = (requests: FakeRequest[]) => requests.filter((request) => request.url.pathname.startsWith('/api/inventory/'));
const lastQuery = (requests: FakeRequest[]) => Object.fromEntries(lists(requests).at(-1)!.url.searchParams);
/** The pager waits for the answer: its buttons are off while a page is on its way. */
const settled = () => waitFor(() => expect(screen.getByTestId('inventory-table').getAttribute('aria-busy')).toBe('false'));

function renderScreen(role = 'planner', deps: Partial<InventoryDeps> = {}, options = { pageSize: 50, debounceMs: 20 }) {
  const focus = deps.focus ?? jest.fn<Promise<boolean>, [string, string]>(async () => true);
  const onClose = jest.fn();
  const store = createInventoryStore({ role, focus }, options);
  render(<InventoryScreen store={store} onClose={onClose} />);
  return { store, focus, onClose };
}

beforeEach(() => setLang('id'));

describe('the network list', () => {
  it('asks for the first page sorted by code and says which rows of how many it shows', async () => {
    const { requests } = fakeFetch(listServer());
    renderScreen();
    await waitFor(() => expect(screen.getAllByTestId('inventory-row')).toHaveLength(50));
    expect(lists(requests)[0].url.pathname).toBe('/api/inventory/segments');
    expect(lastQuery(requests)).toEqual({ sort: 'code', order: 'asc', offset: '0', limit: '50' });
    expect(screen.getByTestId('inventory-range').textContent).toBe('1–50 dari 108');
    const first = screen.getAllByTestId('inventory-row')[0];
    expect(first.textContent).toContain('DS-001');
    expect(first.textContent).toContain('Aktif');
    expect(first.textContent).toContain('1.234,5 m');
    expect(first.textContent).toMatch(/4 Mar 2026,? 09[.:]05 WIB/);
    expect(screen.getByTestId('inventory-col-code').getAttribute('aria-sort')).toBe('ascending');
    expect(screen.getByTestId('inventory-col-lengthM').getAttribute('aria-sort')).toBe('none');
    // The kecamatan and the phases to filter on, by name.
    await screen.findByRole('option', { name: 'Baamang' });
    expect(screen.getByRole('option', { name: 'Fase 1 Sampit' })).toBeTruthy();

    setLang('en');
    await waitFor(() => expect(screen.getByTestId('inventory-range').textContent).toBe('1–50 of 108'));
    expect(screen.getAllByTestId('inventory-row')[0].textContent).toContain('1,234.5 m');
  });

  it('pages by offset, sorts on the server, and starts again at the first page on a new filter or sort', async () => {
    const { requests } = fakeFetch(listServer());
    renderScreen();
    await waitFor(() => expect(screen.getAllByTestId('inventory-row')).toHaveLength(50));
    expect((screen.getByTestId('inventory-previous') as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByTestId('inventory-next'));
    await waitFor(() => expect(screen.getByTestId('inventory-range').textContent).toBe('51–100 dari 108'));
    expect(lastQuery(requests).offset).toBe('50');
    fireEvent.click(screen.getByTestId('inventory-next'));
    await waitFor(() => expect(screen.getByTestId('inventory-range').textContent).toBe('101–108 dari 108'));
    expect(screen.getAllByTestId('inventory-row')).toHaveLength(8);
    expect((screen.getByTestId('inventory-next') as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(screen.getByTestId('inventory-status'), { target: { value: 'planned' } });
    await waitFor(() => expect(lastQuery(requests)).toEqual({ status: 'planned', sort: 'code', order: 'asc', offset: '0', limit: '50' }));
    fireEvent.change(screen.getByTestId('inventory-area'), { target: { value: '62.02.05' } });
    fireEvent.change(screen.getByTestId('inventory-phase'), { target: { value: PHASE_ID } });
    await waitFor(() => expect(lastQuery(requests).phase).toBe(PHASE_ID));
    expect(lastQuery(requests)).toMatchObject({ status: 'planned', area: '62.02.05', offset: '0' });

    await settled();
    fireEvent.click(screen.getByTestId('inventory-next'));
    await waitFor(() => expect(lastQuery(requests).offset).toBe('50'));
    fireEvent.click(screen.getByTestId('inventory-sort-lengthM'));
    await waitFor(() => expect(lastQuery(requests)).toMatchObject({ sort: 'lengthM', order: 'asc', offset: '0', area: '62.02.05' }));
    expect(screen.getByTestId('inventory-col-lengthM').getAttribute('aria-sort')).toBe('ascending');
    expect(screen.getByTestId('inventory-col-code').getAttribute('aria-sort')).toBe('none');
    fireEvent.click(screen.getByTestId('inventory-sort-lengthM'));
    await waitFor(() => expect(lastQuery(requests)).toMatchObject({ sort: 'lengthM', order: 'desc' }));
    await waitFor(() => expect(screen.getByTestId('inventory-col-lengthM').getAttribute('aria-sort')).toBe('descending'));

    fireEvent.click(screen.getByTestId('inventory-clear'));
    await waitFor(() => expect(lastQuery(requests)).toEqual({ sort: 'lengthM', order: 'desc', offset: '0', limit: '50' }));
  });

  it('searches once typing rests, and at once on Enter', async () => {
    const { requests } = fakeFetch(listServer());
    renderScreen();
    await waitFor(() => expect(screen.getAllByTestId('inventory-row')).toHaveLength(50));
    fireEvent.click(screen.getByTestId('inventory-next'));
    await waitFor(() => expect(lastQuery(requests).offset).toBe('50'));
    const before = lists(requests).length;
    const box = screen.getByTestId('inventory-search');
    for (const text of ['D', 'DS', 'DS-0']) fireEvent.input(box, { target: { value: text } });
    await waitFor(() => expect(lastQuery(requests).q).toBe('DS-0'));
    // One question for the three keystrokes, from the first page.
    expect(lists(requests)).toHaveLength(before + 1);
    expect(lastQuery(requests).offset).toBe('0');

    fireEvent.input(box, { target: { value: 'DS-01' } });
    fireEvent.submit(box.closest('form')!);
    expect(lastQuery(requests).q).toBe('DS-01');
    await new Promise((resolve) => setTimeout(resolve, 40));
    // The pending keystroke does not ask again.
    expect(lists(requests).filter((request) => request.url.searchParams.get('q') === 'DS-01')).toHaveLength(1);
  });

  it('shows the answer to the last question even when an earlier one answers after it', async () => {
    const held: Array<() => void> = [];
    fakeFetch((request) => {
      const status = request.url.searchParams.get('status');
      const answer = listServer()(request) as FakeAnswer;
      if (status === 'active') {
        // The slow answer: it arrives only once the later question has been answered.
        return new Promise<FakeAnswer>((resolve) => held.push(() => resolve({ body: { rows: [segment(900, { code: 'STALE-1' })], total: 1, offset: 0, limit: 50 } })));
      }
      if (status === 'planned') return { body: { rows: [segment(1, { code: 'PLAN-1', status: 'planned' })], total: 1, offset: 0, limit: 50 } };
      return answer;
    });
    renderScreen();
    await waitFor(() => expect(screen.getAllByTestId('inventory-row')).toHaveLength(50));
    fireEvent.change(screen.getByTestId('inventory-status'), { target: { value: 'active' } });
    fireEvent.change(screen.getByTestId('inventory-status'), { target: { value: 'planned' } });
    await waitFor(() => expect(screen.getAllByTestId('inventory-row').map((row) => row.dataset.code)).toEqual(['PLAN-1']));
    held.forEach((release) => release());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.getAllByTestId('inventory-row').map((row) => row.dataset.code)).toEqual(['PLAN-1']);
    expect(screen.getByTestId('inventory-range').textContent).toBe('1–1 dari 1');
    expect(screen.queryByTestId('inventory-error')).toBeNull();
  });

  it('keeps each tab’s filter and page while the screen is open, and asks for what each list takes', async () => {
    const { requests } = fakeFetch(listServer(108, 75));
    renderScreen();
    await waitFor(() => expect(screen.getAllByTestId('inventory-row')).toHaveLength(50));
    fireEvent.change(screen.getByTestId('inventory-status'), { target: { value: 'damaged' } });
    await waitFor(() => expect(lastQuery(requests).status).toBe('damaged'));

    fireEvent.click(screen.getByTestId('inventory-tab-sites'));
    await waitFor(() => expect(lists(requests).at(-1)!.url.pathname).toBe('/api/inventory/sites'));
    expect(lastQuery(requests)).toEqual({ sort: 'code', order: 'asc', offset: '0', limit: '50' });
    // A site has no status of its own; it has a kind.
    expect(screen.queryByTestId('inventory-status')).toBeNull();
    fireEvent.change(screen.getByTestId('inventory-kind'), { target: { value: 'puskesmas' } });
    await waitFor(() => expect(lastQuery(requests).kind).toBe('puskesmas'));
    await settled();
    fireEvent.click(screen.getByTestId('inventory-next'));
    await waitFor(() => expect(screen.getByTestId('inventory-range').textContent).toBe('51–75 dari 75'));
    expect(screen.getAllByTestId('inventory-row')[1].textContent).toContain('Terhubung');

    fireEvent.click(screen.getByTestId('inventory-tab-segments'));
    await waitFor(() => expect(lists(requests).at(-1)!.url.pathname).toBe('/api/inventory/segments'));
    expect(lastQuery(requests)).toEqual({ status: 'damaged', sort: 'code', order: 'asc', offset: '0', limit: '50' });
    expect((screen.getByTestId('inventory-status') as HTMLSelectElement).value).toBe('damaged');
    expect(screen.queryByTestId('inventory-kind')).toBeNull();

    // The arrow keys move between the tabs.
    fireEvent.keyDown(screen.getByTestId('inventory-tab-segments'), { key: 'ArrowLeft' });
    await waitFor(() => expect(lists(requests).at(-1)!.url.pathname).toBe('/api/inventory/sites'));
    expect(lastQuery(requests)).toEqual({ kind: 'puskesmas', sort: 'code', order: 'asc', offset: '50', limit: '50' });
    expect(document.activeElement).toBe(screen.getByTestId('inventory-tab-sites'));
  });

  it('goes to the last page that has rows when rows went away while it was on a later one', async () => {
    let total = 108;
    const server = (request: FakeRequest) => listServer(total)(request);
    const { requests } = fakeFetch(server);
    renderScreen();
    await waitFor(() => expect(screen.getAllByTestId('inventory-row')).toHaveLength(50));
    for (const offset of ['50', '100']) {
      await settled();
      fireEvent.click(screen.getByTestId('inventory-next'));
      await waitFor(() => expect(lastQuery(requests).offset).toBe(offset));
    }
    await waitFor(() => expect(screen.getByTestId('inventory-range').textContent).toBe('101–108 dari 108'));
    total = 90;
    fireEvent.click(screen.getByTestId('inventory-tab-nodes'));
    await settled();
    fireEvent.click(screen.getByTestId('inventory-tab-segments'));
    await waitFor(() => expect(screen.getByTestId('inventory-range').textContent).toBe('51–90 dari 90'));
    expect(
      lists(requests)
        .slice(-2)
        .map((request) => request.url.searchParams.get('offset')),
    ).toEqual(['100', '50']);
    expect(screen.queryByTestId('inventory-empty')).toBeNull();
  });

  it('offers the exports of the filter as it is applied to admins and planners', async () => {
    fakeFetch(listServer());
    renderScreen('planner');
    await waitFor(() => expect(screen.getAllByTestId('inventory-row')).toHaveLength(50));
    expect(screen.getByTestId('inventory-export-csv').getAttribute('href')).toBe('/api/exports/segments.csv');
    fireEvent.change(screen.getByTestId('inventory-status'), { target: { value: 'active' } });
    fireEvent.change(screen.getByTestId('inventory-area'), { target: { value: '62.02.05' } });
    fireEvent.input(screen.getByTestId('inventory-search'), { target: { value: 'DS-0' } });
    fireEvent.submit(screen.getByTestId('inventory-search').closest('form')!);
    const hrefs = ['csv', 'geojson', 'kml', 'kmz'].map((format) => screen.getByTestId(`inventory-export-${format}`).getAttribute('href'));
    expect(hrefs).toEqual(['csv', 'geojson', 'kml', 'kmz'].map((format) => `/api/exports/segments.${format}?q=DS-0&status=active&area=62.02.05`));
    // Neither the sort nor the page: an export is every row of the filter.
    expect(hrefs[0]).not.toMatch(/sort|offset|limit/);

    fireEvent.click(screen.getByTestId('inventory-tab-nodes'));
    await waitFor(() => expect(screen.getByTestId('inventory-export-geojson').getAttribute('href')).toBe('/api/exports/nodes.geojson'));
  });

  it.each(['technician', 'mentor', 'viewer'])('offers a %s no export', async (role) => {
    fakeFetch(listServer());
    renderScreen(role);
    await waitFor(() => expect(screen.getAllByTestId('inventory-row')).toHaveLength(50));
    expect(screen.queryByTestId('inventory-exports')).toBeNull();
    expect(document.querySelector('a[href*="/api/exports/"]')).toBeNull();
  });

  it('shows the server’s reason and tries again on request', async () => {
    let fail = true;
    const server = listServer();
    fakeFetch((request) =>
      request.url.pathname.startsWith('/api/inventory/') && fail ? { status: 503, body: errorBody('DATABASE_UNAVAILABLE', 'Basis data tidak dapat dihubungi.') } : server(request),
    );
    renderScreen();
    const error = await screen.findByTestId('inventory-error');
    expect(error.textContent).toContain('Basis data tidak dapat dihubungi.');
    expect(screen.queryByTestId('inventory-empty')).toBeNull();
    // After a language switch the server's words no longer fit: this feature's own.
    setLang('en');
    await waitFor(() => expect(screen.getByTestId('inventory-error').textContent).toContain('The list could not be loaded (code 503).'));

    fail = false;
    fireEvent.click(within(screen.getByTestId('inventory-error')).getByTestId('inventory-retry'));
    await waitFor(() => expect(screen.getAllByTestId('inventory-row')).toHaveLength(50));
    expect(screen.queryByTestId('inventory-error')).toBeNull();
  });

  it('says when nothing matches, and when there is nothing at all', async () => {
    fakeFetch(listServer(0));
    renderScreen();
    expect((await screen.findByTestId('inventory-empty')).textContent).toBe('Belum ada data.');
    fireEvent.input(screen.getByTestId('inventory-search'), { target: { value: 'ZZZ' } });
    fireEvent.submit(screen.getByTestId('inventory-search').closest('form')!);
    await waitFor(() => expect(screen.getByTestId('inventory-empty').textContent).toBe('Tidak ada yang cocok dengan saringan ini.'));
    expect(screen.getByTestId('inventory-range').textContent).toBe('0–0 dari 0');
    expect(screen.queryAllByTestId('inventory-row')).toHaveLength(0);
  });

  it('shows a row on the map and closes, or says it is not on the map and stays', async () => {
    fakeFetch(listServer());
    const onMap = new Set(['seg-1']);
    const focus = jest.fn(async (_subject: string, id: string) => onMap.has(id));
    const { onClose } = renderScreen('viewer', { focus });
    await waitFor(() => expect(screen.getAllByTestId('inventory-row')).toHaveLength(50));
    const [first, second] = screen.getAllByTestId('inventory-row');
    fireEvent.click(within(second).getAllByRole('cell')[3]);
    expect(focus).toHaveBeenLastCalledWith('segment', 'seg-2');
    expect(onClose).not.toHaveBeenCalled();
    expect((await screen.findByTestId('inventory-not-on-map')).textContent).toContain('DS-002 tidak dapat ditampilkan di peta');

    // The code is a button: Enter (a click on it) shows the row.
    const open = within(first).getByTestId('inventory-open');
    expect(open.getAttribute('aria-label')).toBe('Tampilkan DS-001 di peta');
    fireEvent.click(open);
    expect(focus).toHaveBeenLastCalledWith('segment', 'seg-1');
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
  });

  it('goes back to the map on Escape', async () => {
    fakeFetch(listServer());
    const { onClose } = renderScreen();
    await waitFor(() => expect(screen.getAllByTestId('inventory-row')).toHaveLength(50));
    expect(document.activeElement).toBe(screen.getByTestId('inventory-search'));
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
