/**
 * The planner's attribute form for one segment, node or site, opened from its map popup (admin
 * and planner only). It reads the record as stored, with its version; sends only what changed,
 * with that version; and never overwrites someone else's change silently: a 409 shows their
 * version beside mine, field by field, to reload theirs or to apply mine on top of theirs.
 * Deleting asks first; decommissioning (segments and nodes) needs a reason.
 *
 * This class is what main.ts holds (its own chunk, loaded for admins and planners): a panel
 * element with a Preact root in it. The state is editor-store.ts's, the drawing editor-panel.tsx's,
 * the rules editor-form.ts's.
 */
import { effect } from '@preact/signals';
import { render } from 'preact';
import type { Editable } from '../../shared/api';
import { t } from './editor.i18n';
import { EditorPanel, TITLES } from './editor-panel';
import { createEditorStore, type EditorHost, type EditorStore } from './editor-store';

export type { EditorHost } from './editor-store';

export class FeatureEditor {
  readonly root = document.createElement('section');
  private readonly store: EditorStore;

  constructor(parent: HTMLElement, host: EditorHost) {
    this.store = createEditorStore(host);
    const store = this.store;
    this.root.className = 'serat-planner serat-editor';
    this.root.hidden = true;
    this.root.dataset.testid = 'editor-panel';
    this.root.setAttribute('role', 'dialog');
    this.root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !store.busy.value) store.close();
    });
    parent.append(this.root);
    // The panel element is main.ts's to place; whether it shows, and its name, follow the store.
    effect(() => {
      const open = store.state.value !== 'closed';
      this.root.hidden = !open;
      this.root.setAttribute('aria-label', t(TITLES[store.subject.value]));
      if (open) document.body.dataset.editorOpen = 'true';
      else delete document.body.dataset.editorOpen;
    });
    render(<EditorPanel store={store} />, this.root);
  }

  /** For admin and planner only. */
  setRole(role: string | null, roles: readonly string[]): void {
    this.store.setRole(role, roles);
  }

  get isOpen(): boolean {
    return this.store.state.value !== 'closed';
  }

  /** Which feature the form shows, while it is open. */
  showing(): { subject: Editable; id: string } | null {
    return this.isOpen ? { subject: this.store.subject.value, id: this.store.id.value } : null;
  }

  open(subject: Editable, id: string): void {
    this.store.open(subject, id);
  }

  close(): void {
    this.store.close();
  }

  /** The panel's height over the map (phones) or width beside it (wide screens), for fitting the view. */
  coverage(): { bottom: number; left: number } {
    if (this.root.hidden) return { bottom: 0, left: 0 };
    const box = this.root.getBoundingClientRect();
    const wide = window.matchMedia('(min-width: 900px)').matches;
    return wide ? { bottom: 0, left: box.right + 8 } : { bottom: window.innerHeight - box.top + 8, left: 0 };
  }
}
