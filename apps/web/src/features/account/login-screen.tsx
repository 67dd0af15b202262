/**
 * The sign-in screen: the header bar of the map (logo, name, region, ID | EN) on top, the form in
 * a card, and on a demo installation the demo accounts below it. Everything from the server goes
 * in as text.
 */
import { LanguageSwitch, Logo, useFocusRequest } from '../../shared/components';
import { roleLabel, t as sharedT } from '../../shared/i18n';
import { lang } from '../../shared/translate';
import { t } from './account.i18n';
import { LOGIN_IDS, type LoginStore } from './login-store';

const STROKE = { fill: 'none', stroke: 'currentColor', 'stroke-width': '1.6', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' } as const;

function EyeIcon({ open }: { open: boolean }) {
  return (
    <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
      <path d="M1.8 10S4.8 4.5 10 4.5 18.2 10 18.2 10 15.2 15.5 10 15.5 1.8 10 1.8 10Z" {...STROKE} />
      <circle cx="10" cy="10" r="2.6" {...STROKE} />
      {!open && <path d="M3.5 16.5 16.5 3.5" {...STROKE} />}
    </svg>
  );
}

const STRANDS = [
  'M-40 120 C 260 140, 420 330, 760 360 S 1100 300, 1260 330',
  'M-40 300 C 240 300, 480 380, 760 360 S 1080 470, 1260 520',
  'M-40 520 C 300 520, 500 400, 760 360 S 1000 180, 1260 120',
  'M-40 700 C 320 690, 560 470, 760 360',
  'M180 -40 C 240 200, 520 300, 760 360',
  'M760 360 C 900 520, 980 700, 1020 860',
];
const DOTS = [
  [760, 360, 7],
  [420, 300, 4],
  [300, 522, 4],
  [1020, 300, 4],
  [560, 470, 4],
];

/** The decoration behind the card: fibre strands running to a node, in the bar's colours. */
function Backdrop() {
  return (
    <svg class="serat-login__backdrop" viewBox="0 0 1200 800" preserveAspectRatio="xMidYMid slice" aria-hidden="true">
      {STRANDS.map((d, index) => (
        <path key={d} d={d} fill="none" stroke={index % 2 ? '#1f9d55' : '#5aa9e6'} stroke-opacity={index % 2 ? '0.22' : '0.14'} stroke-width={index % 3 ? '2' : '3'} />
      ))}
      {DOTS.map(([cx, cy, r]) => (
        <circle key={`${cx}-${cy}`} cx={String(cx)} cy={String(cy)} r={String(r)} fill="#c9f2d9" fill-opacity={r > 5 ? '0.35' : '0.2'} />
      ))}
    </svg>
  );
}

const roleClass = (role: string) => `serat-role serat-role--${/^[a-z]+$/.test(role) ? role : 'other'}`;

function DemoAccounts({ store }: { store: LoginStore }) {
  const accounts = store.accounts.value;
  if (!accounts) return <section class="serat-login__demo" hidden data-testid="demo-accounts" />;
  const current = store.identifier.value.trim().toLowerCase();
  return (
    <section class="serat-login__demo" data-testid="demo-accounts">
      <div class="serat-demo__heading">
        <h3 class="serat-demo__title">{t('login.demoTitle')}</h3>
        <span class="serat-badge">{sharedT('app.demoBadge')}</span>
      </div>
      <p class="serat-demo__hint">{t('login.demoHint')}</p>
      <ul class="serat-demo__list">
        {accounts.map((account) => (
          <li key={account.username}>
            <button
              type="button"
              class={`serat-demo__row${account.username.toLowerCase() === current ? ' serat-demo__row--selected' : ''}`}
              data-testid={`demo-account-${account.username}`}
              data-username={account.username}
              disabled={store.busy.value}
              title={t('login.demoFill', { username: account.username })}
              onClick={() => store.fill(account)}
            >
              <span class="serat-demo__who">
                <span class={roleClass(account.role)}>{roleLabel(account.role)}</span>
                <span class="serat-demo__name">{account.displayName || account.username}</span>
              </span>
              <span class="serat-demo__credentials">
                <span class="serat-demo__username">{account.username}</span>
                <span class="serat-demo__password">{account.password}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function LoginScreen({ store }: { store: LoginStore }) {
  useFocusRequest(store.focusRequest.value);
  const current = lang.value;
  const error = store.error.value;
  const busy = store.busy.value;
  const reason = store.reason.value;
  const region = store.region.value;
  const waitS = store.waitS.value;
  const revealed = store.passwordVisible.value;
  // The server's words are in the language the request was made in; after a switch, ours.
  const errorText = error ? (error.server && error.lang === current ? error.server : t(error.key, error.params)) : '';
  const note = reason === 'expired' ? t('login.expired') : reason === 'signedOut' ? t('login.signedOut') : null;
  const revealLabel = t(revealed ? 'login.hidePassword' : 'login.showPassword');
  const invalid = (value: string) =>
    errorText ? { 'aria-describedby': 'serat-login-error', 'aria-invalid': error?.key === 'login.invalid' || (error?.key === 'login.missing' && !value) } : {};
  const common = { class: 'serat-input', spellcheck: false, autocapitalize: 'none', autocorrect: 'off', required: true, readOnly: busy } as const;

  return (
    <>
      <Backdrop />
      <header class="serat-bar serat-login__bar">
        {/* One ID | EN switch in the page at a time: the header has its own once signed in. */}
        {store.visible.value && (
          <>
            <div class="serat-bar__brand">
              <Logo />
              <div class="serat-bar__names">
                <div class="serat-bar__title-line">
                  <h1 class="serat-bar__app">{sharedT('app.name')}</h1>
                </div>
                <div class="serat-bar__region">{region ?? sharedT('app.tagline')}</div>
              </div>
            </div>
            <LanguageSwitch />
          </>
        )}
      </header>
      <main class="serat-login__main">
        <section class="serat-login__card" aria-labelledby="serat-login-title">
          <h2 class="serat-login__title" id="serat-login-title">
            {t('login.title')}
          </h2>
          <p class="serat-login__intro">{region ? t('login.intro', { region }) : t('login.introNoRegion')}</p>
          <p class={`serat-login__note${reason === 'expired' ? ' serat-login__note--warning' : ''}`} role="status" hidden={!note}>
            {note ?? ''}
          </p>
          <form
            class="serat-login__form"
            noValidate
            aria-busy={busy}
            onSubmit={(event) => {
              event.preventDefault();
              void store.signIn();
            }}
            data-testid="login-form"
          >
            <div class="serat-field">
              <label class="serat-field__label" for={LOGIN_IDS.identifier}>
                {t('login.identifier')}
              </label>
              <div class="serat-field__control">
                <input
                  {...common}
                  {...invalid(store.identifier.value)}
                  id={LOGIN_IDS.identifier}
                  name={LOGIN_IDS.identifier}
                  type="text"
                  autocomplete="username"
                  inputMode="email"
                  value={store.identifier.value}
                  onInput={(event) => store.type('identifier', event.currentTarget.value)}
                  data-testid="login-identifier"
                />
              </div>
            </div>
            <div class="serat-field serat-field--with-button">
              <label class="serat-field__label" for={LOGIN_IDS.password}>
                {t('login.password')}
              </label>
              <div class="serat-field__control">
                <input
                  {...common}
                  {...invalid(store.password.value)}
                  id={LOGIN_IDS.password}
                  name={LOGIN_IDS.password}
                  type={revealed ? 'text' : 'password'}
                  autocomplete="current-password"
                  value={store.password.value}
                  onInput={(event) => store.type('password', event.currentTarget.value)}
                  data-testid="login-password"
                />
                <button
                  type="button"
                  class="serat-field__reveal"
                  title={revealLabel}
                  aria-label={revealLabel}
                  aria-pressed={revealed}
                  onClick={() => store.togglePassword()}
                  data-testid="login-reveal"
                >
                  <EyeIcon open={!revealed} />
                </button>
              </div>
            </div>
            <p class="serat-login__error" id="serat-login-error" role="alert" hidden={!errorText} data-testid="login-error">
              {errorText}
            </p>
            <button
              type="submit"
              id={LOGIN_IDS.submit}
              class={`serat-button serat-button--primary serat-login__submit${busy ? ' serat-button--busy' : ''}`}
              disabled={busy || waitS > 0}
              data-testid="login-submit"
            >
              <span class="serat-spinner" aria-hidden="true" hidden={!busy} />
              <span class="serat-button__label">{busy ? t('login.submitting') : waitS > 0 ? t('login.wait', { count: waitS }) : t('login.submit')}</span>
            </button>
          </form>
          <p class="serat-login__help">{t('login.help')}</p>
        </section>
        <DemoAccounts store={store} />
      </main>
    </>
  );
}
