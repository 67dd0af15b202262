/**
 * The small UI parts that features share: buttons and labelled fields with the app's look
 * (styles.css). Text comes in as children and props, so Preact escapes it.
 */
import { Fragment, type ComponentChildren, type JSX } from 'preact';
import { STATUS_SYMBOLS, UNKNOWN_STATUS_SYMBOL } from '../../../../libs/contract/src';
import { LANGUAGES, setLang, statusLabel, t } from './i18n';
import { lang } from './translate';
import { NETWORK_STATUSES, type NetworkStatus } from './vocabulary';

type ButtonProps = Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'class' | 'className'> & {
  variant?: 'primary' | 'secondary';
  /** Shows a spinner and refuses clicks while an action is under way. */
  busy?: boolean;
  /** A class of the feature's own beside the button's look (its place in a row, its size). */
  extraClass?: string;
};

export function Button({ variant = 'secondary', busy = false, type = 'button', disabled, extraClass, children, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      class={`serat-button serat-button--${variant}${busy ? ' serat-button--busy' : ''}${extraClass ? ` ${extraClass}` : ''}`}
      disabled={Boolean(disabled) || busy}
      aria-busy={busy}
    >
      {busy && <span class="serat-spinner" aria-hidden="true" />}
      <span class="serat-button__label">{children}</span>
    </button>
  );
}

interface FieldProps {
  /** The id of the control inside, for the label. */
  id: string;
  label: string;
  /** A problem with the value, shown under it and announced with the control. */
  error?: string | null;
  hint?: string;
  children: ComponentChildren;
}

export function Field({ id, label, error, hint, children }: FieldProps) {
  return (
    <div class="serat-field">
      <label class="serat-field__label" for={id}>
        {label}
      </label>
      <div class="serat-field__control">{children}</div>
      {hint && <p class="serat-field__hint">{hint}</p>}
      {error && (
        <p class="serat-field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** How far a job has come, in percent (clamped to 0–100), as a bar with the figure on it. */
export function ProgressBar({ percent, label, testId }: { percent: number; label: string; testId?: string }) {
  const value = Math.max(0, Math.min(100, Math.round(Number(percent) || 0)));
  return (
    <div class="serat-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} aria-label={label} data-testid={testId}>
      <div class="serat-progress__fill" style={{ width: `${value}%` }} />
      <span class="serat-progress__text">{`${value}%`}</span>
    </div>
  );
}

/** The ID | EN switch for screens that cover the header (the same choice as the header's). */
export function LanguageSwitch() {
  const current = lang.value;
  return (
    <div class="serat-lang" role="group" aria-label={t('lang.label')}>
      {LANGUAGES.map((code, index) => (
        <Fragment key={code}>
          {index > 0 && <span class="serat-lang__sep">|</span>}
          <button
            type="button"
            class="serat-lang__button"
            lang={code}
            title={t(code === 'id' ? 'lang.idName' : 'lang.enName')}
            aria-pressed={current === code}
            onClick={() => setLang(code)}
            data-testid={`lang-${code}`}
          >
            {t(code === 'id' ? 'lang.id' : 'lang.en')}
          </button>
        </Fragment>
      ))}
    </div>
  );
}

/** A status as a coloured dot and its name, in the map's colour for it (the contract's). */
export function StatusChip({ status }: { status: string }) {
  const symbol = (NETWORK_STATUSES as readonly string[]).includes(status) ? STATUS_SYMBOLS[status as NetworkStatus] : UNKNOWN_STATUS_SYMBOL;
  return (
    <span class="serat-chip">
      <span class="serat-chip__dot" style={{ backgroundColor: symbol.color }} />
      <span>{statusLabel(status)}</span>
    </span>
  );
}

/** "Rusak → Aktif": a move from one status to another; without a `from`, the status alone. */
export function StatusMove({ from, to, arrowClass }: { from: string | null | undefined; to: string; arrowClass: string }) {
  return (
    <>
      {from && (
        <>
          <StatusChip status={from} />
          <span class={arrowClass} aria-hidden="true">
            →
          </span>
        </>
      )}
      <StatusChip status={to} />
    </>
  );
}
