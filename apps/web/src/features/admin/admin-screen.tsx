import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { LanguageSwitch } from '../../shared/components';
import { t } from './admin.i18n';
import type { AuditStore, UsersStore } from './admin-store';
import { AuditPage } from './audit-page';
import { UsersPage } from './users-page';

type Tab = 'users' | 'audit';

/** The admin screen over the map: users or the audit log; Escape or × goes back to the map. */
export function AdminScreen({ users, audit, onClose }: { users: UsersStore; audit: AuditStore; onClose(): void }) {
  const tab = useSignal<Tab>('users');
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    closeButton.current?.focus();
    void users.first();
    void users.loadKecamatan();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const open = (next: Tab) => {
    tab.value = next;
    // The log is read when it is looked at, so it shows what was just done on the users tab.
    if (next === 'audit') {
      void audit.reload();
      void audit.loadActors();
    }
  };
  const tabButton = (name: Tab) => (
    <button
      type="button"
      role="tab"
      id={`admin-tab-${name}`}
      aria-selected={tab.value === name}
      aria-controls="admin-panel"
      class="serat-admin__tab"
      onClick={() => open(name)}
      data-testid={`admin-tab-${name}`}
    >
      {t(name === 'users' ? 'admin.users' : 'admin.audit')}
    </button>
  );

  return (
    <div class="serat-admin" role="dialog" aria-modal="true" aria-labelledby="admin-title" data-testid="admin-screen">
      <header class="serat-admin__head">
        <h2 id="admin-title">{t('admin.title')}</h2>
        <div class="serat-admin__tabs" role="tablist" aria-label={t('admin.tabs')}>
          {tabButton('users')}
          {tabButton('audit')}
        </div>
        <LanguageSwitch />
        <button
          type="button"
          ref={closeButton}
          class="serat-dialog__close serat-admin__close"
          aria-label={t('admin.close')}
          title={t('admin.close')}
          onClick={onClose}
          data-testid="admin-close"
        >
          ×
        </button>
      </header>
      <main id="admin-panel" class="serat-admin__body" role="tabpanel" aria-labelledby={`admin-tab-${tab.value}`}>
        {tab.value === 'users' ? <UsersPage store={users} /> : <AuditPage store={audit} />}
      </main>
    </div>
  );
}
