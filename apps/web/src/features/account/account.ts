/**
 * The signed-in user's corner of the header: a menu with name and role, "change password" and
 * "sign out"; and the change-password dialog. Names and server messages go in as text.
 */
import { ApiError, auth, type User } from '../../shared/api';
import { getLang, onLangChange, roleLabel, t, type Lang, type MessageKey } from '../../shared/i18n';
import { el } from '../../shared/ui';

/** Up to two initials for the avatar, from the letters of the display name. */
function initials(name: string): string {
  const words = name
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter(Boolean);
  const letters = words.slice(0, 2).map((word) => [...word][0].toLocaleUpperCase('id'));
  return letters.join('') || '?';
}

const roleClass = (role: string) => `serat-role serat-role--${/^[a-z]+$/.test(role) ? role : 'other'}`;

// ---------------------------------------------------------------------------------------------
// User menu

export class UserMenu {
  readonly element = el('div', 'serat-user');
  private readonly button = el('button', 'serat-user__button');
  private readonly panel = el('div', 'serat-user__panel');
  private user: User | null = null;
  private isOpen = false;
  private loggingOut = false;

  constructor(private readonly actions: { changePassword(): void; logout(): Promise<void>; openAdmin(): void }) {
    this.button.type = 'button';
    this.button.dataset.testid = 'user-menu';
    this.button.setAttribute('aria-haspopup', 'menu');
    this.button.setAttribute('aria-controls', 'serat-user-panel');
    this.panel.id = 'serat-user-panel';
    this.panel.hidden = true;
    this.element.append(this.button, this.panel);

    this.button.addEventListener('click', () => (this.isOpen ? this.close() : this.open()));
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    document.addEventListener('pointerdown', (event) => {
      if (this.isOpen && !this.element.contains(event.target as Node)) this.close(false);
    });
    onLangChange(() => this.render());
  }

  setUser(user: User | null): void {
    this.user = user;
    this.loggingOut = false;
    this.close(false);
    this.render();
  }

  private open(): void {
    this.isOpen = true;
    this.render();
    this.items()[0]?.focus();
  }

  close(focusButton = true): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.render();
    if (focusButton) this.button.focus();
  }

  private items(): HTMLButtonElement[] {
    return [...this.panel.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)')];
  }

  private onKey(event: KeyboardEvent): void {
    if (!this.isOpen) return;
    const items = this.items();
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      this.close();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (event.key === 'Tab') {
      this.close(false);
    }
  }

  private render(): void {
    const user = this.user;
    this.element.hidden = !user;
    this.button.setAttribute('aria-expanded', String(this.isOpen));
    this.panel.hidden = !this.isOpen;
    if (!user) {
      this.button.replaceChildren();
      this.panel.replaceChildren();
      return;
    }
    const name = user.displayName || user.username;
    const role = roleLabel(user.role);

    const avatar = el('span', 'serat-user__avatar', initials(name));
    avatar.setAttribute('aria-hidden', 'true');
    const text = el('span', 'serat-user__text');
    text.append(el('span', 'serat-user__name', name), el('span', 'serat-user__role', role));
    const chevron = el('span', 'serat-user__chevron');
    chevron.setAttribute('aria-hidden', 'true');
    this.button.replaceChildren(avatar, text, chevron);
    this.button.title = `${name} (${role})`;
    this.button.setAttribute('aria-label', `${t('user.menu')}: ${name}, ${role}`);

    const identity = el('div', 'serat-user__identity');
    identity.append(el('div', 'serat-user__panel-name', name));
    identity.append(el('div', 'serat-user__panel-login', user.email || user.username));
    const tags = el('div', 'serat-user__tags');
    tags.append(el('span', roleClass(user.role), role));
    const codes = user.kecamatanCodes;
    tags.append(el('span', 'serat-user__scope', codes === null || codes === undefined ? t('user.scopeAll') : t('user.scopeSome', { count: codes.length })));
    identity.append(tags);

    const menu = el('div', 'serat-user__menu');
    menu.setAttribute('role', 'menu');
    menu.setAttribute('aria-label', t('user.menu'));
    const item = (key: MessageKey, testId: string, onClick: () => void) => {
      const button = el('button', `serat-user__item serat-user__item--${testId}`, t(key));
      button.type = 'button';
      button.setAttribute('role', 'menuitem');
      button.dataset.testid = testId;
      button.addEventListener('click', onClick);
      menu.append(button);
      return button;
    };
    if (user.role === 'admin') {
      item('user.admin', 'open-admin', () => {
        this.close(false);
        this.actions.openAdmin();
      });
    }
    item('user.changePassword', 'change-password', () => {
      this.close(false);
      this.actions.changePassword();
    });
    const logout = item('user.logout', 'logout', () => void this.logout());
    logout.disabled = this.loggingOut;
    this.panel.replaceChildren(identity, menu);
  }

  private async logout(): Promise<void> {
    if (this.loggingOut) return;
    this.loggingOut = true;
    this.render();
    try {
      await this.actions.logout();
    } finally {
      this.loggingOut = false;
      this.render();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Change-password dialog

interface ShownError {
  key: MessageKey;
  params?: Record<string, string | number>;
  server: string | null;
  lang: Lang;
  list: string[];
}

/** WEAK_PASSWORD may explain itself in `details`; only lists of plain text are shown. */
function detailLines(details: unknown): string[] {
  const strings = (value: unknown) => (Array.isArray(value) && value.every((entry) => typeof entry === 'string') ? (value as string[]) : []);
  if (Array.isArray(details)) return strings(details);
  if (details && typeof details === 'object') {
    return Object.values(details).flatMap((value) => strings(value));
  }
  return [];
}

export class PasswordDialog {
  private readonly dialog = el('dialog', 'serat-dialog');
  private readonly form = el('form', 'serat-dialog__form');
  private readonly title = el('h2', 'serat-dialog__title');
  private readonly note = el('p', 'serat-dialog__note');
  private readonly closeButton = el('button', 'serat-dialog__close', '×');
  private readonly username = el('input', 'serat-visually-hidden');
  private readonly inputs: Record<'current' | 'new' | 'repeat', HTMLInputElement>;
  private readonly labels: Array<[HTMLLabelElement, MessageKey]> = [];
  private readonly error = el('div', 'serat-dialog__error');
  private readonly cancel = el('button', 'serat-button serat-button--secondary');
  private readonly save = el('button', 'serat-button serat-button--primary');
  private required = false;
  private busy = false;
  private shownError: ShownError | null = null;

  constructor(
    parent: HTMLElement,
    private readonly actions: { changed(): void; logout(): Promise<void>; user(): User | null },
  ) {
    this.dialog.dataset.testid = 'password-dialog';
    this.dialog.setAttribute('aria-labelledby', 'serat-password-title');
    this.title.id = 'serat-password-title';
    this.form.noValidate = true;

    // For password managers: which account this new password belongs to.
    this.username.type = 'text';
    this.username.autocomplete = 'username';
    this.username.readOnly = true;
    this.username.tabIndex = -1;
    this.username.setAttribute('aria-hidden', 'true');

    const make = (key: 'current' | 'new' | 'repeat', labelKey: MessageKey, autocomplete: AutoFill) => {
      const input = el('input', 'serat-input');
      input.type = 'password';
      input.id = `serat-password-${key}`;
      input.autocomplete = autocomplete;
      input.required = true;
      input.dataset.testid = `password-${key}`;
      input.addEventListener('input', () => {
        if (this.shownError) this.setError(null);
      });
      const label = el('label', 'serat-field__label');
      label.htmlFor = input.id;
      this.labels.push([label, labelKey]);
      const wrapper = el('div', 'serat-field');
      const control = el('div', 'serat-field__control');
      control.append(input);
      wrapper.append(label, control);
      return { input, wrapper };
    };
    const current = make('current', 'password.current', 'current-password');
    const fresh = make('new', 'password.new', 'new-password');
    const repeat = make('repeat', 'password.repeat', 'new-password');
    this.inputs = { current: current.input, new: fresh.input, repeat: repeat.input };

    this.error.setAttribute('role', 'alert');
    this.error.dataset.testid = 'password-error';
    this.closeButton.type = 'button';
    this.closeButton.addEventListener('click', () => this.close());
    this.cancel.type = 'button';
    this.cancel.dataset.testid = 'password-cancel';
    this.cancel.addEventListener('click', () => void this.onCancel());
    this.save.type = 'submit';
    this.save.dataset.testid = 'password-save';

    const head = el('div', 'serat-dialog__head');
    head.append(this.title, this.closeButton);
    const buttons = el('div', 'serat-dialog__buttons');
    buttons.append(this.cancel, this.save);
    this.form.append(head, this.note, this.username, current.wrapper, fresh.wrapper, repeat.wrapper, this.error, buttons);
    this.dialog.append(this.form);
    parent.append(this.dialog);

    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    // Escape: not while saving, and not when the password has to be changed first.
    this.dialog.addEventListener('cancel', (event) => {
      if (this.required || this.busy) event.preventDefault();
    });
    onLangChange(() => this.render());
    this.render();
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  /** `required`: the account has a temporary password; the way out is signing out. */
  open(required: boolean): void {
    this.required = required;
    for (const input of Object.values(this.inputs)) input.value = '';
    this.username.value = this.actions.user()?.username ?? '';
    this.setError(null);
    this.setBusy(false);
    this.render();
    if (!this.dialog.open) this.dialog.showModal();
    this.inputs.current.focus();
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
    for (const input of Object.values(this.inputs)) input.value = '';
  }

  private async onCancel(): Promise<void> {
    if (!this.required) {
      this.close();
      return;
    }
    this.setBusy(true);
    try {
      await this.actions.logout();
    } finally {
      this.setBusy(false);
    }
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    const { current, new: fresh, repeat } = this.inputs;
    const lang = getLang();
    const empty = [current, fresh, repeat].find((input) => !input.value);
    if (empty) {
      this.setError({ key: 'password.missing', server: null, lang, list: [] });
      empty.focus();
      return;
    }
    if (fresh.value !== repeat.value) {
      this.setError({ key: 'password.mismatch', server: null, lang, list: [] });
      repeat.focus();
      repeat.select();
      return;
    }
    this.setError(null);
    this.setBusy(true);
    try {
      await auth.changePassword(current.value, fresh.value);
      this.setBusy(false);
      this.close();
      this.actions.changed();
    } catch (error) {
      this.setBusy(false);
      if (!this.dialog.open) return; // a 401 ended the session and closed the dialog
      this.showFailure(error);
    }
  }

  private showFailure(error: unknown): void {
    const lang = getLang();
    if (!(error instanceof ApiError) || error.reason === 'network') {
      this.setError({ key: 'login.network', server: null, lang, list: [] });
      return;
    }
    const server = error.serverMessage;
    if (error.code === 'WEAK_PASSWORD') {
      this.setError({ key: 'password.weak', server, lang, list: detailLines(error.details) });
      this.inputs.new.focus();
      this.inputs.new.select();
    } else if (error.code === 'INVALID_CREDENTIALS') {
      this.setError({ key: 'password.wrongCurrent', server, lang, list: [] });
      this.inputs.current.focus();
      this.inputs.current.select();
    } else {
      this.setError({ key: 'password.failed', params: { status: error.httpStatus ?? '?' }, server, lang, list: [] });
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.form.setAttribute('aria-busy', String(busy));
    for (const input of Object.values(this.inputs)) input.readOnly = busy;
    this.renderButtons();
  }

  private setError(error: ShownError | null): void {
    this.shownError = error;
    this.renderError();
  }

  private render(): void {
    this.title.textContent = t('password.title');
    this.note.textContent = t('password.required');
    this.note.hidden = !this.required;
    this.closeButton.hidden = this.required;
    this.closeButton.title = t('password.cancel');
    this.closeButton.setAttribute('aria-label', t('password.cancel'));
    for (const [label, key] of this.labels) label.textContent = t(key);
    this.renderError();
    this.renderButtons();
  }

  private renderButtons(): void {
    this.cancel.textContent = t(this.required ? 'user.logout' : 'password.cancel');
    this.cancel.disabled = this.busy;
    this.closeButton.disabled = this.busy;
    const spinner = el('span', 'serat-spinner');
    spinner.setAttribute('aria-hidden', 'true');
    spinner.hidden = !this.busy;
    this.save.replaceChildren(spinner, el('span', 'serat-button__label', t(this.busy ? 'password.saving' : 'password.save')));
    this.save.disabled = this.busy;
  }

  private renderError(): void {
    const error = this.shownError;
    this.error.replaceChildren();
    this.error.hidden = !error;
    if (!error) return;
    const sameLanguage = error.lang === getLang();
    this.error.append(el('p', 'serat-dialog__error-text', error.server && sameLanguage ? error.server : t(error.key, error.params)));
    if (sameLanguage && error.list.length) {
      const list = el('ul', 'serat-dialog__error-list');
      for (const line of error.list) list.append(el('li', undefined, line));
      this.error.append(list);
    }
  }
}
