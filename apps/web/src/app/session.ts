/**
 * Who is signed in, and what follows from it: the sign-in screen, the user menu, the
 * change-password dialog, and the map page shown only to someone signed in. Signing out, or a
 * session that ends (any 401), clears the map so that the next person never sees the previous
 * one's data, and puts every tool away.
 */
import type { Signal } from '@preact/signals';
import { PasswordDialog, UserMenu } from '../features/account/account';
import { LoginScreen, type SignInReason } from '../features/account/login';
import { ApiError, auth, setUnauthorizedHandler, type User } from '../shared/api';
import { t } from '../shared/i18n';
import type { Notices } from '../shared/ui';
import type { Header } from './header';
import type { NetworkData } from '../map/network-data';
import { forgetOfflineData } from './offline';
import type { StatusNotices } from './status-notices';
import type { Tools } from './tools';

export interface SessionParts {
  /** The signed-in user; null on the sign-in screen. */
  user: Signal<User | null>;
  header: Header;
  notices: Notices;
  status: StatusNotices;
  data: NetworkData;
  tools: () => Tools;
  /** Shows or hides the map page. */
  setAppVisible(visible: boolean): void;
}

export class Session {
  readonly user: Signal<User | null>;
  readonly loginScreen: LoginScreen;
  private readonly passwordDialog: PasswordDialog;
  private readonly userMenu: UserMenu;

  constructor(private readonly parts: SessionParts) {
    this.user = parts.user;
    this.loginScreen = new LoginScreen(document.body, (user) => this.signedIn(user));
    this.passwordDialog = new PasswordDialog(document.body, {
      changed: () => {
        const current = this.user.value;
        if (!current) return;
        const wasRequired = current.mustChangePassword;
        this.user.value = { ...current, mustChangePassword: false };
        parts.notices.show('password', 'success', t('password.changed'), { dismissible: true, timeoutMs: 6000 });
        if (wasRequired) {
          parts.tools().enable(this.user.value);
          void parts.data.load();
        }
      },
      logout: () => this.logout(),
      user: () => this.user.value,
    });
    this.userMenu = new UserMenu({
      changePassword: () => this.passwordDialog.open(false),
      logout: () => this.logout(),
      openAdmin: () => void parts.tools().openAdmin(),
      openInventory: () => void parts.tools().openInventory(),
      openProgress: () => void parts.tools().openProgress(),
    });
    // Any 401 from a request that needed the session: it has ended (expired, revoked, signed out
    // in another tab). Back to the sign-in screen, with the same language and the same identifier.
    setUnauthorizedHandler(() => {
      const current = this.user.value;
      if (current) this.showSignIn('expired', current.username);
    });
  }

  /** The session check at start-up: the map for someone signed in, else the sign-in screen. */
  async start(): Promise<void> {
    // Public and quick: asked alongside the session check so the sign-in screen appears whole.
    const demoAccounts = this.loginScreen.loadDemoAccounts();
    let user: User | null;
    try {
      user = await auth.me();
    } catch (error) {
      this.showSignIn(null);
      this.loginScreen.showProblem(error);
      return;
    }
    if (user) {
      this.signedIn(user);
      return;
    }
    await Promise.race([demoAccounts, new Promise((resolve) => window.setTimeout(resolve, 800))]);
    this.showSignIn(null);
  }

  private clearMap(): void {
    this.parts.data.clear();
    this.parts.tools().mapCleared();
    this.parts.notices.clear();
  }

  signedIn(user: User): void {
    const { header, status, data, tools } = this.parts;
    this.clearMap();
    this.user.value = user;
    // Until a temporary password is changed the server refuses everything else (403
    // PASSWORD_CHANGE_REQUIRED): the tools, the outbox and the map wait for the change.
    const working = !user.mustChangePassword;
    if (working) tools().enable(user);
    document.body.dataset.signedIn = 'true';
    document.title = t('app.documentTitle');
    this.loginScreen.hide();
    this.parts.setAppVisible(true);
    this.userMenu.setUser(user);
    header.setUserMenu(this.userMenu.element);
    status.watchHealth();
    if (working) void data.load();
    else this.passwordDialog.open(true);
  }

  showSignIn(reason: SignInReason | null, identifier: string | null = null): void {
    this.clearMap();
    this.user.value = null;
    this.parts.tools().disable();
    auth.forget();
    this.parts.status.stopHealth();
    this.passwordDialog.close();
    this.userMenu.setUser(null);
    this.parts.header.setUserMenu(null);
    this.parts.setAppVisible(false);
    document.body.dataset.signedIn = 'false';
    document.title = t('login.documentTitle');
    this.loginScreen.show({ reason, identifier });
  }

  async logout(): Promise<void> {
    try {
      await auth.logout();
    } catch (error) {
      // Still signed in on the server: say so rather than pretend.
      this.parts.notices.show('logout', 'error', t('user.logoutFailed'), {
        detail: error instanceof ApiError && error.serverMessage ? error.serverMessage : undefined,
        dismissible: true,
      });
      return;
    }
    // The next person starts from the whole region, not from where the last one was looking,
    // and finds none of the map data kept for offline use.
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    await forgetOfflineData();
    this.showSignIn('signedOut');
  }
}
