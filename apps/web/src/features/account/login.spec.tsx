/** @jest-environment jsdom */
/**
 * The sign-in screen through the class main.ts holds, over a fake api: what the reader sees when
 * a sign-in is refused (the server's words, ours after a language switch), the wait after too
 * many attempts, and the demo accounts.
 */
import { act, fireEvent, screen, waitFor } from '@testing-library/preact';
import type { User } from '../../shared/api';
import { errorBody, fakeFetch, type FakeRequest } from '../../shared/fake-fetch.testing';
import { setLang } from '../../shared/i18n';
import { LoginScreen } from './login';

const planner: User = { id: 'u1', username: 'budi', email: 'budi@example.test', displayName: 'Budi', role: 'planner', kecamatanCodes: null, mustChangePassword: false } as User;

type Answer = (request: FakeRequest) => { status?: number; body?: unknown };

function fakeAuthApi(login: Answer, demo: Answer = () => ({ status: 404, body: errorBody('NOT_FOUND', 'Tidak ditemukan.') })) {
  return fakeFetch((request) => {
    if (request.url.pathname === '/api/auth/login') return login(request);
    if (request.url.pathname === '/api/auth/demo-accounts') return demo(request);
    return { status: 500, body: errorBody('INTERNAL', 'unexpected request') };
  });
}

let screenUnderTest: LoginScreen;
let signedIn: jest.Mock;

function show(): void {
  signedIn = jest.fn();
  screenUnderTest = new LoginScreen(document.body, signedIn);
  screenUnderTest.show({ reason: null });
}

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const type = (testId: string, value: string) => fireEvent.input(input(testId), { target: { value } });
const logins = (requests: FakeRequest[]) => requests.filter((request) => request.url.pathname === '/api/auth/login');

beforeAll(() => {
  // jsdom has no matchMedia: a touch screen, where nothing is focused uninvited.
  window.matchMedia = ((query: string) => ({ matches: false, media: query })) as unknown as typeof window.matchMedia;
});
beforeEach(() => setLang('id'));
afterEach(() => {
  screenUnderTest.hide();
  screenUnderTest.root.remove();
  jest.useRealTimers();
});

describe('signing in', () => {
  it('asks for both fields before sending anything', async () => {
    const { requests } = fakeAuthApi(() => ({ status: 500 }));
    show();
    type('login-identifier', 'budi');
    fireEvent.submit(screen.getByTestId('login-form'));
    await waitFor(() => expect(screen.getByTestId('login-error').textContent).toBe('Isi email atau nama pengguna dan kata sandi.'));
    // The empty one is marked, the filled one is not.
    expect(input('login-password').getAttribute('aria-invalid')).toBe('true');
    expect(input('login-identifier').getAttribute('aria-invalid')).toBe('false');
    expect(logins(requests)).toEqual([]);
  });

  it("refuses a wrong password in the server's words, in ours after a switch, until typing again", async () => {
    const { requests } = fakeAuthApi(() => ({ status: 401, body: errorBody('INVALID_CREDENTIALS', 'Email/nama pengguna atau kata sandi salah (server).') }));
    show();
    type('login-identifier', ' budi ');
    type('login-password', 'bukan-ini');
    fireEvent.submit(screen.getByTestId('login-form'));
    const error = screen.getByTestId('login-error');
    await waitFor(() => expect(error.textContent).toBe('Email/nama pengguna atau kata sandi salah (server).'));
    expect(error.hidden).toBe(false);
    expect(input('login-password').getAttribute('aria-invalid')).toBe('true');
    expect(input('login-password').getAttribute('aria-describedby')).toBe('serat-login-error');
    expect(logins(requests).map((request) => request.body)).toEqual([{ login: 'budi', password: 'bukan-ini' }]);
    expect(signedIn).not.toHaveBeenCalled();

    setLang('en');
    await waitFor(() => expect(error.textContent).toBe('Wrong email/username or password.'));
    type('login-password', 'lagi');
    await waitFor(() => expect(error.hidden).toBe(true));
    expect(input('login-password').getAttribute('aria-invalid')).toBeNull();
  });

  it('waits out too many attempts, counting the seconds down on the button', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    fakeAuthApi(() => ({ status: 429, body: errorBody('TOO_MANY_ATTEMPTS', 'Terlalu banyak percobaan (server).', { retryAfterS: 2 }) }));
    show();
    type('login-identifier', 'budi');
    type('login-password', 'salah');
    fireEvent.submit(screen.getByTestId('login-form'));
    const submit = screen.getByTestId('login-submit') as HTMLButtonElement;
    await waitFor(() => expect(submit.textContent).toBe('Tunggu 2 detik'));
    expect(submit.disabled).toBe(true);
    setLang('en');
    await waitFor(() => expect(screen.getByTestId('login-error').textContent).toBe('Too many attempts. Try again in 2 seconds.'));
    await act(() => {
      jest.advanceTimersByTime(1000);
    });
    await waitFor(() => expect(submit.textContent).toBe('Wait 1 second'));
    // Typing does not end the lock-out.
    type('login-password', 'benar');
    expect(screen.getByTestId('login-error').hidden).toBe(false);
    await act(() => {
      jest.advanceTimersByTime(1000);
    });
    await waitFor(() => expect(submit.textContent).toBe('Sign in'));
    expect(submit.disabled).toBe(false);
    expect(screen.getByTestId('login-error').hidden).toBe(true);
  });

  it('fills the form from a demo account and signs in with it', async () => {
    const { requests } = fakeAuthApi(
      () => ({ body: { user: planner, csrfToken: 'csrf-1' } }),
      () => ({ body: { accounts: [{ username: 'budi', password: 'Demo-Budi-1', role: 'planner', displayName: 'Budi Perencana' }] } }),
    );
    show();
    const row = await screen.findByTestId('demo-account-budi');
    expect(row.textContent).toContain('Perencana');
    fireEvent.click(row);
    await waitFor(() => expect(row.classList.contains('serat-demo__row--selected')).toBe(true));
    expect(input('login-identifier').value).toBe('budi');
    fireEvent.submit(screen.getByTestId('login-form'));
    await waitFor(() => expect(signedIn).toHaveBeenCalledWith(planner));
    expect(logins(requests).map((request) => request.body)).toEqual([{ login: 'budi', password: 'Demo-Budi-1' }]);
    expect(input('login-password').value).toBe('');
  });
});
