/**
 * The sign-in screen, shown instead of the map when there is no session: what main.ts holds, an
 * element with a Preact root in it. The state is login-store.ts's, the drawing login-screen.tsx's.
 */
import { effect } from '@preact/signals';
import { render } from 'preact';
import type { User } from '../../shared/api';
import { LoginScreen as Screen } from './login-screen';
import { createLoginStore, type LoginStore, type SignInReason } from './login-store';

export type { SignInReason } from './login-store';

export class LoginScreen {
  readonly root = document.createElement('div');
  private readonly store: LoginStore;

  constructor(parent: HTMLElement, onSignedIn: (user: User) => void) {
    const store = createLoginStore(onSignedIn);
    this.store = store;
    this.root.className = 'serat-login';
    this.root.dataset.testid = 'login-screen';
    this.root.hidden = true;
    parent.append(this.root);
    effect(() => {
      this.root.hidden = !store.visible.value;
    });
    render(<Screen store={store} />, this.root);
  }

  setRegion(name: string | null): void {
    this.store.setRegion(name);
  }

  /**
   * Shows the screen. After a session ended, the identifier is kept so only the password is
   * needed; after signing out the form starts empty (the next person may be someone else).
   */
  show(options: { reason?: SignInReason | null; identifier?: string | null } = {}): void {
    // Focus the first empty field; on touch screens that would pop the keyboard over the card.
    this.store.show(options, window.matchMedia('(pointer: fine)').matches);
    void this.loadDemoAccounts();
  }

  /** Asks once whether this is a demo installation with accounts to show (404: it is not). */
  loadDemoAccounts(): Promise<void> {
    return this.store.loadDemoAccounts();
  }

  hide(): void {
    this.store.hide();
  }

  /** An error from outside the form (the session check at start-up). */
  showProblem(error: unknown): void {
    this.store.showProblem(error);
  }
}
