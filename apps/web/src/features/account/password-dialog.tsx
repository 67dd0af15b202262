/**
 * The change-password form inside the adapter's <dialog>: the current password, the new one
 * twice, and for a temporary password the note that it must be changed first (the way out is
 * signing out). Server messages go in as text.
 */
import { useFocusRequest } from '../../shared/components';
import { lang } from '../../shared/translate';
import { t, type AccountKey } from './account.i18n';
import { passwordInputId, type PasswordField, type PasswordStore } from './account-store';

const FIELDS: Array<[PasswordField, AccountKey, 'current-password' | 'new-password']> = [
  ['current', 'password.current', 'current-password'],
  ['new', 'password.new', 'new-password'],
  ['repeat', 'password.repeat', 'new-password'],
];

export function PasswordForm({ store, onClose }: { store: PasswordStore; onClose(): void }) {
  useFocusRequest(store.focusRequest.value);
  const required = store.required.value;
  const busy = store.busy.value;
  const error = store.error.value;
  const sameLanguage = error?.lang === lang.value;
  return (
    <form
      class="serat-dialog__form"
      noValidate
      aria-busy={busy}
      onSubmit={(event) => {
        event.preventDefault();
        void store.submit();
      }}
    >
      <div class="serat-dialog__head">
        <h2 class="serat-dialog__title" id="serat-password-title">
          {t('password.title')}
        </h2>
        <button type="button" class="serat-dialog__close" hidden={required} disabled={busy} title={t('password.cancel')} aria-label={t('password.cancel')} onClick={onClose}>
          ×
        </button>
      </div>
      <p class="serat-dialog__note" hidden={!required}>
        {t('password.required')}
      </p>
      {/* For password managers: which account this new password belongs to. */}
      <input class="serat-visually-hidden" type="text" autocomplete="username" readOnly tabIndex={-1} aria-hidden="true" value={store.username.value} />
      {FIELDS.map(([field, label, autocomplete]) => (
        <div class="serat-field" key={field}>
          <label class="serat-field__label" for={passwordInputId(field)}>
            {t(label)}
          </label>
          <div class="serat-field__control">
            <input
              class="serat-input"
              type="password"
              id={passwordInputId(field)}
              autocomplete={autocomplete}
              required
              readOnly={busy}
              value={store.values.value[field]}
              onInput={(event) => store.type(field, event.currentTarget.value)}
              data-testid={`password-${field}`}
            />
          </div>
        </div>
      ))}
      <div class="serat-dialog__error" role="alert" hidden={!error} data-testid="password-error">
        {error && <p class="serat-dialog__error-text">{error.server && sameLanguage ? error.server : t(error.key, error.params)}</p>}
        {error && sameLanguage && error.list.length > 0 && (
          <ul class="serat-dialog__error-list">
            {error.list.map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ul>
        )}
      </div>
      <div class="serat-dialog__buttons">
        <button type="button" class="serat-button serat-button--secondary" disabled={busy} onClick={() => void store.cancel()} data-testid="password-cancel">
          {t(required ? 'user.logout' : 'password.cancel')}
        </button>
        <button type="submit" class="serat-button serat-button--primary" disabled={busy} data-testid="password-save">
          <span class="serat-spinner" aria-hidden="true" hidden={!busy} />
          <span class="serat-button__label">{t(busy ? 'password.saving' : 'password.save')}</span>
        </button>
      </div>
    </form>
  );
}
