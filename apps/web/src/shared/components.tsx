/**
 * The small UI parts that features share: buttons and labelled fields with the app's look
 * (styles.css). Text comes in as children and props, so Preact escapes it.
 */
import { Fragment, type ComponentChildren, type JSX } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { STATUS_SYMBOLS, UNKNOWN_STATUS_SYMBOL } from '../../../../libs/contract/src';
import type { FocusRequest } from './focus';
import { LANGUAGES, setLang, statusLabel, t } from './i18n';
import { lang } from './translate';
import { NETWORK_STATUSES, type NetworkStatus } from './vocabulary';

type ButtonProps = Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'class' | 'className'> & {
  variant?: 'primary' | 'secondary';
  /** Shows a spinner and refuses clicks while an action is under way. */
  busy?: boolean;
  /** A class of the feature's own beside the button's look (its place in a row, its size). */
  extraClass?: string;
  /** An action that removes or ends something (drawn in the warning colour). */
  danger?: boolean;
};

export function Button({ variant = 'secondary', busy = false, danger = false, type = 'button', disabled, extraClass, children, ...rest }: ButtonProps) {
  const look = `serat-button serat-button--${variant}${danger ? (variant === 'primary' ? ' serat-button--danger-primary' : ' serat-button--danger') : ''}${busy ? ' serat-button--busy' : ''}${extraClass ? ` ${extraClass}` : ''}`;
  return (
    <button {...rest} type={type} class={look} disabled={Boolean(disabled) || busy} aria-busy={busy}>
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

/** Carries out a store's focus request (shared/focus.ts) once the element is drawn. */
export function useFocusRequest(request: FocusRequest | null): void {
  useEffect(() => {
    if (!request) return;
    const element = document.getElementById(request.id);
    element?.focus();
    if (request.select && element instanceof HTMLInputElement) element.select();
  }, [request]);
}

/** Three strands converging: the Serat mark, drawn in SVG so it needs no asset. */
export function Logo() {
  return (
    <svg viewBox="0 0 32 32" width="28" height="28" class="serat-bar__logo" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="#1f9d55" />
      {(
        [
          ['M5 9 C13 9, 15 16, 27 16', '#ffffff'],
          ['M5 16 L27 16', '#c9f2d9'],
          ['M5 23 C13 23, 15 16, 27 16', '#ffffff'],
        ] as const
      ).map(([d, stroke]) => (
        <path key={d} d={d} fill="none" stroke={stroke} stroke-width="2.4" stroke-linecap="round" />
      ))}
      <circle cx="26" cy="16" r="3" fill="#ffffff" />
    </svg>
  );
}

interface ConfirmProps {
  title: string;
  message: string;
  confirmLabel: string;
  cancelLabel: string;
  /** The action removes or ends something: the confirm button says so in its colour. */
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
  /** data-testid of the dialog; its buttons are `<testId>-confirm` and `<testId>-cancel`. */
  testId?: string;
}

/**
 * Asks before an action that cannot simply be taken back, over the screen it was opened from. The
 * focus goes to "cancel" (the safe answer, so Enter is no accident), Tab stays inside, Escape
 * cancels without closing what lies under it, and the focus returns where it was.
 */
export function ConfirmDialog({ title, message, confirmLabel, cancelLabel, danger = false, onConfirm, onCancel, testId = 'confirm' }: ConfirmProps) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const before = document.activeElement;
    cancel.current?.focus();
    return () => {
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);

  const onKeyDown = (event: JSX.TargetedKeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      // Only this question: a screen under it that closes on Escape stays open.
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    } else if (event.key === 'Tab') {
      const buttons = [...(box.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
      if (!buttons.length) return;
      const first = buttons[0];
      const last = buttons[buttons.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  };

  return (
    <div class="serat-confirm" onClick={(event) => event.target === event.currentTarget && onCancel()}>
      <div
        ref={box}
        class="serat-confirm__box"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-text`}
        onKeyDown={onKeyDown}
        data-testid={testId}
      >
        <h2 class="serat-confirm__title" id={`${id}-title`}>
          {title}
        </h2>
        <p class="serat-confirm__text" id={`${id}-text`}>
          {message}
        </p>
        <div class="serat-confirm__buttons">
          <button type="button" ref={cancel} class="serat-button serat-button--secondary" onClick={onCancel} data-testid={`${testId}-cancel`}>
            <span class="serat-button__label">{cancelLabel}</span>
          </button>
          <Button variant="primary" danger={danger} onClick={onConfirm} data-testid={`${testId}-confirm`}>
            {confirmLabel}
          </Button>
        </div>
      </div>
    </div>
  );
}
