/** @jest-environment jsdom */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { errorBody, fakeFetch, type FakeRequest } from '../../shared/fake-fetch.testing';
import { setLang } from '../../shared/i18n';
import type { AdminUser } from './admin-api';
import { createUsersStore } from './admin-store';
import { adminUser } from './test-users.testing';
import { userChanges } from './user-forms';
import { UsersPage } from './users-page';

const KECAMATAN = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: null, properties: { code: '62.02.05', name: 'Mentawa Baru Ketapang', level: 'kecamatan', parentCode: '62.02' } },
    { type: 'Feature', geometry: null, properties: { code: '62.02.06', name: 'Baamang', level: 'kecamatan', parentCode: '62.02' } },
  ],
  next: null,
};

/** The users endpoints over a list held here, paged by username like the server. */
function fakeUsersApi(all: AdminUser[], answers: Partial<Record<'POST' | 'PATCH', (request: FakeRequest) => { status?: number; body?: unknown }>> = {}) {
  return fakeFetch((request) => {
    if (request.url.pathname === '/api/areas') return { body: KECAMATAN };
    if (request.method === 'GET' && request.url.pathname === '/api/users') {
      const limit = Number(request.url.searchParams.get('limit'));
      const after = request.url.searchParams.get('after');
      const q = request.url.searchParams.get('q')?.toLowerCase();
      const rows = all.filter((user) => (!after || user.username > after) && (!q || user.username.includes(q) || user.displayName.toLowerCase().includes(q)));
      const page = rows.slice(0, limit);
      return { body: { users: page, next: rows.length > limit ? page[page.length - 1].username : null } };
    }
    const method = request.method as 'POST' | 'PATCH';
    if (answers[method]) return answers[method](request);
    return { status: 500, body: errorBody('INTERNAL', 'unexpected request') };
  });
}

const listed = () => screen.queryAllByTestId(/^user-row-/).map((row) => row.dataset.testid!.replace('user-row-', ''));

function renderPage(pageSize = 20) {
  const store = createUsersStore(pageSize);
  render(<UsersPage store={store} />);
  void store.first();
  void store.loadKecamatan();
  return store;
}

beforeEach(() => setLang('id'));

describe('the users list', () => {
  it('pages on the server by username, forwards and back', async () => {
    const { requests } = fakeUsersApi(['ani', 'budi', 'citra', 'dewi', 'eko'].map((name) => adminUser(name)));
    renderPage(2);
    await waitFor(() => expect(listed()).toEqual(['ani', 'budi']));
    expect(screen.getByText('Halaman 1')).toBeTruthy();
    expect((screen.getByTestId('users-pager-previous') as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByTestId('users-pager-next'));
    await waitFor(() => expect(listed()).toEqual(['citra', 'dewi']));
    fireEvent.click(screen.getByTestId('users-pager-next'));
    await waitFor(() => expect(listed()).toEqual(['eko']));
    expect((screen.getByTestId('users-pager-next') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('users-pager-previous'));
    await waitFor(() => expect(listed()).toEqual(['citra', 'dewi']));
    expect(screen.getByText('Halaman 2')).toBeTruthy();

    const pages = requests.filter((request) => request.url.pathname === '/api/users').map((request) => request.url.search);
    expect(pages).toEqual(['?limit=2', '?limit=2&after=budi', '?limit=2&after=dewi', '?limit=2&after=budi']);
  });

  it('searches on the server and says when nothing matches', async () => {
    const { requests } = fakeUsersApi(['ani', 'budi', 'citra'].map((name) => adminUser(name)));
    renderPage();
    await waitFor(() => expect(listed()).toHaveLength(3));
    fireEvent.input(screen.getByTestId('users-search'), { target: { value: 'bud' } });
    fireEvent.submit(screen.getByRole('search'));
    await waitFor(() => expect(listed()).toEqual(['budi']));
    expect(requests.at(-1)!.url.searchParams.get('q')).toBe('bud');

    fireEvent.input(screen.getByTestId('users-search'), { target: { value: 'zzz' } });
    fireEvent.submit(screen.getByRole('search'));
    await screen.findByText('Tidak ada pengguna yang cocok dengan “zzz”.');
  });

  it('shows names as text, kecamatan by name, and renders again in English on the switch', async () => {
    fakeUsersApi([adminUser('teknisi', { role: 'technician', kecamatanCodes: ['62.02.06'], displayName: '<b>Teknisi</b>' }), adminUser('zed', { active: false })]);
    renderPage();
    const row = await screen.findByTestId('user-row-teknisi');
    await within(row).findByText('Baamang');
    expect(within(row).getByText('<b>Teknisi</b>')).toBeTruthy();
    expect(row.querySelector('b')).toBeNull();
    expect(within(row).getByTestId('user-role').textContent).toBe('Teknisi');
    expect(within(screen.getByTestId('user-row-zed')).getByTestId('user-state').textContent).toBe('Nonaktif');

    setLang('en');
    await waitFor(() => expect(within(screen.getByTestId('user-row-teknisi')).getByTestId('user-role').textContent).toBe('Technician'));
    expect(within(screen.getByTestId('user-row-zed')).getByTestId('user-state').textContent).toBe('Deactivated');
    expect(screen.getByTestId('user-new').textContent).toBe('New user');
  });

  it('shows the server’s message when the list cannot be read', async () => {
    fakeFetch(() => ({ status: 403, body: errorBody('FORBIDDEN', 'Peran Anda tidak mengizinkan ini.') }));
    renderPage();
    expect((await screen.findByTestId('users-error')).textContent).toContain('Peran Anda tidak mengizinkan ini.');
  });
});

describe('creating a user', () => {
  const fill = (field: string, value: string) => fireEvent.input(screen.getByTestId(`user-new-${field}`), { target: { value } });

  it('checks the fields as the API does before sending anything', async () => {
    const { requests } = fakeUsersApi([]);
    renderPage();
    fireEvent.click(screen.getByTestId('user-new'));
    fill('username', 'x y');
    fill('email', 'not-an-email');
    fireEvent.submit(screen.getByTestId('user-new-form'));
    await screen.findByText('Wajib diisi.');
    expect(screen.getByText('Nama pengguna harus 3–40 huruf, angka, titik, tanda hubung atau garis bawah.')).toBeTruthy();
    expect(screen.getByText('Masukkan alamat email yang valid.')).toBeTruthy();
    expect(screen.getByTestId('user-new-username').getAttribute('aria-invalid')).toBe('true');

    fireEvent.click(screen.getByTestId('user-new-scope-some'));
    fill('displayName', 'Siti');
    fill('username', 'siti');
    fill('email', 'siti@example.test');
    fireEvent.submit(screen.getByTestId('user-new-form'));
    await screen.findByText('Pilih setidaknya satu kecamatan, atau semua kecamatan.');
    expect(requests.filter((request) => request.method === 'POST')).toEqual([]);
  });

  it('sends what the API expects, shows the temporary password once and opens the new user', async () => {
    const created = adminUser('siti', { displayName: 'Siti Aminah', role: 'technician', kecamatanCodes: ['62.02.05'], mustChangePassword: true });
    const { requests } = fakeUsersApi([], { POST: () => ({ status: 201, body: { user: created, temporaryPassword: 'Tmp-4821-kapal' } }) });
    renderPage();
    await screen.findByText('Belum ada pengguna.');
    fireEvent.click(screen.getByTestId('user-new'));
    fill('displayName', '  Siti Aminah ');
    fill('username', 'siti');
    fill('email', 'siti@example.test');
    fireEvent.click(screen.getByTestId('user-new-scope-some'));
    fireEvent.click(await screen.findByTestId('user-new-kecamatan-62.02.05'));
    fireEvent.submit(screen.getByTestId('user-new-form'));

    expect((await screen.findByTestId('temporary-password-value')).textContent).toBe('Tmp-4821-kapal');
    const post = requests.find((request) => request.method === 'POST')!;
    expect(post.url.pathname).toBe('/api/users');
    expect(post.headers['Accept-Language']).toBe('id');
    expect(post.body).toEqual({ displayName: 'Siti Aminah', username: 'siti', email: 'siti@example.test', role: 'technician', kecamatanCodes: ['62.02.05'] });
    expect(screen.getByTestId('user-editor').textContent).toContain('siti@example.test');
    expect(screen.queryByTestId('user-new-form')).toBeNull();

    fireEvent.click(screen.getByTestId('temporary-password-done'));
    await waitFor(() => expect(screen.queryByTestId('temporary-password')).toBeNull());
  });

  it('sends no kecamatan for a role that has none', async () => {
    const { requests } = fakeUsersApi([], { POST: () => ({ status: 201, body: { user: adminUser('rina', { role: 'planner' }), temporaryPassword: 'x' } }) });
    renderPage();
    fireEvent.click(screen.getByTestId('user-new'));
    // Kecamatan ticked for a technician, then the role changed: they are not sent.
    fireEvent.click(screen.getByTestId('user-new-scope-some'));
    fireEvent.click(await screen.findByTestId('user-new-kecamatan-62.02.05'));
    fireEvent.change(screen.getByTestId('user-new-role'), { target: { value: 'planner' } });
    await waitFor(() => expect(screen.queryByTestId('user-new-kecamatan')).toBeNull());
    fill('displayName', 'Rina');
    fill('username', 'rina');
    fill('email', 'rina@example.test');
    fireEvent.submit(screen.getByTestId('user-new-form'));
    await screen.findByTestId('temporary-password');
    expect(requests.find((request) => request.method === 'POST')!.body).toEqual({
      displayName: 'Rina',
      username: 'rina',
      email: 'rina@example.test',
      role: 'planner',
      kecamatanCodes: null,
    });
  });

  it('shows the server’s refusal in its words, and this feature’s after a language switch', async () => {
    fakeUsersApi([], { POST: () => ({ status: 409, body: errorBody('DUPLICATE_USER', 'Email atau nama pengguna itu sudah dipakai (server).') }) });
    renderPage();
    fireEvent.click(screen.getByTestId('user-new'));
    fill('displayName', 'Ani');
    fill('username', 'ani');
    fill('email', 'ani@example.test');
    fireEvent.submit(screen.getByTestId('user-new-form'));
    expect((await screen.findByTestId('user-new-error')).textContent).toBe('Email atau nama pengguna itu sudah dipakai (server).');
    setLang('en');
    await waitFor(() => expect(screen.getByTestId('user-new-error').textContent).toBe('That email or username is already taken.'));
  });

  it('lists the field problems of a VALIDATION_FAILED', async () => {
    fakeUsersApi([], {
      POST: () => ({
        status: 400,
        body: errorBody('VALIDATION_FAILED', 'Permintaan tidak valid. Periksa isian yang disebut di bawah.', [{ field: 'email', problem: 'Invalid email address' }]),
      }),
    });
    renderPage();
    fireEvent.click(screen.getByTestId('user-new'));
    fill('displayName', 'Ani');
    fill('username', 'ani');
    fill('email', 'ani@example.test');
    fireEvent.submit(screen.getByTestId('user-new-form'));
    const error = await screen.findByTestId('user-new-error');
    expect(within(error).getByText('email: Invalid email address')).toBeTruthy();
  });
});

describe('changing a user', () => {
  const open = async (user: AdminUser) => {
    fireEvent.click(await screen.findByTestId(`user-open-${user.username}`));
    return screen.findByTestId('user-editor');
  };

  it('sends only what changed: the role, then the kecamatan', async () => {
    let stored = adminUser('budi', { role: 'viewer' });
    const { requests } = fakeUsersApi([stored], {
      PATCH: (request) => {
        stored = { ...stored, ...(request.body as Partial<AdminUser>), version: stored.version + 1 };
        return { body: { user: stored, temporaryPassword: null } };
      },
    });
    renderPage();
    await open(stored);
    expect((screen.getByTestId('user-edit-save') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('user-edit-role'), { target: { value: 'technician' } });
    fireEvent.click(screen.getByTestId('user-edit-save'));
    await screen.findByTestId('user-edit-saved');
    await waitFor(() => expect(within(screen.getByTestId('user-row-budi')).getByTestId('user-role').textContent).toBe('Teknisi'));

    fireEvent.click(screen.getByTestId('user-edit-scope-some'));
    fireEvent.click(await screen.findByTestId('user-edit-kecamatan-62.02.06'));
    fireEvent.click(screen.getByTestId('user-edit-save'));
    await waitFor(() => expect(requests.filter((request) => request.method === 'PATCH')).toHaveLength(2));
    const patches = requests.filter((request) => request.method === 'PATCH');
    expect(patches.map((request) => request.url.pathname)).toEqual([`/api/users/${stored.id}`, `/api/users/${stored.id}`]);
    expect(patches.map((request) => request.body)).toEqual([{ role: 'technician' }, { kecamatanCodes: ['62.02.06'] }]);
  });

  it('clears the kecamatan of a technician who gets a role that works everywhere', () => {
    // The server limits anyone with kecamatan (OUT_OF_AREA), whatever the role.
    const technician = { displayName: 'Budi', role: 'technician' as const, kecamatanCodes: ['62.02.05'] };
    expect(userChanges(technician, { ...technician, role: 'planner' })).toEqual({ role: 'planner', kecamatanCodes: null });
    expect(userChanges(technician, { ...technician, kecamatanCodes: ['62.02.05'] })).toEqual({});
    expect(userChanges(technician, { ...technician, displayName: ' Budi S ', kecamatanCodes: ['62.02.06', '62.02.05'] })).toEqual({
      displayName: 'Budi S',
      kecamatanCodes: ['62.02.05', '62.02.06'],
    });
  });

  it('deactivates, reactivates and resets the password, showing the new one once', async () => {
    let stored = adminUser('budi');
    const { requests } = fakeUsersApi([stored], {
      PATCH: (request) => {
        const body = request.body as { active?: boolean; resetPassword?: true };
        stored = { ...stored, ...(body.active === undefined ? {} : { active: body.active }), ...(body.resetPassword ? { mustChangePassword: true } : {}) };
        return { body: { user: stored, temporaryPassword: body.resetPassword ? 'Baru-9911-sungai' : null } };
      },
    });
    renderPage();
    await open(stored);
    fireEvent.click(screen.getByTestId('user-deactivate'));
    fireEvent.click(await screen.findByTestId('user-deactivate-confirm-confirm'));
    await screen.findByTestId('user-reactivate');
    expect(screen.getByTestId('user-edit-state').textContent).toBe('Nonaktif');
    expect(within(screen.getByTestId('user-row-budi')).getByTestId('user-state').textContent).toBe('Nonaktif');
    fireEvent.click(screen.getByTestId('user-reactivate'));
    await screen.findByTestId('user-deactivate');
    fireEvent.click(screen.getByTestId('user-reset-password'));
    fireEvent.click(await screen.findByTestId('user-reset-confirm-confirm'));
    expect((await screen.findByTestId('temporary-password-value')).textContent).toBe('Baru-9911-sungai');
    expect(screen.getByTestId('user-edit-state').textContent).toBe('Aktif · harus mengganti kata sandi');
    expect(requests.filter((request) => request.method === 'PATCH').map((request) => request.body)).toEqual([{ active: false }, { active: true }, { resetPassword: true }]);

    // Closing the editor forgets the password: it was shown once.
    fireEvent.click(screen.getByTestId('user-edit-close'));
    await waitFor(() => expect(screen.queryByTestId('temporary-password')).toBeNull());
  });

  it('shows why the last admin cannot be deactivated', async () => {
    const only = adminUser('admin', { role: 'admin' });
    fakeUsersApi([only], { PATCH: () => ({ status: 409, body: errorBody('LAST_ADMIN', 'Admin aktif terakhir tidak dapat diturunkan atau dinonaktifkan.') }) });
    renderPage();
    await open(only);
    fireEvent.click(screen.getByTestId('user-deactivate'));
    fireEvent.click(await screen.findByTestId('user-deactivate-confirm-confirm'));
    expect((await screen.findByTestId('user-edit-error')).textContent).toBe('Admin aktif terakhir tidak dapat diturunkan atau dinonaktifkan.');
    expect(screen.getByTestId('user-deactivate')).toBeTruthy();
  });

  it('asks before deactivating: the focus goes to cancel, Escape or cancel sends nothing and gives the focus back', async () => {
    const stored = adminUser('budi', { displayName: 'Budi Santoso' });
    const { requests } = fakeUsersApi([stored], { PATCH: () => ({ body: { user: { ...stored, active: false }, temporaryPassword: null } }) });
    // The admin screen closes on an Escape that reaches the document: this one must not.
    const closesScreen = jest.fn();
    document.addEventListener('keydown', closesScreen);
    try {
      renderPage();
      await open(stored);
      const deactivate = screen.getByTestId('user-deactivate');
      deactivate.focus();
      fireEvent.click(deactivate);
      const dialog = await screen.findByRole('alertdialog');
      expect(within(dialog).getByRole('heading').textContent).toBe('Nonaktifkan Budi Santoso?');
      expect(dialog.getAttribute('aria-describedby')).toBe(within(dialog).getByText(/budi tidak dapat masuk lagi/).id);
      await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('user-deactivate-confirm-cancel')));

      // Tab stays inside the question: past its last button to its first, and back.
      fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
      expect(document.activeElement).toBe(screen.getByTestId('user-deactivate-confirm-confirm'));
      fireEvent.keyDown(document.activeElement!, { key: 'Tab' });
      expect(document.activeElement).toBe(screen.getByTestId('user-deactivate-confirm-cancel'));

      fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
      await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
      expect(closesScreen.mock.calls.filter(([event]) => (event as KeyboardEvent).key === 'Escape')).toEqual([]);
      expect(document.activeElement).toBe(screen.getByTestId('user-deactivate'));

      fireEvent.click(screen.getByTestId('user-deactivate'));
      fireEvent.click(await screen.findByTestId('user-deactivate-confirm-cancel'));
      await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
      expect(requests.filter((request) => request.method === 'PATCH')).toEqual([]);
      expect(screen.getByTestId('user-edit-state').textContent).toBe('Aktif');
    } finally {
      document.removeEventListener('keydown', closesScreen);
    }
  });

  it('asks before resetting a password, in English after a switch; reactivating asks nothing', async () => {
    let stored = adminUser('budi', { displayName: 'Budi Santoso', active: false });
    const { requests } = fakeUsersApi([stored], {
      PATCH: (request) => {
        stored = { ...stored, ...(request.body as Partial<AdminUser>) };
        return { body: { user: stored, temporaryPassword: null } };
      },
    });
    renderPage();
    await open(stored);
    fireEvent.click(screen.getByTestId('user-reactivate'));
    await screen.findByTestId('user-deactivate');
    expect(screen.queryByRole('alertdialog')).toBeNull();

    setLang('en');
    fireEvent.click(screen.getByTestId('user-reset-password'));
    const dialog = await screen.findByTestId('user-reset-confirm');
    expect(within(dialog).getByRole('heading').textContent).toBe('Reset the password of Budi Santoso?');
    expect(within(dialog).getByTestId('user-reset-confirm-confirm').textContent).toBe('Yes, reset');
    fireEvent.click(within(dialog).getByTestId('user-reset-confirm-cancel'));
    await waitFor(() => expect(screen.queryByTestId('user-reset-confirm')).toBeNull());
    expect(requests.filter((request) => request.method === 'PATCH').map((request) => request.body)).toEqual([{ active: true }]);
  });
});
