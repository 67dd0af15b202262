/**
 * The network list's entry, loaded with `import()` when someone first opens it from the user
 * menu, so nobody's first load carries it. The filters, sorts and pages are kept while the same
 * person signs in, so that after a row is shown on the map the list opens again as it was left.
 */
import { render } from 'preact';
import './inventory.css';
import { InventoryScreen } from './inventory-screen';
import { createInventoryStore, type InventoryDeps, type InventoryStore } from './inventory-store';

export type { Subject } from './inventory-store';

export interface OpenDeps extends InventoryDeps {
  /** Whose list it is: another user (or a new role) starts from a fresh one. */
  userId: string;
}

let host: HTMLElement | null = null;
/** The page under the screen, out of reach of Tab and screen readers while it is open. */
let covered: HTMLElement[] = [];
let kept: { store: InventoryStore; userId: string; role: string } | null = null;
/** Where the focus was, to give it back when the list closes without showing a row. */
let before: Element | null = null;

export function openInventory(parent: HTMLElement, deps: OpenDeps): void {
  if (host) return;
  if (!kept || kept.userId !== deps.userId || kept.role !== deps.role) {
    kept?.store.dispose();
    kept = { store: createInventoryStore(deps), userId: deps.userId, role: deps.role };
  }
  before = document.activeElement;
  covered = [...parent.children].filter((child): child is HTMLElement => child instanceof HTMLElement && !child.inert);
  for (const element of covered) element.inert = true;
  host = document.createElement('div');
  parent.append(host);
  render(<InventoryScreen store={kept.store} onClose={() => closeInventory()} />, host);
}

/** Closes the screen; `forget` (on sign-out) drops the kept filters and pages too. */
export function closeInventory(forget = false): void {
  if (host) {
    render(null, host);
    host.remove();
    host = null;
    for (const element of covered) element.inert = false;
    covered = [];
    if (before instanceof HTMLElement && before.isConnected && document.activeElement === document.body) before.focus();
    before = null;
  }
  if (forget) {
    kept?.store.dispose();
    kept = null;
  }
}
