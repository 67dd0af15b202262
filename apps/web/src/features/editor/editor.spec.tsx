/** @jest-environment jsdom */
/**
 * The attribute form as a planner meets it, through the class main.ts holds, over a fake api: it
 * sends only what changed with the version read, and a 409 shows their version beside mine, to
 * apply mine on top of theirs or to take theirs.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import type { SegmentRecord } from '../../shared/api';
import { errorBody, fakeFetch, type FakeRequest } from '../../shared/fake-fetch.testing';
import { setLang } from '../../shared/i18n';
import { FeatureEditor, type EditorHost } from './editor';

const segment = (over: Partial<SegmentRecord> = {}): SegmentRecord =>
  ({
    id: 's1',
    code: 'BB-004',
    fromNodeId: 'n1',
    toNodeId: 'n2',
    geometry: { type: 'LineString', coordinates: [] },
    lengthM: '1200.5',
    placement: 'aerial',
    tier: 'backbone',
    cableType: 'ADSS 24 core',
    coreCount: 24,
    status: 'in_construction',
    phaseId: 'p1',
    contractor: null,
    slackM: '12.5',
    version: 3,
    ...over,
  }) as SegmentRecord;

type Answer = (request: FakeRequest) => { status?: number; body?: unknown };

/** GET answers the stored record; PATCH is the test's. */
function fakeSegmentApi(stored: () => SegmentRecord, patch: Answer) {
  return fakeFetch((request) => {
    if (request.url.pathname !== '/api/segments/s1') return { status: 500, body: errorBody('INTERNAL', 'unexpected request') };
    if (request.method === 'GET') return { body: stored() };
    if (request.method === 'PATCH') return patch(request);
    return { status: 500, body: errorBody('INTERNAL', 'unexpected request') };
  });
}

let editor: FeatureEditor;
let host: { [K in keyof EditorHost]: jest.Mock };

async function openSegment(): Promise<void> {
  editor = new FeatureEditor(document.body, host as unknown as EditorHost);
  editor.setRole('planner', ['admin', 'planner']);
  editor.open('segment', 's1');
  await screen.findByTestId('editor-form');
}

const field = (key: string) => screen.getByTestId(`edit-${key}`) as HTMLInputElement;
const type = (key: string, value: string) => fireEvent.input(field(key), { target: { value } });
const patches = (requests: FakeRequest[]) => requests.filter((request) => request.method === 'PATCH').map((request) => request.body);

beforeEach(() => {
  setLang('id');
  host = {
    phases: jest.fn(() => [
      { id: 'p1', name: 'Tahap 1 (TA 2018)' },
      { id: 'p2', name: 'Tahap 2 (TA 2019)' },
    ]),
    loadPhases: jest.fn(async () => undefined),
    focus: jest.fn(),
    unfocus: jest.fn(),
    stored: jest.fn(),
    removed: jest.fn(),
    opening: jest.fn(),
  };
});

afterEach(() => {
  editor.close();
  editor.root.remove();
});

describe('saving', () => {
  it('sends only the changed fields with the version read, and bases the form on the answer', async () => {
    let stored = segment();
    const { requests } = fakeSegmentApi(
      () => stored,
      (request) => {
        const { version, ...changes } = request.body as { version: number };
        stored = { ...stored, ...changes, version: version + 1 };
        return { body: stored };
      },
    );
    await openSegment();
    expect(field('code').value).toBe('BB-004');
    expect(field('slackM').value).toBe('12,5');
    expect(screen.getByTestId('editor-version').dataset.version).toBe('3');
    expect(screen.getByTestId('editor-cancel').textContent).toBe('Tutup');

    type('coreCount', '48');
    type('contractor', '  PT Kotim Serat ');
    await waitFor(() => expect(screen.getByTestId('editor-cancel').textContent).toBe('Batal'));
    fireEvent.submit(screen.getByTestId('editor-form'));

    await screen.findByText('Tersimpan — sekarang versi 4.');
    expect(patches(requests)).toEqual([{ coreCount: 48, contractor: 'PT Kotim Serat', version: 3 }]);
    expect(screen.getByTestId('editor-version').dataset.version).toBe('4');
    expect(field('contractor').value).toBe('PT Kotim Serat');
    expect(host.stored).toHaveBeenLastCalledWith('segment', stored);

    // Saving again without a change sends nothing.
    fireEvent.submit(screen.getByTestId('editor-form'));
    await screen.findByText('Tidak ada yang diubah.');
    expect(patches(requests)).toHaveLength(1);
  });

  it('checks the fields as the api reads them before sending, and the problem clears once fixed', async () => {
    const { requests } = fakeSegmentApi(
      () => segment(),
      () => ({ status: 500 }),
    );
    await openSegment();
    type('coreCount', '0');
    fireEvent.blur(field('coreCount'));
    const problem = await screen.findByTestId('edit-problem-coreCount');
    await waitFor(() => expect(problem.textContent).toBe('Harus antara 1 dan 10.000.'));
    expect(problem.hidden).toBe(false);
    expect(field('coreCount').getAttribute('aria-invalid')).toBe('true');

    type('code', 'BB 004!');
    fireEvent.submit(screen.getByTestId('editor-form'));
    await screen.findByText('Periksa isian yang ditandai.');
    expect(screen.getByTestId('edit-problem-code').hidden).toBe(false);
    expect(patches(requests)).toEqual([]);

    type('coreCount', '96');
    await waitFor(() => expect(screen.getByTestId('edit-problem-coreCount').hidden).toBe(true));
    expect(field('coreCount').getAttribute('aria-invalid')).toBeNull();
  });

  it("shows the server's refusal next to its field until the field is changed", async () => {
    fakeSegmentApi(
      () => segment(),
      () => ({ status: 409, body: errorBody('DUPLICATE_CODE', 'Kode BB-001 sudah dipakai.') }),
    );
    await openSegment();
    type('code', 'BB-001');
    fireEvent.submit(screen.getByTestId('editor-form'));
    await waitFor(() => expect(screen.getByTestId('edit-problem-code').textContent).toBe('Kode BB-001 sudah dipakai.'));
    expect(field('code').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('editor-error').textContent).toBe('Periksa isian yang ditandai.');
    await waitFor(() => expect(document.activeElement).toBe(field('code')));

    type('code', 'BB-004');
    await waitFor(() => expect(screen.getByTestId('edit-problem-code').hidden).toBe(true));
  });
});

describe('a version conflict (409)', () => {
  /** Someone else stored version 4 meanwhile: another core count and cable type. */
  const theirs = segment({ version: 4, coreCount: 48, cableType: 'Telkom 48C' });

  it('compares field by field, and "apply mine" sends my changes only, on top of their version', async () => {
    let stored = segment();
    const { requests } = fakeSegmentApi(
      () => stored,
      (request) => {
        const { version, ...changes } = request.body as { version: number };
        if (version !== theirs.version) return { status: 409, body: errorBody('VERSION_CONFLICT', 'Sudah diubah orang lain.', { current: theirs }) };
        stored = { ...theirs, ...changes, version: version + 1 };
        return { body: stored };
      },
    );
    await openSegment();
    type('coreCount', '144');
    type('contractor', 'PT Kotim Serat');
    fireEvent.submit(screen.getByTestId('editor-form'));

    const conflict = await screen.findByTestId('editor-conflict', {}, { timeout: 2000 });
    await waitFor(() => expect(conflict.hidden).toBe(false));
    expect(conflict.textContent).toContain('Anda membaca versi 3; di server sekarang versi 4.');
    const compare = within(screen.getByTestId('editor-compare'));
    const row = (key: string) => screen.getByTestId('editor-compare').querySelector<HTMLElement>(`tr[data-field="${key}"]`)!;
    expect(row('coreCount').dataset.change).toBe('clash');
    expect(row('cableType').dataset.change).toBe('theirs');
    expect(row('contractor').dataset.change).toBe('mine');
    expect(compare.getByTestId('conflict-theirs-coreCount').textContent).toBe('48');
    expect(compare.getByTestId('conflict-mine-coreCount').textContent).toBe('144');
    expect(compare.getByTestId('conflict-mine-cableType').textContent).toBe('tidak saya ubah');
    expect(compare.getByTestId('conflict-theirs-contractor').textContent).toBe('—');
    // Never stored silently; while the conflict is open, its own buttons decide.
    const save = screen.getByTestId('editor-save') as HTMLButtonElement;
    expect(save.disabled && save.hidden).toBe(true);
    expect(field('coreCount').disabled).toBe(true);
    expect(host.stored).toHaveBeenLastCalledWith('segment', theirs);

    fireEvent.click(screen.getByTestId('editor-apply-mine'));
    await screen.findByText('Tersimpan — sekarang versi 5.');
    expect(patches(requests)).toEqual([
      { coreCount: 144, contractor: 'PT Kotim Serat', version: 3 },
      { coreCount: 144, contractor: 'PT Kotim Serat', version: 4 },
    ]);
    expect(screen.getByTestId('editor-conflict').hidden).toBe(true);
    expect(field('cableType').value).toBe('Telkom 48C');
    expect(field('coreCount').value).toBe('144');
    expect(screen.getByTestId('editor-version').dataset.version).toBe('5');
  });

  it('"reload theirs" drops my edits and bases the form on their version', async () => {
    const { requests } = fakeSegmentApi(
      () => segment(),
      () => ({ status: 409, body: errorBody('VERSION_CONFLICT', 'Sudah diubah orang lain.', { current: theirs }) }),
    );
    await openSegment();
    type('coreCount', '144');
    fireEvent.submit(screen.getByTestId('editor-form'));
    fireEvent.click(await screen.findByTestId('editor-reload-theirs'));
    await screen.findByText('Versi terbaru dimuat (versi 4); perubahan Anda dibuang.');
    expect(field('coreCount').value).toBe('48');
    expect(field('cableType').value).toBe('Telkom 48C');
    expect(screen.getByTestId('editor-version').dataset.version).toBe('4');
    expect(screen.getByTestId('editor-cancel').textContent).toBe('Tutup');
    expect(patches(requests)).toHaveLength(1);
  });

  it('says so in English after a switch, and a decommissioning needs a reason first', async () => {
    fakeSegmentApi(
      () => segment(),
      () => ({ status: 500 }),
    );
    await openSegment();
    setLang('en');
    await waitFor(() => expect(screen.getByTestId('editor-save').textContent).toBe('Save changes'));
    fireEvent.click(screen.getByTestId('editor-decommission'));
    fireEvent.click(await screen.findByTestId('editor-decommission-confirm'));
    await waitFor(() => expect(screen.getByTestId('editor-reason-problem').textContent).toBe('Give the reason: decommissioning needs a note.'));
    expect(screen.getByTestId('editor-reason').getAttribute('aria-invalid')).toBe('true');
    fireEvent.input(screen.getByTestId('editor-reason'), { target: { value: 'Route moved' } });
    await waitFor(() => expect(screen.getByTestId('editor-reason-problem').hidden).toBe(true));
  });
});
