/** @jest-environment ./apps/web/jest-environment.cjs */
/**
 * The field panel as the technician meets it: the status form's choices for a segment's status,
 * the evidence hint, and a change the server refuses, shown in the server's own words.
 */
import 'fake-indexeddb/auto';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { errorBody } from '../../shared/fake-fetch.testing';
import { setLang } from '../../shared/i18n';
import { FieldPanelView } from './field-panel';
import type { Outbox } from './outbox';
import { fakeHost, fakeSegmentApi, fieldStore, inDom, segment, settle, technicianOutbox, type StatusAnswer } from './field-kit.testing';

const SEGMENTS = [segment('s1', 'BB-003', 'in_construction'), segment('s3', 'BB-030', 'active', 7)];

async function openPanel(id: string, onStatus?: StatusAnswer) {
  const { requests } = fakeSegmentApi(SEGMENTS, onStatus);
  const outbox = await technicianOutbox();
  const store = fieldStore(fakeHost(SEGMENTS), outbox);
  render(<FieldPanelView store={store} onClose={() => store.close()} />);
  store.openTarget({ subject: 'segment', id });
  await screen.findByTestId('field-history-entry');
  return { store, outbox, requests };
}

/** The form's change is stored (saving is asynchronous) and the outbox has tried to send it. */
async function sent(outbox: Outbox): Promise<void> {
  await waitFor(() => expect(outbox.items()).toHaveLength(1));
  await settle(outbox);
}

const optionValues = () => [...(screen.getByTestId('field-status-other') as HTMLSelectElement).options].map((option) => option.value);

beforeEach(() => inDom());

describe('the status form', () => {
  it('offers the next stage as its own button and never damage among the stages', async () => {
    await openPanel('s1');
    const next = screen.getByTestId('field-status-next');
    expect(next.dataset.status).toBe('installed');
    expect(next.textContent).toBe('Dalam konstruksi→Terpasang');
    expect(optionValues()).toEqual(['', 'planned', 'surveyed', 'spliced', 'tested', 'active', 'decommissioned']);
    // Only an active segment can be reported damaged, and then through its own action.
    expect(screen.queryByTestId('field-report-damage')).toBeNull();
    expect(screen.getByRole('option', { name: 'Diuji (wajib catatan)' })).toBeTruthy();

    fireEvent.click(next);
    expect(next.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('field-save').textContent).toBe('Simpan: Terpasang');
  });

  it('reports damage of an active segment through its own action, never among the other statuses', async () => {
    await openPanel('s3');
    expect(screen.queryByTestId('field-status-next')).toBeNull();
    expect(optionValues()).not.toContain('damaged');
    const report = screen.getByTestId('field-report-damage');
    fireEvent.click(report);
    expect(report.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('field-save').textContent).toBe('Simpan: Rusak');
    expect((screen.getByTestId('field-note') as HTMLTextAreaElement).placeholder).toMatch(/Apa yang rusak/);
  });

  it('names the evidence a stage asks for, and says it once more before saving without it', async () => {
    await openPanel('s1');
    expect(screen.queryByText(/memerlukan bukti/)).toBeNull();
    fireEvent.click(screen.getByTestId('field-status-next'));
    expect(screen.getByText('Status Terpasang memerlukan bukti: foto atau posisi GPS.')).toBeTruthy();

    fireEvent.click(screen.getByTestId('field-save'));
    await waitFor(() => expect(screen.getByTestId('field-form-message').textContent).toMatch(/^Belum ada bukti \(foto atau posisi GPS\)/));
    expect(screen.getByTestId('field-form-message').getAttribute('role')).toBe('alert');
    expect(screen.getByTestId('field-save').textContent).toBe('Tetap simpan tanpa bukti');

    setLang('en');
    await waitFor(() => expect(screen.getByText('Status Installed needs evidence: a photo or a GPS position.')).toBeTruthy());
    expect(screen.getByTestId('field-save').textContent).toBe('Save without evidence');
  });

  it('shows a change the server refused with its own words, and opens it again to be fixed', async () => {
    const { outbox, requests } = await openPanel('s1', () => ({
      status: 422,
      body: errorBody('EVIDENCE_REQUIRED', 'Status Terpasang memerlukan foto dari lokasi.'),
    }));
    fireEvent.click(screen.getByTestId('field-status-next'));
    fireEvent.click(screen.getByTestId('field-gps'));
    await screen.findByTestId('field-gps-attached');
    fireEvent.input(screen.getByTestId('field-note'), { target: { value: 'Kabel terpasang sampai tiang T-07' } });
    fireEvent.click(screen.getByTestId('field-save'));
    await sent(outbox);

    const post = requests.find((request) => request.method === 'POST');
    expect(post?.body).toMatchObject({ status: 'installed', version: 3, note: 'Kabel terpasang sampai tiang T-07', evidence: { gps: { lon: 112.955, lat: -2.53, accuracyM: 8 } } });
    const refused = await screen.findByTestId('outbox-item');
    await waitFor(() => expect(refused.dataset.state).toBe('rejected'));
    expect(within(refused).getByTestId('outbox-item-status').textContent).toBe('Ditolak serverStatus Terpasang memerlukan foto dari lokasi.');
    // "Saved, will be sent" is no longer true, and the form waits for the refused change first.
    expect(screen.queryByText(/Tersimpan di perangkat/)).toBeNull();
    expect(screen.getByTestId('field-form').textContent).toMatch(/Ada perubahan tertunda/);
    // In the other language the server's words no longer fit: the panel's own text for the code.
    setLang('en');
    await waitFor(() => expect(within(refused).getByTestId('outbox-item-status').textContent).toBe('Refused by the serverThe evidence asked for is missing.'));
    setLang('id');

    fireEvent.click(within(refused).getByTestId('outbox-edit'));
    await waitFor(() => expect(screen.getByTestId('field-form').textContent).toMatch(/^Perbaiki perubahan yang tertunda/));
    expect((screen.getByTestId('field-note') as HTMLTextAreaElement).value).toBe('Kabel terpasang sampai tiang T-07');
    expect(screen.getByTestId('field-status-next').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('field-gps-attached')).toBeTruthy();
  });

  it('discards a waiting change only on a second tap', async () => {
    const { outbox } = await openPanel('s1', () => ({ status: 503, body: errorBody('UNAVAILABLE', 'Server sedang dalam pemeliharaan.') }));
    fireEvent.click(screen.getByTestId('field-status-next'));
    fireEvent.click(screen.getByTestId('field-gps'));
    await screen.findByTestId('field-gps-attached');
    fireEvent.click(screen.getByTestId('field-save'));
    await sent(outbox);
    const discard = await screen.findByTestId('outbox-discard');
    await waitFor(() =>
      expect(screen.getByTestId('outbox-item-status').textContent).toBe('Server belum dapat menerima; akan dicoba lagi otomatis.Server sedang dalam pemeliharaan.'),
    );

    fireEvent.click(discard);
    await waitFor(() => expect(discard.textContent).toBe('Ketuk lagi untuk membuang'));
    expect(outbox.items()).toHaveLength(1);
    fireEvent.click(discard);
    await waitFor(() => expect(screen.queryByTestId('outbox-item')).toBeNull());
    expect(outbox.items()).toHaveLength(0);
  });
});
