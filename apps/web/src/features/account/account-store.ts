/**
 * The signed-in user's menu and the change-password dialog, as signals: who is signed in, whether
 * the menu is open, what is typed in the dialog and the error it shows. The components
 * (user-menu.tsx, password-dialog.tsx) read these and call the actions.
 */
import { batch, signal, type ReadonlySignal } from '@preact/signals';
import { ApiError, auth, type User } from '../../shared/api';
import { createFocusRequests } from '../../shared/focus';
import type { Lang } from '../../shared/i18n';
import { lang, type Params } from '../../shared/translate';
import type { AccountKey } from './account.i18n';

// ---------------------------------------------------------------------------------------------
// User menu

export interface MenuActions {
  changePassword(): void;
  logout(): Promise<void>;
  openAdmin(): void;
  /** The network list (every signed-in role). */
  openInventory(): void;
  openProgress(): void;
}

export const MENU_BUTTON_ID = 'serat-user-button';

export function createMenuStore(actions: MenuActions) {
  const user = signal<User | null>(null);
  const open = signal(false);
  const loggingOut = signal(false);
  const focus = createFocusRequests();

  const close = (focusButton = true) => {
    if (!open.value) return;
    open.value = false;
    if (focusButton) focus.focus(MENU_BUTTON_ID);
  };

  return {
    user: user as ReadonlySignal<User | null>,
    open: open as ReadonlySignal<boolean>,
    loggingOut: loggingOut as ReadonlySignal<boolean>,
    focusRequest: focus.request,
    setUser(next: User | null): void {
      batch(() => {
        user.value = next;
        loggingOut.value = false;
        open.value = false;
      });
    },
    toggle(): void {
      if (open.value) close();
      else open.value = true;
    },
    close,
    changePassword(): void {
      close(false);
      actions.changePassword();
    },
    openAdmin(): void {
      close(false);
      actions.openAdmin();
    },
    openInventory(): void {
      close(false);
      actions.openInventory();
    },
    openProgress(): void {
      close(false);
      actions.openProgress();
    },
    async logout(): Promise<void> {
      if (loggingOut.value) return;
      loggingOut.value = true;
      try {
        await actions.logout();
      } finally {
        loggingOut.value = false;
      }
    },
  };
}

export type MenuStore = ReturnType<typeof createMenuStore>;

// ---------------------------------------------------------------------------------------------
// Change-password dialog

export interface PasswordActions {
  changed(): void;
  logout(): Promise<void>;
  user(): User | null;
}

export interface PasswordError {
  key: AccountKey;
  params?: Params;
  server: string | null;
  lang: Lang;
  list: string[];
}

export type PasswordField = 'current' | 'new' | 'repeat';
export const passwordInputId = (field: PasswordField) => `serat-password-${field}`;

/** WEAK_PASSWORD may explain itself in `details`; only lists of plain text are shown. */
function detailLines(details: unknown): string[] {
  const strings = (value: unknown) => (Array.isArray(value) && value.every((entry) => typeof entry === 'string') ? (value as string[]) : []);
  if (Array.isArray(details)) return strings(details);
  if (details && typeof details === 'object') return Object.values(details).flatMap((value) => strings(value));
  return [];
}

/**
 * `dialog`: the adapter's <dialog> element, which opens and closes it; the store only asks
 * whether it is still open (a 401 while saving ends the session and closes it).
 */
export function createPasswordStore(actions: PasswordActions, dialog: { isOpen(): boolean; close(): void }) {
  const required = signal(false);
  const username = signal('');
  const values = signal<Record<PasswordField, string>>({ current: '', new: '', repeat: '' });
  const busy = signal(false);
  const error = signal<PasswordError | null>(null);
  const focus = createFocusRequests();

  const fail = (key: AccountKey, server: string | null = null, extra: { params?: Params; list?: string[] } = {}) => {
    error.value = { key, server, lang: lang.value, params: extra.params, list: extra.list ?? [] };
  };

  function showFailure(problem: unknown): void {
    if (!(problem instanceof ApiError) || problem.reason === 'network') return fail('login.network');
    const server = problem.serverMessage;
    if (problem.code === 'WEAK_PASSWORD') {
      fail('password.weak', server, { list: detailLines(problem.details) });
      focus.focus(passwordInputId('new'), { select: true });
    } else if (problem.code === 'INVALID_CREDENTIALS') {
      fail('password.wrongCurrent', server);
      focus.focus(passwordInputId('current'), { select: true });
    } else {
      fail('password.failed', server, { params: { status: problem.httpStatus ?? '?' } });
    }
  }

  return {
    required: required as ReadonlySignal<boolean>,
    username: username as ReadonlySignal<string>,
    values: values as ReadonlySignal<Record<PasswordField, string>>,
    busy: busy as ReadonlySignal<boolean>,
    error: error as ReadonlySignal<PasswordError | null>,
    focusRequest: focus.request,

    /** `mustChange`: the account has a temporary password; the way out is signing out. */
    reset(mustChange: boolean): void {
      batch(() => {
        required.value = mustChange;
        values.value = { current: '', new: '', repeat: '' };
        username.value = actions.user()?.username ?? '';
        error.value = null;
        busy.value = false;
      });
      focus.focus(passwordInputId('current'));
    },
    clear(): void {
      values.value = { current: '', new: '', repeat: '' };
    },
    type(field: PasswordField, text: string): void {
      batch(() => {
        values.value = { ...values.value, [field]: text };
        error.value = null;
      });
    },
    /** Cancel, or (when the change is required) sign out. */
    async cancel(): Promise<void> {
      if (!required.value) {
        dialog.close();
        return;
      }
      busy.value = true;
      try {
        await actions.logout();
      } finally {
        busy.value = false;
      }
    },
    async submit(): Promise<void> {
      if (busy.value) return;
      const { current, new: fresh, repeat } = values.value;
      const empty = (['current', 'new', 'repeat'] as const).find((field) => !values.value[field]);
      if (empty) {
        fail('password.missing');
        focus.focus(passwordInputId(empty));
        return;
      }
      if (fresh !== repeat) {
        fail('password.mismatch');
        focus.focus(passwordInputId('repeat'), { select: true });
        return;
      }
      batch(() => {
        error.value = null;
        busy.value = true;
      });
      try {
        await auth.changePassword(current, fresh);
        busy.value = false;
        dialog.close();
        actions.changed();
      } catch (problem) {
        busy.value = false;
        if (!dialog.isOpen()) return; // a 401 ended the session and closed the dialog
        showFailure(problem);
      }
    },
  };
}

export type PasswordStore = ReturnType<typeof createPasswordStore>;
