/**
 * The sign-in screen: shown instead of the map when there is no session. The header bar of the
 * map (logo, name, region, ID | EN) on top, the form in a card, and on a demo installation the
 * demo accounts below it. Everything from the server goes in as text.
 */
import { ApiError, auth, type DemoAccount, type User } from '../../shared/api';
import { getLang, onLangChange, roleLabel, t, type Lang, type MessageKey } from '../../shared/i18n';
import { el, languageSwitch, logo } from '../../shared/ui';

/** An error line: our own text, and the server's (shown while the language has not changed). */
interface ShownError {
  key: MessageKey;
  params?: Record<string, string | number>;
  server: string | null;
  lang: Lang;
}

export type SignInReason = 'expired' | 'signedOut';

const SVG_NS = 'http://www.w3.org/2000/svg';

function eyeIcon(open: boolean): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  const shapes: Array<[string, Record<string, string>]> = [
    ['path', { d: 'M1.8 10S4.8 4.5 10 4.5 18.2 10 18.2 10 15.2 15.5 10 15.5 1.8 10 1.8 10Z' }],
    ['circle', { cx: '10', cy: '10', r: '2.6' }],
  ];
  if (!open) shapes.push(['path', { d: 'M3.5 16.5 16.5 3.5' }]);
  for (const [tag, attributes] of shapes) {
    const shape = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) shape.setAttribute(name, value);
    shape.setAttribute('fill', 'none');
    shape.setAttribute('stroke', 'currentColor');
    shape.setAttribute('stroke-width', '1.6');
    shape.setAttribute('stroke-linecap', 'round');
    shape.setAttribute('stroke-linejoin', 'round');
    svg.append(shape);
  }
  return svg;
}

/** The decoration behind the card: fibre strands running to a node, in the bar's colours. */
function backdrop(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'serat-login__backdrop');
  svg.setAttribute('viewBox', '0 0 1200 800');
  svg.setAttribute('preserveAspectRatio', 'xMidYMid slice');
  svg.setAttribute('aria-hidden', 'true');
  const strands = [
    'M-40 120 C 260 140, 420 330, 760 360 S 1100 300, 1260 330',
    'M-40 300 C 240 300, 480 380, 760 360 S 1080 470, 1260 520',
    'M-40 520 C 300 520, 500 400, 760 360 S 1000 180, 1260 120',
    'M-40 700 C 320 690, 560 470, 760 360',
    'M180 -40 C 240 200, 520 300, 760 360',
    'M760 360 C 900 520, 980 700, 1020 860',
  ];
  strands.forEach((d, index) => {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', index % 2 ? '#1f9d55' : '#5aa9e6');
    path.setAttribute('stroke-opacity', index % 2 ? '0.22' : '0.14');
    path.setAttribute('stroke-width', index % 3 ? '2' : '3');
    svg.append(path);
  });
  for (const [cx, cy, r] of [
    [760, 360, 7],
    [420, 300, 4],
    [300, 522, 4],
    [1020, 300, 4],
    [560, 470, 4],
  ]) {
    const dot = document.createElementNS(SVG_NS, 'circle');
    dot.setAttribute('cx', String(cx));
    dot.setAttribute('cy', String(cy));
    dot.setAttribute('r', String(r));
    dot.setAttribute('fill', '#c9f2d9');
    dot.setAttribute('fill-opacity', r > 5 ? '0.35' : '0.2');
    svg.append(dot);
  }
  return svg;
}

function field(labelKey: MessageKey, input: HTMLInputElement, extra?: HTMLElement) {
  const wrapper = el('div', 'serat-field');
  const label = el('label', 'serat-field__label', t(labelKey));
  label.htmlFor = input.id;
  const control = el('div', 'serat-field__control');
  control.append(input);
  if (extra) control.append(extra);
  wrapper.append(label, control);
  return { wrapper, label };
}

function input(id: string, type: string, autocomplete: string, testId?: string): HTMLInputElement {
  const element = el('input', 'serat-input');
  element.id = id;
  element.name = id;
  element.type = type;
  element.autocomplete = autocomplete as AutoFill;
  element.spellcheck = false;
  element.setAttribute('autocapitalize', 'none');
  element.setAttribute('autocorrect', 'off');
  if (testId) element.dataset.testid = testId;
  return element;
}

export class LoginScreen {
  readonly root = el('div', 'serat-login');
  private readonly bar = el('header', 'serat-bar serat-login__bar');
  private readonly title = el('h2', 'serat-login__title');
  private readonly intro = el('p', 'serat-login__intro');
  private readonly note = el('p', 'serat-login__note');
  private readonly form = el('form', 'serat-login__form');
  private readonly identifier = input('serat-login-identifier', 'text', 'username', 'login-identifier');
  private readonly password = input('serat-login-password', 'password', 'current-password', 'login-password');
  private readonly reveal = el('button', 'serat-field__reveal');
  private readonly error = el('p', 'serat-login__error');
  private readonly submit = el('button', 'serat-button serat-button--primary serat-login__submit');
  private readonly help = el('p', 'serat-login__help');
  private readonly demo = el('section', 'serat-login__demo');
  private readonly labels: Array<[HTMLElement, MessageKey]> = [];

  private regionName: string | null = null;
  private accounts: DemoAccount[] | null = null;
  private accountsRequest: Promise<void> | null = null;
  private shownError: ShownError | null = null;
  private reason: SignInReason | null = null;
  private busy = false;
  private waitUntil = 0;
  private waitTimer = 0;

  constructor(
    parent: HTMLElement,
    private readonly onSignedIn: (user: User) => void,
  ) {
    this.root.hidden = true;
    this.root.dataset.testid = 'login-screen';

    const main = el('main', 'serat-login__main');
    const card = el('section', 'serat-login__card');
    card.setAttribute('aria-labelledby', 'serat-login-title');
    this.title.id = 'serat-login-title';
    this.note.setAttribute('role', 'status');

    this.form.noValidate = true;
    this.form.dataset.testid = 'login-form';
    this.identifier.inputMode = 'email';
    this.identifier.required = true;
    this.password.required = true;
    this.reveal.type = 'button';
    this.reveal.dataset.testid = 'login-reveal';
    this.reveal.addEventListener('click', () => this.togglePassword());
    const identifierField = field('login.identifier', this.identifier);
    const passwordField = field('login.password', this.password, this.reveal);
    passwordField.wrapper.classList.add('serat-field--with-button');
    this.labels.push([identifierField.label, 'login.identifier'], [passwordField.label, 'login.password']);

    this.error.dataset.testid = 'login-error';
    this.error.setAttribute('role', 'alert');
    this.error.id = 'serat-login-error';

    this.submit.type = 'submit';
    this.submit.dataset.testid = 'login-submit';

    this.form.append(identifierField.wrapper, passwordField.wrapper, this.error, this.submit);
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.signIn();
    });
    for (const element of [this.identifier, this.password]) {
      element.addEventListener('input', () => {
        // Typing again answers the error; a lock-out stays until its time is up.
        if (this.shownError && !this.waiting()) this.setError(null);
        this.markSelectedAccount();
      });
    }

    this.demo.hidden = true;
    this.demo.dataset.testid = 'demo-accounts';

    card.append(this.title, this.intro, this.note, this.form, this.help);
    main.append(card, this.demo);
    this.root.append(backdrop(), this.bar, main);
    parent.append(this.root);

    onLangChange(() => this.render());
    this.render();
  }

  setRegion(name: string | null): void {
    this.regionName = name;
    this.render();
  }

  /**
   * Shows the screen. After a session ended, the identifier is kept so only the password is
   * needed; after signing out the form starts empty (the next person may be someone else).
   */
  show(options: { reason?: SignInReason | null; identifier?: string | null } = {}): void {
    this.reason = options.reason ?? null;
    this.identifier.value = options.identifier ?? '';
    this.password.value = '';
    this.setPasswordVisible(false);
    if (!this.waiting()) this.setError(null);
    this.setBusy(false);
    this.root.hidden = false;
    this.render();
    void this.loadDemoAccounts();
    // Focus the first empty field; on touch screens that would pop the keyboard over the card.
    if (window.matchMedia('(pointer: fine)').matches) {
      (this.identifier.value ? this.password : this.identifier).focus();
    }
  }

  /** Asks once whether this is a demo installation with accounts to show (404: it is not). */
  loadDemoAccounts(): Promise<void> {
    this.accountsRequest ??= auth.demoAccounts().then((accounts) => {
      this.accounts = accounts && accounts.length ? accounts : null;
      this.renderDemo();
    });
    return this.accountsRequest;
  }

  hide(): void {
    this.root.hidden = true;
    this.password.value = '';
    // One ID | EN switch in the page at a time: the header has its own once signed in.
    this.bar.replaceChildren();
  }

  /** An error from outside the form (the session check at start-up). */
  showProblem(error: unknown): void {
    this.setError(this.describe(error));
  }

  private async signIn(): Promise<void> {
    if (this.busy || this.waiting()) return;
    const login = this.identifier.value.trim();
    const password = this.password.value;
    if (!login || !password) {
      this.setError({ key: 'login.missing', server: null, lang: getLang() });
      (login ? this.password : this.identifier).focus();
      return;
    }
    this.setError(null);
    this.reason = null;
    this.renderNote();
    this.setBusy(true);
    try {
      const user = await auth.login(login, password);
      this.setBusy(false);
      this.password.value = '';
      this.onSignedIn(user);
    } catch (error) {
      this.setBusy(false);
      this.setError(this.describe(error));
      if (error instanceof ApiError && error.httpStatus === 429) this.startWait(error.retryAfterS ?? 60);
      if (!this.waiting()) {
        this.password.focus();
        this.password.select();
      }
    }
  }

  private describe(error: unknown): ShownError {
    const lang = getLang();
    if (!(error instanceof ApiError)) return { key: 'login.network', server: null, lang };
    const server = error.serverMessage;
    if (error.reason === 'network') return { key: 'login.network', server: null, lang };
    switch (error.httpStatus) {
      case 401:
        return { key: 'login.invalid', server, lang };
      case 429:
        return { key: 'login.tooMany', params: { seconds: error.retryAfterS ?? 60 }, server, lang };
      case 400:
        return { key: 'login.missing', server, lang };
      case null: // a reply that could not be read has no status to show
      default:
        return { key: 'login.failed', params: { status: error.httpStatus ?? '?' }, server, lang };
    }
  }

  // ------------------------------------------------------------------------------- state

  private waiting(): boolean {
    return this.waitUntil > Date.now();
  }

  private startWait(seconds: number): void {
    this.waitUntil = Date.now() + seconds * 1000;
    window.clearInterval(this.waitTimer);
    this.waitTimer = window.setInterval(() => {
      if (!this.waiting()) {
        window.clearInterval(this.waitTimer);
        this.waitTimer = 0;
        // The "try again in N seconds" line would now be wrong.
        if (this.shownError?.key === 'login.tooMany') this.setError(null);
        this.password.focus();
      }
      this.renderSubmit();
    }, 1000);
    this.renderSubmit();
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.form.setAttribute('aria-busy', String(busy));
    this.identifier.readOnly = busy;
    this.password.readOnly = busy;
    for (const button of this.demo.querySelectorAll('button')) button.disabled = busy;
    this.renderSubmit();
  }

  private setError(error: ShownError | null): void {
    this.shownError = error;
    this.renderError();
  }

  private togglePassword(): void {
    this.setPasswordVisible(this.password.type === 'password');
    this.password.focus();
  }

  private setPasswordVisible(visible: boolean): void {
    this.password.type = visible ? 'text' : 'password';
    this.renderReveal();
  }

  private fill(account: DemoAccount): void {
    if (this.busy) return;
    this.identifier.value = account.username;
    this.password.value = account.password;
    if (!this.waiting()) this.setError(null);
    this.markSelectedAccount();
    this.submit.focus();
  }

  private markSelectedAccount(): void {
    const current = this.identifier.value.trim().toLowerCase();
    for (const row of this.demo.querySelectorAll<HTMLButtonElement>('.serat-demo__row')) {
      row.classList.toggle('serat-demo__row--selected', row.dataset.username?.toLowerCase() === current);
    }
  }

  // ------------------------------------------------------------------------------ render

  private render(): void {
    this.renderBar();
    this.title.textContent = t('login.title');
    this.intro.textContent = this.regionName ? t('login.intro', { region: this.regionName }) : t('login.introNoRegion');
    for (const [label, key] of this.labels) label.textContent = t(key);
    this.help.textContent = t('login.help');
    this.renderNote();
    this.renderReveal();
    this.renderError();
    this.renderSubmit();
    this.renderDemo();
  }

  private renderBar(): void {
    if (this.root.hidden) return;
    const brand = el('div', 'serat-bar__brand');
    const names = el('div', 'serat-bar__names');
    const titleLine = el('div', 'serat-bar__title-line');
    titleLine.append(el('h1', 'serat-bar__app', t('app.name')));
    names.append(titleLine, el('div', 'serat-bar__region', this.regionName ?? t('app.tagline')));
    brand.append(logo(), names);
    this.bar.replaceChildren(brand, languageSwitch());
  }

  private renderNote(): void {
    const key: MessageKey | null = this.reason === 'expired' ? 'login.expired' : this.reason === 'signedOut' ? 'login.signedOut' : null;
    this.note.textContent = key ? t(key) : '';
    this.note.hidden = !key;
    this.note.classList.toggle('serat-login__note--warning', this.reason === 'expired');
  }

  private renderReveal(): void {
    const visible = this.password.type === 'text';
    const label = t(visible ? 'login.hidePassword' : 'login.showPassword');
    this.reveal.replaceChildren(eyeIcon(!visible));
    this.reveal.title = label;
    this.reveal.setAttribute('aria-label', label);
    this.reveal.setAttribute('aria-pressed', String(visible));
  }

  private renderError(): void {
    const error = this.shownError;
    // The server's words are in the language the request was made in; after a switch, ours.
    const text = error ? (error.server && error.lang === getLang() ? error.server : t(error.key, error.params)) : '';
    this.error.textContent = text;
    this.error.hidden = !text;
    for (const element of [this.identifier, this.password]) {
      if (text) {
        element.setAttribute('aria-describedby', this.error.id);
        element.setAttribute('aria-invalid', String(error?.key === 'login.invalid' || (error?.key === 'login.missing' && !element.value)));
      } else {
        element.removeAttribute('aria-describedby');
        element.removeAttribute('aria-invalid');
      }
    }
  }

  private renderSubmit(): void {
    const waitS = Math.ceil((this.waitUntil - Date.now()) / 1000);
    const label = this.busy ? t('login.submitting') : waitS > 0 ? t('login.wait', { seconds: waitS }) : t('login.submit');
    const spinner = el('span', 'serat-spinner');
    spinner.setAttribute('aria-hidden', 'true');
    spinner.hidden = !this.busy;
    this.submit.replaceChildren(spinner, el('span', 'serat-button__label', label));
    this.submit.disabled = this.busy || waitS > 0;
    this.submit.classList.toggle('serat-button--busy', this.busy);
  }

  private renderDemo(): void {
    const accounts = this.accounts;
    this.demo.hidden = !accounts;
    if (!accounts) {
      this.demo.replaceChildren();
      return;
    }
    const heading = el('div', 'serat-demo__heading');
    heading.append(el('h3', 'serat-demo__title', t('login.demoTitle')), el('span', 'serat-badge', t('app.demoBadge')));
    const list = el('ul', 'serat-demo__list');
    for (const account of accounts) {
      const item = el('li');
      const row = el('button', 'serat-demo__row');
      row.type = 'button';
      row.dataset.testid = `demo-account-${account.username}`;
      row.dataset.username = account.username;
      row.disabled = this.busy;
      row.title = t('login.demoFill', { username: account.username });
      const who = el('span', 'serat-demo__who');
      who.append(
        el('span', `serat-role serat-role--${/^[a-z]+$/.test(account.role) ? account.role : 'other'}`, roleLabel(account.role)),
        el('span', 'serat-demo__name', account.displayName || account.username),
      );
      const credentials = el('span', 'serat-demo__credentials');
      credentials.append(el('span', 'serat-demo__username', account.username), el('span', 'serat-demo__password', account.password));
      row.append(who, credentials);
      row.addEventListener('click', () => this.fill(account));
      item.append(row);
      list.append(item);
    }
    this.demo.replaceChildren(heading, el('p', 'serat-demo__hint', t('login.demoHint')), list);
    this.markSelectedAccount();
  }
}
