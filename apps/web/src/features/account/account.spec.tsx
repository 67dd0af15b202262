/** @jest-environment jsdom */
/**
 * The change-password dialog, as a user with a temporary password meets it right after signing
 * in (the change comes first, the way out is signing out), and the user menu, over a fake api.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import type { User } from '../../shared/api';
import { errorBody, fakeFetch, type FakeRequest } from '../../shared/fake-fetch.testing';
import { setLang } from '../../shared/i18n';
import { PasswordDialog, UserMenu } from './account';

const user: User = {
  id: 'u1',
  username: 'sari.teknisi',
  email: 'sari@example.test',
  displayName: 'Sari Teknisi',
  role: 'technician',
  kecamatanCodes: ['62.02.05', '62.02.06'],
  mustChangePassword: true,
} as User;

beforeAll(() => {
  // jsdom has no modal dialogs: open and close as the attribute, which is all the page reads.
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});
beforeEach(() => setLang('id'));
afterEach(() => {
  document.body.replaceChildren();
});

const type = (field: string, value: string) => fireEvent.input(screen.getByTestId(`password-${field}`), { target: { value } });
const passwordPosts = (requests: FakeRequest[]) => requests.filter((request) => request.url.pathname === '/api/auth/password').map((request) => request.body);

function openRequired() {
  const actions = { changed: jest.fn(), logout: jest.fn(async () => undefined), user: () => user };
  const dialog = new PasswordDialog(document.body, actions);
  dialog.open(true);
  return { dialog, actions };
}

describe('the forced password change', () => {
  it('offers only signing out instead, and checks the new password twice before sending', async () => {
    const { requests } = fakeFetch(() => ({ status: 500 }));
    const { dialog, actions } = openRequired();
    expect(dialog.isOpen).toBe(true);
    await waitFor(() => expect(screen.getByTestId('password-cancel').textContent).toBe('Keluar'));
    expect(screen.getByText('Kata sandi Anda bersifat sementara. Buat kata sandi baru sebelum melanjutkan.')).toBeTruthy();

    type('current', 'Tmp-4821-kapal');
    fireEvent.submit(screen.getByTestId('password-dialog').querySelector('form')!);
    await waitFor(() => expect(screen.getByTestId('password-error').textContent).toBe('Isi ketiga kolom.'));
    type('new', 'Kabel-Serat-Baru-2026');
    type('repeat', 'Kabel-Serat-Baru-2062');
    // Typing answers the error.
    expect(screen.getByTestId('password-error').hidden).toBe(true);
    fireEvent.submit(screen.getByTestId('password-dialog').querySelector('form')!);
    await waitFor(() => expect(screen.getByTestId('password-error').textContent).toBe('Kata sandi baru dan ulangannya tidak sama.'));
    expect(passwordPosts(requests)).toEqual([]);

    fireEvent.click(screen.getByTestId('password-cancel'));
    await waitFor(() => expect(actions.logout).toHaveBeenCalled());
    expect(actions.changed).not.toHaveBeenCalled();
  });

  it("shows why a weak password is refused, in the server's words and its reasons", async () => {
    fakeFetch(() => ({
      status: 400,
      body: errorBody('WEAK_PASSWORD', 'Kata sandi baru terlalu lemah (server).', { problems: ['Minimal 12 karakter.', 'Jangan memakai nama pengguna.'] }),
    }));
    const { dialog, actions } = openRequired();
    type('current', 'Tmp-4821-kapal');
    type('new', 'sari');
    type('repeat', 'sari');
    fireEvent.click(screen.getByTestId('password-save'));
    const error = screen.getByTestId('password-error');
    await waitFor(() => expect(error.querySelector('p')?.textContent).toBe('Kata sandi baru terlalu lemah (server).'));
    expect(
      within(error)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Minimal 12 karakter.', 'Jangan memakai nama pengguna.']);
    expect(dialog.isOpen).toBe(true);

    // After a switch the server's words no longer fit: ours, without its list.
    setLang('en');
    await waitFor(() => expect(error.textContent).toBe('The new password is too weak.'));
    expect(actions.changed).not.toHaveBeenCalled();
  });

  it('sends the change, closes and says so once it is stored', async () => {
    const { requests } = fakeFetch((request) => (request.url.pathname === '/api/auth/password' ? { status: 204 } : { status: 500 }));
    const { dialog, actions } = openRequired();
    type('current', 'Tmp-4821-kapal');
    type('new', 'Kabel-Serat-Baru-2026');
    type('repeat', 'Kabel-Serat-Baru-2026');
    fireEvent.click(screen.getByTestId('password-save'));
    await waitFor(() => expect(actions.changed).toHaveBeenCalledTimes(1));
    expect(dialog.isOpen).toBe(false);
    expect(passwordPosts(requests)).toEqual([{ currentPassword: 'Tmp-4821-kapal', newPassword: 'Kabel-Serat-Baru-2026' }]);
    expect((screen.getByTestId('password-new') as HTMLInputElement).value).toBe('');
  });
});

describe('the user menu', () => {
  it('names the user, counts the kecamatan, and moves through its items with the keyboard', async () => {
    const actions = { changePassword: jest.fn(), logout: jest.fn(async () => undefined), openAdmin: jest.fn(), openInventory: jest.fn(), openProgress: jest.fn() };
    const menu = new UserMenu(actions);
    document.body.append(menu.element);
    menu.setUser(user);
    const button = await screen.findByTestId('user-menu');
    expect(button.getAttribute('aria-label')).toBe('Menu pengguna: Sari Teknisi, Teknisi');
    expect(button.textContent).toContain('ST');
    fireEvent.click(button);
    await waitFor(() => expect(button.getAttribute('aria-expanded')).toBe('true'));
    expect(screen.getByText('2 kecamatan')).toBeTruthy();
    // Not an admin: no way into the admin screens.
    expect(screen.queryByTestId('open-admin')).toBeNull();
    // The rollout's progress and the network list are for every role, and first.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('open-progress')));
    expect(screen.getByTestId('open-progress').textContent).toBe('Kemajuan pembangunan');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByTestId('open-inventory'));
    expect(screen.getByTestId('open-inventory').textContent).toBe('Daftar jaringan');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByTestId('change-password'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByTestId('logout'));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(document.activeElement).toBe(button));
    expect(button.getAttribute('aria-expanded')).toBe('false');

    fireEvent.click(button);
    fireEvent.click(await screen.findByTestId('change-password'));
    expect(actions.changePassword).toHaveBeenCalledTimes(1);
    fireEvent.click(button);
    fireEvent.click(await screen.findByTestId('open-inventory'));
    expect(actions.openInventory).toHaveBeenCalledTimes(1);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(button);
    fireEvent.click(await screen.findByTestId('open-progress'));
    expect(actions.openProgress).toHaveBeenCalledTimes(1);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    menu.setUser(null);
    await waitFor(() => expect(menu.element.hidden).toBe(true));
  });
});
