/**
 * The planner's tools as one state: whether they are on (admin and planner) and open, the
 * kecamatan offered to the export, and the stores of the imports and the drawing tools.
 */
import { batch, computed, signal } from '@preact/signals';
import { PLANNER_ROLES } from '../../shared/vocabulary';
import { createDrawingTool, type DrawingHost } from './drawing/drawing-tool';
import { createImportsStore } from './imports/imports-store';

export interface PlannerHost extends DrawingHost {
  /** The kecamatan for the export filter: code and name. */
  kecamatans(): Array<{ code: string; name: string }>;
  /** The signed-in user's id (to say "you" in the list of imports). */
  userId(): string | null;
}

export function createPlannerStore(host: PlannerHost) {
  const enabled = signal(false);
  const isOpen = signal(false);
  const kecamatans = signal<Array<{ code: string; name: string }>>([]);

  const imports = createImportsStore({ networkChanged: () => host.reload(), enabled: () => enabled.value });

  function open(): void {
    if (!enabled.value) return;
    batch(() => {
      isOpen.value = true;
      // Read again at each opening: the names arrive with the map's areas, after the tools.
      kecamatans.value = host.kecamatans();
    });
    document.body.dataset.plannerOpen = 'true';
    void imports.loadRecent();
    void imports.loadTemplates();
  }

  function close(): void {
    isOpen.value = false;
    delete document.body.dataset.plannerOpen;
  }

  const drawing = createDrawingTool(host, { enabled: () => enabled.value, open, close });

  return {
    enabled,
    isOpen,
    kecamatans,
    imports,
    drawing,
    /** The opener shows while the tools are on, closed, and no drawing tool has the map. */
    openerHidden: computed(() => !enabled.value || isOpen.value || drawing.busy.value),
    open,
    close,
    /** Shown only to admin and planner; anyone else (or nobody signed in) leaves nothing behind. */
    setRole(role: string | null): void {
      const on = !!role && PLANNER_ROLES.includes(role);
      batch(() => {
        enabled.value = on;
        kecamatans.value = host.kecamatans();
        if (!on) {
          close();
          drawing.cancelDrawing();
          drawing.cancelMove();
          imports.clear();
        }
      });
    },
  };
}

export type PlannerStore = ReturnType<typeof createPlannerStore>;
