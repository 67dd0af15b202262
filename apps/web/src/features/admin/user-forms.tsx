/**
 * Creating a user and changing one: role, the kecamatan a technician works in, active or not, a
 * password reset. The checks here are the API's own rules (apps/api/src/users), so a mistake is
 * named beside its field before anything is sent; what only the server knows comes back from it.
 */
import { useSignal } from '@preact/signals';
import type { Role } from '../../shared/api';
import { Button, ConfirmDialog, Field } from '../../shared/components';
import { roleLabel } from '../../shared/i18n';
import { lang } from '../../shared/translate';
import type { Kecamatan, NewUserBody, UserChanges } from './admin-api';
import { t, type AdminKey } from './admin.i18n';
import { failureOf, type Failure, type UsersStore } from './admin-store';
import { FailureMessage } from './failure-message';

export const ROLES: Role[] = ['admin', 'planner', 'technician', 'mentor', 'viewer'];

/** Only technicians are limited to kecamatan; every other role works everywhere. */
export const hasKecamatan = (role: Role) => role === 'technician';

export interface NewUserValues {
  displayName: string;
  username: string;
  email: string;
  role: Role;
  /** null: every kecamatan. */
  kecamatanCodes: string[] | null;
}

export type NewUserProblems = Partial<Record<'displayName' | 'username' | 'email' | 'kecamatanCodes', AdminKey>>;

const USERNAME = /^[a-z0-9._-]{3,40}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function newUserProblems(values: NewUserValues): NewUserProblems {
  const problems: NewUserProblems = {};
  const name = values.displayName.trim();
  if (!name) problems.displayName = 'form.required';
  else if (name.length > 120) problems.displayName = 'form.nameTooLong';
  if (!USERNAME.test(values.username.trim())) problems.username = 'form.usernameRule';
  const email = values.email.trim();
  if (!EMAIL.test(email) || email.length > 200) problems.email = 'form.emailRule';
  if (hasKecamatan(values.role) && values.kecamatanCodes !== null && values.kecamatanCodes.length === 0) problems.kecamatanCodes = 'form.kecamatanNone';
  return problems;
}

/** The body of POST /api/users: trimmed, without a password (the server makes a temporary one). */
export function newUserBody(values: NewUserValues): NewUserBody {
  return {
    displayName: values.displayName.trim(),
    username: values.username.trim(),
    email: values.email.trim(),
    role: values.role,
    kecamatanCodes: hasKecamatan(values.role) ? values.kecamatanCodes : null,
  };
}

// ---------------------------------------------------------------------------------------------

interface PickerProps {
  id: string;
  value: string[] | null;
  options: Kecamatan[];
  error?: string | null;
  onChange(value: string[] | null): void;
}

/** Everywhere, or only the kecamatan ticked. */
export function KecamatanPicker({ id, value, options, error, onChange }: PickerProps) {
  const toggle = (code: string, on: boolean) => {
    const current = value ?? [];
    onChange(on ? [...current, code] : current.filter((entry) => entry !== code));
  };
  return (
    <fieldset class="serat-admin__kecamatan" data-testid={`${id}-kecamatan`} aria-describedby={error ? `${id}-kecamatan-error` : undefined}>
      <legend class="serat-field__label">{t('form.kecamatan')}</legend>
      <label class="serat-admin__choice">
        <input type="radio" name={`${id}-scope`} checked={value === null} onChange={() => onChange(null)} data-testid={`${id}-scope-all`} />
        {t('form.kecamatanAll')}
      </label>
      <label class="serat-admin__choice">
        <input type="radio" name={`${id}-scope`} checked={value !== null} onChange={() => onChange(value ?? [])} data-testid={`${id}-scope-some`} />
        {t('form.kecamatanSome')}
      </label>
      {value !== null && (
        <div class="serat-admin__kecamatan-list">
          {options.map((option) => (
            <label key={option.code} class="serat-admin__choice">
              <input
                type="checkbox"
                value={option.code}
                checked={value.includes(option.code)}
                onChange={(event) => toggle(option.code, event.currentTarget.checked)}
                data-testid={`${id}-kecamatan-${option.code}`}
              />
              {option.name}
            </label>
          ))}
        </div>
      )}
      {error && (
        <p class="serat-field__error" id={`${id}-kecamatan-error`} role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function RoleSelect({ id, value, onChange }: { id: string; value: Role; onChange(role: Role): void }) {
  // roleLabel reads the shared table; reading lang here renders the options again on a switch.
  void lang.value;
  return (
    <select id={id} class="serat-input" value={value} onChange={(event) => onChange(event.currentTarget.value as Role)} data-testid={id}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {roleLabel(role)}
        </option>
      ))}
    </select>
  );
}

// ---------------------------------------------------------------------------------------------

export function UserCreateForm({ store, onClose }: { store: UsersStore; onClose(): void }) {
  const values = useSignal<NewUserValues>({ displayName: '', username: '', email: '', role: 'technician', kecamatanCodes: null });
  const problems = useSignal<NewUserProblems>({});
  const busy = useSignal(false);
  const failure = useSignal<Failure | null>(null);
  const set = (change: Partial<NewUserValues>) => {
    values.value = { ...values.value, ...change };
    if (failure.value) failure.value = null;
  };

  const submit = async () => {
    if (busy.value) return;
    const found = newUserProblems(values.value);
    problems.value = found;
    if (Object.keys(found).length) return;
    busy.value = true;
    failure.value = null;
    try {
      await store.create(newUserBody(values.value));
      onClose();
    } catch (error) {
      failure.value = failureOf(error);
    } finally {
      busy.value = false;
    }
  };

  const v = values.value;
  const problem = (key: keyof NewUserProblems) => {
    const found = problems.value[key];
    return found ? t(found) : null;
  };
  const input = (key: 'displayName' | 'username' | 'email', type: string, autocomplete: string) => (
    <input
      id={`user-new-${key}`}
      class="serat-input"
      type={type}
      autocomplete={autocomplete}
      value={v[key]}
      onInput={(event) => set({ [key]: event.currentTarget.value })}
      aria-invalid={problems.value[key] ? 'true' : undefined}
      aria-describedby={problems.value[key] ? `user-new-${key}-error` : undefined}
      data-testid={`user-new-${key}`}
    />
  );

  return (
    <form
      class="serat-admin__card"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      noValidate
      aria-labelledby="user-new-title"
      data-testid="user-new-form"
    >
      <h3 id="user-new-title">{t('users.newTitle')}</h3>
      <p class="serat-admin__hint">{t('users.newHint')}</p>
      <Field id="user-new-displayName" label={t('form.name')} error={problem('displayName')}>
        {input('displayName', 'text', 'off')}
      </Field>
      <Field id="user-new-username" label={t('form.username')} error={problem('username')} hint={t('form.usernameHint')}>
        {input('username', 'text', 'off')}
      </Field>
      <Field id="user-new-email" label={t('form.email')} error={problem('email')}>
        {input('email', 'email', 'off')}
      </Field>
      <Field id="user-new-role" label={t('form.role')}>
        <RoleSelect id="user-new-role" value={v.role} onChange={(role) => set({ role })} />
      </Field>
      {hasKecamatan(v.role) && (
        <KecamatanPicker
          id="user-new"
          value={v.kecamatanCodes}
          options={store.kecamatan.value}
          error={problem('kecamatanCodes')}
          onChange={(kecamatanCodes) => set({ kecamatanCodes })}
        />
      )}
      <FailureMessage failure={failure.value} testId="user-new-error" />
      <div class="serat-admin__buttons">
        <Button onClick={onClose} disabled={busy.value} data-testid="user-new-cancel">
          {t('form.cancel')}
        </Button>
        <Button type="submit" variant="primary" busy={busy.value} data-testid="user-new-submit">
          {t('users.create')}
        </Button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------

/** What the edit form would change, compared with the user as stored. */
export function userChanges(
  stored: { displayName: string; role: Role; kecamatanCodes: string[] | null },
  edited: { displayName: string; role: Role; kecamatanCodes: string[] | null },
): UserChanges {
  const changes: UserChanges = {};
  const name = edited.displayName.trim();
  if (name && name !== stored.displayName) changes.displayName = name;
  if (edited.role !== stored.role) changes.role = edited.role;
  const codes = hasKecamatan(edited.role) ? edited.kecamatanCodes : null;
  const sameCodes = codes === null || stored.kecamatanCodes === null ? codes === stored.kecamatanCodes : [...codes].sort().join() === [...stored.kecamatanCodes].sort().join();
  if (!sameCodes) changes.kecamatanCodes = codes === null ? null : [...codes].sort();
  return changes;
}

export function UserEditor({ store }: { store: UsersStore }) {
  const user = store.selected.value!;
  const displayName = useSignal(user.displayName);
  const role = useSignal<Role>(user.role);
  const kecamatanCodes = useSignal<string[] | null>(user.kecamatanCodes);
  const busy = useSignal<'save' | 'active' | 'reset' | null>(null);
  const failure = useSignal<Failure | null>(null);
  const saved = useSignal(false);
  /** Deactivating and resetting the password end the user's sessions: asked first. */
  const asking = useSignal<'deactivate' | 'reset' | null>(null);

  const changes = userChanges(user, { displayName: displayName.value, role: role.value, kecamatanCodes: kecamatanCodes.value });
  const nameProblem = displayName.value.trim() ? null : t('form.required');
  const kecamatanProblem = hasKecamatan(role.value) && kecamatanCodes.value !== null && kecamatanCodes.value.length === 0 ? t('form.kecamatanNone') : null;

  const run = async (kind: 'save' | 'active' | 'reset', body: UserChanges) => {
    if (busy.value) return;
    busy.value = kind;
    failure.value = null;
    saved.value = false;
    try {
      const answer = await store.update(user.id, body);
      displayName.value = answer.displayName;
      role.value = answer.role;
      kecamatanCodes.value = answer.kecamatanCodes;
      saved.value = kind === 'save';
    } catch (error) {
      failure.value = failureOf(error);
    } finally {
      busy.value = null;
    }
  };
  const edit = (change: () => void) => {
    change();
    saved.value = false;
    failure.value = null;
  };

  return (
    <section class="serat-admin__card" aria-labelledby="user-edit-title" data-testid="user-editor">
      <div class="serat-admin__card-head">
        <h3 id="user-edit-title">{t('users.editTitle', { name: user.displayName })}</h3>
        <button type="button" class="serat-dialog__close" aria-label={t('form.close')} title={t('form.close')} onClick={() => store.select(null)} data-testid="user-edit-close">
          ×
        </button>
      </div>
      <p class="serat-admin__login">
        {user.username} · {user.email}
      </p>
      <p class="serat-admin__state" data-testid="user-edit-state">
        {user.active ? t('users.active') : t('users.inactive')}
        {user.mustChangePassword && ` · ${t('users.mustChange')}`}
      </p>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!nameProblem && !kecamatanProblem && Object.keys(changes).length) void run('save', changes);
        }}
      >
        <Field id="user-edit-displayName" label={t('form.name')} error={nameProblem}>
          <input
            id="user-edit-displayName"
            class="serat-input"
            value={displayName.value}
            onInput={(event) => edit(() => (displayName.value = event.currentTarget.value))}
            aria-invalid={nameProblem ? 'true' : undefined}
            data-testid="user-edit-displayName"
          />
        </Field>
        <Field id="user-edit-role" label={t('form.role')}>
          <RoleSelect id="user-edit-role" value={role.value} onChange={(next) => edit(() => (role.value = next))} />
        </Field>
        {hasKecamatan(role.value) && (
          <KecamatanPicker
            id="user-edit"
            value={kecamatanCodes.value}
            options={store.kecamatan.value}
            error={kecamatanProblem}
            onChange={(next) => edit(() => (kecamatanCodes.value = next))}
          />
        )}
        <FailureMessage failure={failure.value} testId="user-edit-error" />
        {saved.value && (
          <p class="serat-admin__saved" role="status" data-testid="user-edit-saved">
            {t('users.saved')}
          </p>
        )}
        <div class="serat-admin__buttons">
          <Button
            type="submit"
            variant="primary"
            busy={busy.value === 'save'}
            disabled={busy.value !== null || !Object.keys(changes).length || Boolean(nameProblem || kecamatanProblem)}
            data-testid="user-edit-save"
          >
            {t('users.save')}
          </Button>
        </div>
      </form>
      <div class="serat-admin__buttons serat-admin__buttons--actions">
        <Button
          busy={busy.value === 'active'}
          disabled={busy.value !== null}
          onClick={() => (user.active ? (asking.value = 'deactivate') : void run('active', { active: true }))}
          data-testid={user.active ? 'user-deactivate' : 'user-reactivate'}
        >
          {user.active ? t('users.deactivate') : t('users.reactivate')}
        </Button>
        <Button busy={busy.value === 'reset'} disabled={busy.value !== null} onClick={() => (asking.value = 'reset')} data-testid="user-reset-password">
          {t('users.resetPassword')}
        </Button>
      </div>
      {asking.value && (
        <ConfirmDialog
          title={t(asking.value === 'deactivate' ? 'users.deactivateTitle' : 'users.resetTitle', { name: user.displayName })}
          message={t(asking.value === 'deactivate' ? 'users.deactivateAsk' : 'users.resetAsk', { username: user.username })}
          confirmLabel={t(asking.value === 'deactivate' ? 'users.deactivateConfirm' : 'users.resetConfirm')}
          cancelLabel={t('users.confirmCancel')}
          danger
          onCancel={() => (asking.value = null)}
          onConfirm={() => {
            const what = asking.value;
            asking.value = null;
            void (what === 'deactivate' ? run('active', { active: false }) : run('reset', { resetPassword: true }));
          }}
          testId={asking.value === 'deactivate' ? 'user-deactivate-confirm' : 'user-reset-confirm'}
        />
      )}
    </section>
  );
}

/** A temporary password, shown this once: the server keeps only its hash. */
export function TemporaryPasswordNotice({ store }: { store: UsersStore }) {
  const shown = store.temporaryPassword.value;
  if (!shown) return null;
  return (
    <div class="serat-admin__password" role="status" data-testid="temporary-password">
      <p>{t('users.temporaryPassword', { username: shown.username })}</p>
      <code data-testid="temporary-password-value">{shown.password}</code>
      <p class="serat-admin__hint">{t('users.temporaryPasswordHint')}</p>
      <Button onClick={() => store.dismissPassword()} data-testid="temporary-password-done">
        {t('users.temporaryPasswordDone')}
      </Button>
    </div>
  );
}
