/**
 * The progress dashboard's entry, loaded with `import()` when someone first opens it from the user
 * menu, so nobody's first load carries it.
 */
import { render } from 'preact';
import './progress.css';
import type { Role } from '../../../../../libs/contract/src';
import { ProgressScreen, type ProgressTab } from './progress-screen';
import { createProgressStore, type ProgressDeps, type ProgressStore } from './progress-store';
import { createMilestonesStore, type Awaiting, type MilestonesStore } from './milestones-store';

export interface ProgressOptions extends ProgressDeps {
  role: Role;
  /** The tab it opens on (the overview unless said), and the milestones' filter. */
  tab?: ProgressTab;
  awaiting?: Awaiting;
  /** A segment of a milestone's evidence, on the map (the screen has closed by then). */
  showSegment(id: string): void;
}

let host: HTMLElement | null = null;
let store: ProgressStore | null = null;
let milestones: MilestonesStore | null = null;
/** The page under the screen, out of reach of Tab and screen readers while it is open. */
let covered: HTMLElement[] = [];
let before: Element | null = null;

export function openProgress(parent: HTMLElement, options: ProgressOptions): void {
  if (host) return;
  store = createProgressStore(options);
  milestones = createMilestonesStore({ role: options.role, awaiting: options.awaiting });
  before = document.activeElement;
  covered = [...parent.children].filter((child): child is HTMLElement => child instanceof HTMLElement && !child.inert);
  for (const element of covered) element.inert = true;
  host = document.createElement('div');
  parent.append(host);
  const showSegment = (id: string) => {
    closeProgress();
    options.showSegment(id);
  };
  render(<ProgressScreen store={store} milestones={milestones} initialTab={options.tab ?? 'overview'} onClose={() => closeProgress()} showSegment={showSegment} />, host);
}

export function closeProgress(): void {
  if (!host) return;
  render(null, host);
  host.remove();
  host = null;
  store?.dispose();
  store = null;
  milestones?.dispose();
  milestones = null;
  for (const element of covered) element.inert = false;
  covered = [];
  if (before instanceof HTMLElement && before.isConnected && document.activeElement === document.body) before.focus();
  before = null;
}
