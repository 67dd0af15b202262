/**
 * The signed-in user's corner of the header: a menu with name and role, the network list, the
 * admin screens (for admins), "change password" and "sign out". Names go in as text.
 */
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useFocusRequest } from '../../shared/components';
import { roleLabel } from '../../shared/i18n';
import { lang } from '../../shared/translate';
import { t, type AccountKey } from './account.i18n';
import { MENU_BUTTON_ID, type MenuStore } from './account-store';

/** Up to two initials for the avatar, from the letters of the display name. */
export function initials(name: string): string {
  const words = name
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter(Boolean);
  const letters = words.slice(0, 2).map((word) => [...word][0].toLocaleUpperCase('id'));
  return letters.join('') || '?';
}

const roleClass = (role: string) => `serat-role serat-role--${/^[a-z]+$/.test(role) ? role : 'other'}`;

export function UserMenu({ store }: { store: MenuStore }) {
  useFocusRequest(store.focusRequest.value);
  const panel = useRef<HTMLDivElement>(null);
  const user = store.user.value;
  const open = store.open.value;
  void lang.value;

  const items = () => [...(panel.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? [])];
  // Opening the menu takes the focus to its first item.
  useEffect(() => {
    if (open) items()[0]?.focus();
  }, [open]);

  const onKey = (event: JSX.TargetedKeyboardEvent<HTMLElement>) => {
    if (!open) return;
    const list = items();
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      store.close();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      list[(index + step + list.length) % list.length]?.focus();
    } else if (event.key === 'Tab') {
      store.close(false);
    }
  };

  if (!user) return <div id="serat-user-panel" class="serat-user__panel" hidden />;
  const name = user.displayName || user.username;
  const role = roleLabel(user.role);
  const codes = user.kecamatanCodes;
  const item = (key: AccountKey, testId: string, onClick: () => void, disabled = false) => (
    <button type="button" role="menuitem" class={`serat-user__item serat-user__item--${testId}`} disabled={disabled} onClick={onClick} data-testid={testId}>
      {t(key)}
    </button>
  );

  return (
    <>
      <button
        type="button"
        id={MENU_BUTTON_ID}
        class="serat-user__button"
        aria-haspopup="menu"
        aria-controls="serat-user-panel"
        aria-expanded={open}
        title={`${name} (${role})`}
        aria-label={`${t('user.menu')}: ${name}, ${role}`}
        onClick={() => store.toggle()}
        onKeyDown={onKey}
        data-testid="user-menu"
      >
        <span class="serat-user__avatar" aria-hidden="true">
          {initials(name)}
        </span>
        <span class="serat-user__text">
          <span class="serat-user__name">{name}</span>
          <span class="serat-user__role">{role}</span>
        </span>
        <span class="serat-user__chevron" aria-hidden="true" />
      </button>
      <div id="serat-user-panel" class="serat-user__panel" hidden={!open} ref={panel} onKeyDown={onKey}>
        <div class="serat-user__identity">
          <div class="serat-user__panel-name">{name}</div>
          <div class="serat-user__panel-login">{user.email || user.username}</div>
          <div class="serat-user__tags">
            <span class={roleClass(user.role)}>{role}</span>
            <span class="serat-user__scope">{codes === null || codes === undefined ? t('user.scopeAll') : t('user.scopeSome', { count: codes.length })}</span>
          </div>
        </div>
        <div class="serat-user__menu" role="menu" aria-label={t('user.menu')}>
          {item('user.progress', 'open-progress', () => store.openProgress())}
          {item('user.inventory', 'open-inventory', () => store.openInventory())}
          {user.role === 'admin' && item('user.admin', 'open-admin', () => store.openAdmin())}
          {item('user.changePassword', 'change-password', () => store.changePassword())}
          {item('user.logout', 'logout', () => void store.logout(), store.loggingOut.value)}
        </div>
      </div>
    </>
  );
}
