/**
 * The progress dashboard's entry, loaded with `import()` when someone first opens it from the user
 * menu, so nobody's first load carries it.
 */
import { render } from 'preact';
import './progress.css';
import { ProgressScreen } from './progress-screen';
import { createProgressStore, type ProgressDeps, type ProgressStore } from './progress-store';

let host: HTMLElement | null = null;
let store: ProgressStore | null = null;
/** The page under the screen, out of reach of Tab and screen readers while it is open. */
let covered: HTMLElement[] = [];
let before: Element | null = null;

export function openProgress(parent: HTMLElement, deps: ProgressDeps): void {
  if (host) return;
  store = createProgressStore(deps);
  before = document.activeElement;
  covered = [...parent.children].filter((child): child is HTMLElement => child instanceof HTMLElement && !child.inert);
  for (const element of covered) element.inert = true;
  host = document.createElement('div');
  parent.append(host);
  render(<ProgressScreen store={store} onClose={() => closeProgress()} />, host);
}

export function closeProgress(): void {
  if (!host) return;
  render(null, host);
  host.remove();
  host = null;
  store?.dispose();
  store = null;
  for (const element of covered) element.inert = false;
  covered = [];
  if (before instanceof HTMLElement && before.isConnected && document.activeElement === document.body) before.focus();
  before = null;
}
