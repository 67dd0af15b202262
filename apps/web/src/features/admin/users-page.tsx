import { useSignal } from '@preact/signals';
import { Button } from '../../shared/components';
import { roleLabel } from '../../shared/i18n';
import { lang } from '../../shared/translate';
import type { AdminUser, Kecamatan } from './admin-api';
import { t } from './admin.i18n';
import type { UsersStore } from './admin-store';
import { FailureMessage } from './failure-message';
import { PagerBar } from './pager';
import { TemporaryPasswordNotice, UserCreateForm, UserEditor } from './user-forms';

function scopeText(user: AdminUser, kecamatan: Kecamatan[]): string {
  if (user.kecamatanCodes === null) return t('users.scopeAll');
  const names = user.kecamatanCodes.map((code) => kecamatan.find((entry) => entry.code === code)?.name ?? code);
  return names.length ? names.join(', ') : t('users.scopeNone');
}

/** The users a page at a time by username, searched on the server; one opens in the editor. */
export function UsersPage({ store }: { store: UsersStore }) {
  const draft = useSignal(store.search.value);
  const creating = useSignal(false);
  void lang.value;
  const users = store.items.value;
  const selected = store.selected.value;

  return (
    <div class="serat-admin__page-body" data-testid="admin-users">
      <div class="serat-admin__toolbar">
        <form
          role="search"
          class="serat-admin__search"
          onSubmit={(event) => {
            event.preventDefault();
            void store.setSearch(draft.value);
          }}
        >
          <label class="serat-visually-hidden" for="users-search">
            {t('users.search')}
          </label>
          <input
            id="users-search"
            class="serat-input"
            type="search"
            value={draft.value}
            placeholder={t('users.searchPlaceholder')}
            onInput={(event) => (draft.value = event.currentTarget.value)}
            data-testid="users-search"
          />
          <Button type="submit" data-testid="users-search-submit">
            {t('users.search')}
          </Button>
        </form>
        <Button
          variant="primary"
          onClick={() => {
            store.select(null);
            creating.value = true;
          }}
          data-testid="user-new"
        >
          {t('users.new')}
        </Button>
      </div>
      <TemporaryPasswordNotice store={store} />
      <div class="serat-admin__split">
        <div class="serat-admin__list">
          <FailureMessage failure={store.failure.value} testId="users-error" />
          <table class="serat-admin__table" aria-busy={store.loading.value} data-testid="users-table">
            <caption class="serat-visually-hidden">{t('users.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('users.name')}</th>
                <th scope="col">{t('users.login')}</th>
                <th scope="col">{t('form.role')}</th>
                <th scope="col">{t('form.kecamatan')}</th>
                <th scope="col">{t('users.state')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} class={user.id === selected?.id ? 'is-selected' : undefined} data-testid={`user-row-${user.username}`}>
                  <td>
                    <button
                      type="button"
                      class="serat-admin__link"
                      onClick={() => {
                        creating.value = false;
                        store.select(user);
                      }}
                      data-testid={`user-open-${user.username}`}
                    >
                      {user.displayName}
                    </button>
                  </td>
                  <td>
                    {user.username}
                    <br />
                    <span class="serat-admin__muted">{user.email}</span>
                  </td>
                  <td data-testid="user-role">{roleLabel(user.role)}</td>
                  <td>{scopeText(user, store.kecamatan.value)}</td>
                  <td data-testid="user-state">{user.active ? t('users.active') : t('users.inactive')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!store.loading.value && !store.failure.value && users.length === 0 && (
            <p class="serat-admin__empty" data-testid="users-empty">
              {store.search.value ? t('users.noneFound', { search: store.search.value }) : t('users.none')}
            </p>
          )}
          <PagerBar pager={store} testId="users-pager" />
        </div>
        {creating.value && <UserCreateForm store={store} onClose={() => (creating.value = false)} />}
        {!creating.value && selected && <UserEditor key={selected.id} store={store} />}
      </div>
    </div>
  );
}
