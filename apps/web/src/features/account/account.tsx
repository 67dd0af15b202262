/**
 * The signed-in user's corner of the header (a menu with name and role, the admin screens,
 * "change password" and "sign out") and the change-password dialog: what main.ts holds, each an
 * element with a Preact root in it. The state is account-store.ts's, the drawing user-menu.tsx's
 * and password-dialog.tsx's.
 */
import { effect } from '@preact/signals';
import { render } from 'preact';
import type { User } from '../../shared/api';
import { createMenuStore, createPasswordStore, type MenuActions, type MenuStore, type PasswordActions, type PasswordStore } from './account-store';
import { PasswordForm } from './password-dialog';
import { UserMenu as Menu } from './user-menu';

// ---------------------------------------------------------------------------------------------
// User menu

export class UserMenu {
  readonly element = document.createElement('div');
  private readonly store: MenuStore;

  constructor(actions: MenuActions) {
    const store = createMenuStore(actions);
    this.store = store;
    this.element.className = 'serat-user';
    effect(() => {
      this.element.hidden = !store.user.value;
    });
    // A press anywhere else puts the menu away.
    document.addEventListener('pointerdown', (event) => {
      if (store.open.value && !this.element.contains(event.target as Node)) store.close(false);
    });
    render(<Menu store={store} />, this.element);
  }

  setUser(user: User | null): void {
    this.store.setUser(user);
  }

  close(focusButton = true): void {
    this.store.close(focusButton);
  }
}

// ---------------------------------------------------------------------------------------------
// Change-password dialog

export class PasswordDialog {
  private readonly dialog = document.createElement('dialog');
  private readonly store: PasswordStore;

  constructor(parent: HTMLElement, actions: PasswordActions) {
    const store = createPasswordStore(actions, { isOpen: () => this.isOpen, close: () => this.close() });
    this.store = store;
    this.dialog.className = 'serat-dialog';
    this.dialog.dataset.testid = 'password-dialog';
    this.dialog.setAttribute('aria-labelledby', 'serat-password-title');
    // Escape: not while saving, and not when the password has to be changed first.
    this.dialog.addEventListener('cancel', (event) => {
      if (store.required.value || store.busy.value) event.preventDefault();
    });
    parent.append(this.dialog);
    render(<PasswordForm store={store} onClose={() => this.close()} />, this.dialog);
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  /** `required`: the account has a temporary password; the way out is signing out. */
  open(required: boolean): void {
    this.store.reset(required);
    if (!this.dialog.open) this.dialog.showModal();
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
    this.store.clear();
  }
}
