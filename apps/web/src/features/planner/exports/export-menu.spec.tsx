/** @jest-environment jsdom */
import { signal } from '@preact/signals';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { errorBody, fakeFetch } from '../../../shared/fake-fetch.testing';
import { setLang } from '../../../shared/i18n';
import { ExportMenu, exportUrl } from './export-menu';

const KECAMATAN = [
  { code: '62.02.06', name: 'Baamang' },
  { code: '62.02.05', name: 'Mentawa Baru Ketapang' },
];

/** The files the page saved, by name: jsdom has no downloads, so the link's click is where it ends. */
function savedFiles(): string[] {
  const saved: string[] = [];
  URL.createObjectURL = () => 'blob:serat-test';
  URL.revokeObjectURL = () => undefined;
  jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push(this.download);
  });
  return saved;
}

beforeEach(() => setLang('id'));
afterEach(() => jest.restoreAllMocks());

describe('the export menu', () => {
  it('builds the address from the filter: nothing chosen filters nothing', () => {
    expect(exportUrl('segments.geojson', { area: '', status: '' })).toBe('/api/exports/segments.geojson');
    expect(exportUrl('ofds.zip', { area: '62.02.05', status: 'active,planned' })).toBe('/api/exports/ofds.zip?area=62.02.05&status=active%2Cplanned');
  });

  it('downloads the file of the kecamatan and statuses chosen, through the session, under its own name', async () => {
    const { requests } = fakeFetch(() => ({ body: { type: 'FeatureCollection', features: [] } }));
    const saved = savedFiles();
    render(<ExportMenu kecamatans={signal(KECAMATAN)} />);
    const area = screen.getByTestId('export-area') as HTMLSelectElement;
    expect([...area.options].map((option) => option.text)).toEqual(['Semua kecamatan', 'Baamang', 'Mentawa Baru Ketapang']);
    fireEvent.change(area, { target: { value: '62.02.05' } });
    fireEvent.change(screen.getByTestId('export-status'), { target: { value: 'active,planned' } });
    fireEvent.click(screen.getByTestId('export-segments.kmz'));

    await waitFor(() => expect(saved).toEqual(['serat-segments.kmz']));
    expect(requests).toHaveLength(1);
    expect(requests[0].url.pathname + requests[0].url.search).toBe('/api/exports/segments.kmz?area=62.02.05&status=active%2Cplanned');
    expect(requests[0].headers.Accept).toBe('*/*');
    expect(screen.getByTestId('export-message').hidden).toBe(true);

    fireEvent.change(area, { target: { value: '' } });
    fireEvent.change(screen.getByTestId('export-status'), { target: { value: '' } });
    await waitFor(() => expect((screen.getByTestId('export-nodes.csv') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('export-nodes.csv'));
    await waitFor(() => expect(saved).toEqual(['serat-segments.kmz', 'serat-nodes.csv']));
    expect(requests[1].url.pathname + requests[1].url.search).toBe('/api/exports/nodes.csv');
  });

  it("says why an export failed, in the server's words", async () => {
    fakeFetch(() => ({ status: 403, body: errorBody('FORBIDDEN', 'Peran Anda tidak mengizinkan ini.') }));
    const saved = savedFiles();
    render(<ExportMenu kecamatans={signal(KECAMATAN)} />);
    fireEvent.click(screen.getByTestId('export-ofds.zip'));
    await waitFor(() => expect(screen.getByTestId('export-message').hidden).toBe(false));
    expect(screen.getByTestId('export-message').textContent).toBe('Ekspor gagal. Peran Anda tidak mengizinkan ini.');
    expect(saved).toEqual([]);
    // The buttons are free again for another try.
    expect((screen.getByTestId('export-ofds.zip') as HTMLButtonElement).disabled).toBe(false);
  });
});
