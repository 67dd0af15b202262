/**
 * "Lapangan": the field technician's panel, made for one thumb on a phone. Find a segment or node
 * by code or "near me", open it (status, length, areas, history with photos) and change its
 * status with a note, photos from the camera, the GPS position and an OTDR reading. Changes go to
 * the outbox (outbox.ts) first, so all of this works without a connection.
 *
 * The panel is Preact components (field-panel.tsx and the parts it renders) over a signals store
 * (field-store.ts). This class is the map page's handle on it: it owns the panel's and the
 * opener's elements, renders into them and forwards the page's calls to the store.
 */
import { effect } from '@preact/signals';
import { render } from 'preact';
import { t } from './field.i18n';
import { OpenerFace, FieldPanelView } from './field-panel';
import { shrinkPhoto } from './field-photos';
import { createFieldStore, type FieldHost, type FieldStore, type Target } from './field-store';
import type { Outbox } from './outbox';

export type { FieldHost } from './field-store';

export class FieldPanel {
  readonly root = document.createElement('section');
  readonly opener = document.createElement('button');
  private readonly store: FieldStore;

  constructor(parent: HTMLElement, host: FieldHost, outbox: Outbox) {
    this.store = createFieldStore({ host, outbox, shrinkPhoto });
    const root = this.root;
    root.className = 'serat-lapangan';
    root.hidden = true;
    root.dataset.testid = 'field-panel';
    root.setAttribute('role', 'dialog');
    root.setAttribute('aria-modal', 'false');
    root.setAttribute('aria-labelledby', 'serat-lapangan-title');
    const opener = this.opener;
    opener.type = 'button';
    opener.className = 'serat-lapangan-fab';
    opener.dataset.testid = 'field-open';
    opener.hidden = true;
    opener.addEventListener('click', () => this.open());
    parent.append(root, opener);

    // Shown and hidden at once (not at the next render): the page measures the panel right after opening it.
    effect(() => {
      const open = this.store.isOpen.value;
      root.hidden = !open;
      opener.hidden = !this.store.enabled.value || open;
      opener.title = t('field.openHint');
      if (open) document.body.dataset.fieldOpen = 'true';
      else delete document.body.dataset.fieldOpen;
    });
    render(<FieldPanelView store={this.store} onClose={() => this.close()} />, root);
    render(<OpenerFace store={this.store} />, opener);
  }

  /** Shown only to roles that may change a status. */
  setEnabled(enabled: boolean): void {
    this.store.setEnabled(enabled);
  }

  open(view?: 'home'): void {
    this.store.open(view);
    if (this.store.isOpen.value && !this.store.target.value && window.matchMedia('(pointer: fine)').matches) this.store.focusSearch();
  }

  close(): void {
    this.store.close();
  }

  /** Opens one segment or node (from a map popup, a search result or the outbox). */
  openTarget(target: Target): void {
    this.store.openTarget(target);
  }

  /** The panel's height over the map (phones) or width beside it (wide screens), for fitting the view. */
  coverage(): { bottom: number; left: number } {
    if (!this.store.isOpen.value) return { bottom: 0, left: 0 };
    const box = this.root.getBoundingClientRect();
    const wide = window.matchMedia('(min-width: 900px)').matches;
    return wide ? { bottom: 0, left: box.right + 8 } : { bottom: window.innerHeight - box.top + 8, left: 0 };
  }

  /** The map has new data (after a sync or a reload): the open detail may have changed. */
  refreshed(): void {
    this.store.refreshed();
  }

  /** A change of this target was accepted by the server: its history has a new entry. */
  applied(targetId: string): void {
    this.store.applied(targetId);
  }
}
