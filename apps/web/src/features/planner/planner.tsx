/**
 * The planner's tools ("Perencana"), for admin and planner only: importing a file of network
 * data (upload with a saved mapping template, analysis with a progress bar, summary, the mapping
 * of the file's columns to Serat fields with "analyse again" and "save as template", report,
 * then commit) and the list of recent imports, exporting the network, drawing a new segment and
 * moving a node on the map.
 *
 * Its own chunk (main.ts imports it once a planner signs in). PlannerTools is the map page's
 * handle on it: it renders the Preact components into the page and passes the page's calls on
 * to their store.
 */
import { createRef, render } from 'preact';
import { PlannerPanel } from './planner-panel';
import { createPlannerStore, type PlannerHost, type PlannerStore } from './planner-store';

export type { PlannerHost } from './planner-store';

export class PlannerTools {
  /** The button that opens the panel (the page closes its other panels on its click). */
  readonly opener: HTMLButtonElement;
  private readonly store: PlannerStore;

  constructor(parent: HTMLElement, host: PlannerHost) {
    this.store = createPlannerStore(host);
    // A box of its own for Preact to render into (the parent holds the map too); it takes no
    // room itself, so the panel, opener and bars are placed against the parent as before.
    const box = document.createElement('div');
    box.className = 'serat-planner-host';
    parent.append(box);
    const opener = createRef<HTMLButtonElement>();
    render(<PlannerPanel store={this.store} host={host} openerRef={opener} />, box);
    this.opener = opener.current!;
  }

  /** Shown only to admin and planner. */
  setRole(role: string | null): void {
    this.store.setRole(role);
  }

  open(): void {
    this.store.open();
  }

  close(): void {
    this.store.close();
  }
}
