/**
 * The admin feature's entry, loaded with `import()` when an admin opens it from the user menu,
 * so nobody else's first load carries it. Each opening starts from fresh stores.
 */
import { render } from 'preact';
import './admin.css';
import { AdminScreen } from './admin-screen';
import { createAuditStore, createUsersStore } from './admin-store';

let host: HTMLElement | null = null;
/** The page under the admin screen, out of reach of Tab and screen readers while it is open. */
let covered: HTMLElement[] = [];

export function openAdmin(parent: HTMLElement): void {
  if (host) return;
  covered = [...parent.children].filter((child): child is HTMLElement => child instanceof HTMLElement && !child.inert);
  for (const element of covered) element.inert = true;
  host = document.createElement('div');
  parent.append(host);
  render(<AdminScreen users={createUsersStore()} audit={createAuditStore()} onClose={closeAdmin} />, host);
}

export function closeAdmin(): void {
  if (!host) return;
  render(null, host);
  host.remove();
  host = null;
  for (const element of covered) element.inert = false;
  covered = [];
}
