/**
 * The sign-in screen's state as signals: what is typed, the error shown (ours, and the server's
 * words while the language has not changed), the wait after too many attempts, and the demo
 * accounts of a demo installation. The screen (login-screen.tsx) reads these and calls the actions.
 */
import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import { ApiError, auth, type DemoAccount, type User } from '../../shared/api';
import { createFocusRequests } from '../../shared/focus';
import type { Lang } from '../../shared/i18n';
import { lang, type Params } from '../../shared/translate';
import type { AccountKey } from './account.i18n';

export type SignInReason = 'expired' | 'signedOut';

/** An error line: our own text, and the server's (shown while the language has not changed). */
export interface ShownError {
  key: AccountKey;
  params?: Params;
  server: string | null;
  lang: Lang;
}

export const LOGIN_IDS = { identifier: 'serat-login-identifier', password: 'serat-login-password', submit: 'serat-login-submit' } as const;

export function describeLoginError(error: unknown): ShownError {
  const now = lang.value;
  if (!(error instanceof ApiError) || error.reason === 'network') return { key: 'login.network', server: null, lang: now };
  const server = error.serverMessage;
  switch (error.httpStatus) {
    case 401:
      return { key: 'login.invalid', server, lang: now };
    case 429:
      return { key: 'login.tooMany', params: { count: error.retryAfterS ?? 60 }, server, lang: now };
    case 400:
      return { key: 'login.missing', server, lang: now };
    case null: // a reply that could not be read has no status to show
    default:
      return { key: 'login.failed', params: { status: error.httpStatus ?? '?' }, server, lang: now };
  }
}

export function createLoginStore(onSignedIn: (user: User) => void) {
  const visible = signal(false);
  const region = signal<string | null>(null);
  const reason = signal<SignInReason | null>(null);
  const identifier = signal('');
  const password = signal('');
  const passwordVisible = signal(false);
  const error = signal<ShownError | null>(null);
  const busy = signal(false);
  const accounts = signal<DemoAccount[] | null>(null);
  /** Until when (epoch ms) the server refuses another attempt; `now` ticks while waiting. */
  const waitUntil = signal(0);
  const now = signal(Date.now());
  const focus = createFocusRequests();
  let accountsRequest: Promise<void> | null = null;
  let timer = 0;

  const waitS = computed(() => Math.max(0, Math.ceil((waitUntil.value - now.value) / 1000)));
  const waiting = () => waitUntil.value > Date.now();

  function startWait(seconds: number): void {
    batch(() => {
      waitUntil.value = Date.now() + seconds * 1000;
      now.value = Date.now();
    });
    window.clearInterval(timer);
    timer = window.setInterval(() => {
      now.value = Date.now();
      if (waiting()) return;
      window.clearInterval(timer);
      timer = 0;
      // The "try again in N seconds" line would now be wrong.
      if (error.value?.key === 'login.tooMany') error.value = null;
      focus.focus(LOGIN_IDS.password);
    }, 1000);
  }

  return {
    visible: visible as ReadonlySignal<boolean>,
    region: region as ReadonlySignal<string | null>,
    reason: reason as ReadonlySignal<SignInReason | null>,
    identifier: identifier as ReadonlySignal<string>,
    password: password as ReadonlySignal<string>,
    passwordVisible: passwordVisible as ReadonlySignal<boolean>,
    error: error as ReadonlySignal<ShownError | null>,
    busy: busy as ReadonlySignal<boolean>,
    accounts: accounts as ReadonlySignal<DemoAccount[] | null>,
    waitS,
    focusRequest: focus.request,

    setRegion(name: string | null): void {
      region.value = name;
    },
    /**
     * After a session ended, the identifier is kept so only the password is needed; after signing
     * out the form starts empty (the next person may be someone else). `focus`: into the first
     * empty field (not on touch screens, where that pops the keyboard over the card).
     */
    show(options: { reason?: SignInReason | null; identifier?: string | null }, focusField: boolean): void {
      batch(() => {
        reason.value = options.reason ?? null;
        identifier.value = options.identifier ?? '';
        password.value = '';
        passwordVisible.value = false;
        if (!waiting()) error.value = null;
        busy.value = false;
        visible.value = true;
      });
      if (focusField) focus.focus(identifier.value ? LOGIN_IDS.password : LOGIN_IDS.identifier);
    },
    hide(): void {
      batch(() => {
        visible.value = false;
        password.value = '';
      });
    },
    /** Asks once whether this is a demo installation with accounts to show (404: it is not). */
    loadDemoAccounts(): Promise<void> {
      accountsRequest ??= auth.demoAccounts().then((found) => {
        accounts.value = found && found.length ? found : null;
      });
      return accountsRequest;
    },
    /** An error from outside the form (the session check at start-up). */
    showProblem(problem: unknown): void {
      error.value = describeLoginError(problem);
    },
    /** Typing again answers the error; a lock-out stays until its time is up. */
    type(field: 'identifier' | 'password', text: string): void {
      batch(() => {
        (field === 'identifier' ? identifier : password).value = text;
        if (error.value && !waiting()) error.value = null;
      });
    },
    togglePassword(): void {
      passwordVisible.value = !passwordVisible.value;
      focus.focus(LOGIN_IDS.password);
    },
    fill(account: DemoAccount): void {
      if (busy.value) return;
      batch(() => {
        identifier.value = account.username;
        password.value = account.password;
        if (!waiting()) error.value = null;
      });
      focus.focus(LOGIN_IDS.submit);
    },
    async signIn(): Promise<void> {
      if (busy.value || waiting()) return;
      const login = identifier.value.trim();
      const secret = password.value;
      if (!login || !secret) {
        error.value = { key: 'login.missing', server: null, lang: lang.value };
        focus.focus(login ? LOGIN_IDS.password : LOGIN_IDS.identifier);
        return;
      }
      batch(() => {
        error.value = null;
        reason.value = null;
        busy.value = true;
      });
      try {
        const user = await auth.login(login, secret);
        batch(() => {
          busy.value = false;
          password.value = '';
        });
        onSignedIn(user);
      } catch (problem) {
        batch(() => {
          busy.value = false;
          error.value = describeLoginError(problem);
        });
        if (problem instanceof ApiError && problem.httpStatus === 429) startWait(problem.retryAfterS ?? 60);
        if (!waiting()) focus.focus(LOGIN_IDS.password, { select: true });
      }
    },
  };
}

export type LoginStore = ReturnType<typeof createLoginStore>;
