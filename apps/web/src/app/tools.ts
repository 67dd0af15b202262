/**
 * The tools of each role around the map: the field panel and its outbox (roles that may change a
 * status), the planner's tools and the attribute form (admin and planner; their own chunks), the
 * admin screens (their own chunk), and the buttons a popup offers. A technician's or viewer's
 * phone never loads the planner's or admin's code.
 */
import type { Signal } from '@preact/signals';
import type { Editable, User } from '../shared/api';
import { t } from '../shared/i18n';
import { el, type Notices } from '../shared/ui';
import type { Header } from './header';
import { FIELD_ROLES, PLANNER_ROLES } from '../shared/vocabulary';
import type { FeatureEditor } from '../features/editor/editor';
import { FieldPanel } from '../features/field/field';
import { Outbox } from '../features/field/outbox';
import type { PlannerTools } from '../features/planner/planner';
import type { AreaLayers } from '../map/areas';
import { DrawingLayer } from '../map/drawing-layer';
import type { NetworkData } from '../map/network-data';
import type { NetworkLayers } from '../map/network-layers';
import type { SeratMap } from '../map/serat-map';

export interface ToolsContext {
  user: Signal<User | null>;
  base: SeratMap;
  areas: AreaLayers;
  layers: NetworkLayers;
  data: NetworkData;
  header: Header;
  notices: Notices;
  /** Where the panels go. */
  main: HTMLElement;
}

export class Tools {
  readonly outbox = new Outbox();
  readonly field: FieldPanel;
  private planner: PlannerTools | null = null;
  private editor: FeatureEditor | null = null;
  private plannerLoad: Promise<void> | null = null;
  private adminFeature: typeof import('../features/admin/admin') | null = null;
  private inventoryFeature: typeof import('../features/inventory/inventory') | null = null;
  private progressFeature: typeof import('../features/progress/progress') | null = null;

  constructor(private readonly ctx: ToolsContext) {
    const { layers, areas, data } = ctx;
    this.field = new FieldPanel(
      ctx.main,
      {
        segments: () => [...layers.segments.values()],
        nodes: () => [...layers.nodes.values()],
        refresh: () => data.refresh(),
        // Clear of the panel: above it on a phone, beside it on a wide screen.
        focus: (subject, id) => void data.reveal(subject, id).then((shown) => shown && layers.focus(subject, id, this.field.coverage())),
        unfocus: () => layers.unfocus(),
        showPosition: (position) => layers.showPosition(position),
        kecamatanName: (code) => areas.kecamatanName(code),
        desaName: (code) => areas.desaName(code),
        siteName: (nodeId) => layers.siteNameOfNode(nodeId),
      },
      this.outbox,
    );
    this.field.opener.addEventListener('click', () => this.editor?.close());
    this.outbox.onApplied((item, result) => {
      data.applyState(item.subject, result);
      this.field.applied(item.targetId);
      data.scheduleRefresh();
    });
    this.outbox.onChange(() => this.renderConnectivity());
    window.addEventListener('offline', () => this.renderConnectivity());
    window.addEventListener('online', () => this.renderConnectivity());
  }

  /** Signed in and past a required password change. */
  private working(): User | null {
    const user = this.ctx.user.value;
    return user && !user.mustChangePassword ? user : null;
  }

  fieldEnabled(): boolean {
    const user = this.working();
    return !!user && FIELD_ROLES.includes(user.role);
  }

  private plannerEnabled(): boolean {
    const user = this.working();
    return !!user && PLANNER_ROLES.includes(user.role);
  }

  /** The tools of the user's role and the field outbox. */
  enable(user: User): void {
    const mayChange = FIELD_ROLES.includes(user.role);
    this.field.setEnabled(mayChange);
    if (PLANNER_ROLES.includes(user.role)) void this.loadPlannerTools();
    this.planner?.setRole(user.role);
    this.editor?.setRole(user.role, PLANNER_ROLES);
    void this.outbox.setUser(mayChange ? user.id : null);
    this.renderConnectivity();
    // A mentor's work is reviewing milestones: they land on what awaits their review.
    if (user.role === 'mentor' && !user.mustChangePassword) void this.openProgress({ tab: 'milestones', awaiting: 'review' });
  }

  /** Signed out: every tool put away. Queued changes stay on the device until their author signs in again. */
  disable(): void {
    this.field.setEnabled(false);
    this.planner?.setRole(null);
    this.editor?.setRole(null, PLANNER_ROLES);
    void this.outbox.setUser(null);
    this.adminFeature?.closeAdmin();
    this.inventoryFeature?.closeInventory(true);
    this.progressFeature?.closeProgress();
  }

  /** The map's data is going away: a form opened on it goes too. */
  mapCleared(): void {
    this.editor?.close();
  }

  /**
   * In a popup: for roles that may change a status, open the segment or node in the field panel;
   * for planners and admins, open its attribute form. Viewers and mentors get neither.
   */
  popupActions(content: HTMLElement, subject: Editable, id: string): HTMLElement {
    const { map } = this.ctx.base;
    if (subject !== 'site' && this.fieldEnabled()) {
      const open = el('button', 'serat-button serat-button--primary serat-popup__action', t('field.openInPanel'));
      open.type = 'button';
      open.dataset.testid = 'popup-field';
      open.addEventListener('click', () => {
        map.closePopup();
        this.field.openTarget({ subject, id });
      });
      content.append(open);
    }
    if (this.plannerEnabled() && this.editor) {
      const edit = el('button', 'serat-button serat-button--secondary serat-popup__action', t('edit.open'));
      edit.type = 'button';
      edit.dataset.testid = 'popup-edit';
      edit.addEventListener('click', () => {
        map.closePopup();
        this.editor?.open(subject, id);
      });
      content.append(edit);
    }
    return content;
  }

  /** The admin screens: their own chunk, fetched when an admin first opens them. */
  async openAdmin(): Promise<void> {
    try {
      this.adminFeature ??= await import('../features/admin/admin');
    } catch {
      this.ctx.notices.show('admin', 'error', t('user.adminFailed'), { dismissible: true });
      return;
    }
    if (this.ctx.user.value?.role === 'admin') this.adminFeature.openAdmin(document.body);
  }

  /** The network list (every signed-in role): its own chunk too; a row shown goes to the map. */
  async openInventory(): Promise<void> {
    try {
      this.inventoryFeature ??= await import('../features/inventory/inventory');
    } catch {
      this.ctx.notices.show('inventory', 'error', t('user.inventoryFailed'), { dismissible: true });
      return;
    }
    const user = this.ctx.user.value;
    if (!user) return;
    const { layers } = this.ctx;
    this.inventoryFeature.openInventory(document.body, {
      userId: user.id,
      role: user.role,
      // Its popup first (that may pan), then the ring and the fit, which has the last word on the view.
      focus: async (subject, id) => (await this.ctx.data.reveal(subject, id)) && layers.openPopup(subject, id) && layers.focus(subject, id, { bottom: 0, left: 0 }),
    });
  }

  /**
   * The rollout's progress and its milestones (every signed-in role): its own chunk, reloaded as the
   * network's figures change. A segment of a milestone's evidence opens on the map with its popup.
   */
  async openProgress(start: { tab?: 'overview' | 'milestones'; awaiting?: 'all' | 'review' | 'answer' } = {}): Promise<void> {
    try {
      this.progressFeature ??= await import('../features/progress/progress');
    } catch {
      this.ctx.notices.show('progress', 'error', t('user.progressFailed'), { dismissible: true });
      return;
    }
    const user = this.ctx.user.value;
    if (!user) return;
    const { layers, data } = this.ctx;
    this.progressFeature.openProgress(document.body, {
      ...start,
      changed: data.figures,
      role: user.role,
      showSegment: (id) => void data.reveal('segment', id).then((shown) => shown && layers.openPopup('segment', id) && layers.focus('segment', id, { bottom: 0, left: 0 })),
    });
  }

  /**
   * The planner's tools (import, export, drawing) and the attribute form of a segment, node or
   * site: fetched once an admin or planner signs in. Until they are here the popups offer no form.
   */
  private loadPlannerTools(): Promise<void> {
    const { base, areas, data, layers, main } = this.ctx;
    this.plannerLoad ??= Promise.all([import('../features/planner/planner'), import('../features/editor/editor')]).then(
      ([plannerModule, editorModule]) => {
        /** Import, export and drawing, for admin and planner only. */
        const planner = new plannerModule.PlannerTools(main, {
          drawingLayer: new DrawingLayer(base.map),
          kecamatans: () => areas.kecamatans(),
          reload: () => {
            void data.refresh().catch(() => data.reload());
          },
          reloadAll: () => data.reload(),
          userId: () => this.ctx.user.value?.id ?? null,
          nodeStored: (record) => data.storeRecord('node', record),
          nodeRemoved: (id) => data.removeFeature('node', id),
          nodes: () =>
            [...layers.nodes.values()].map((feature) => ({
              id: String(feature.properties.id),
              code: feature.properties.code,
              version: Number(feature.properties.version),
              lon: feature.geometry.coordinates[0],
              lat: feature.geometry.coordinates[1],
            })),
        });
        /** The attribute form of one segment, node or site, for admin and planner only. */
        const form: FeatureEditor = new editorModule.FeatureEditor(main, {
          phases: () => data.phases(),
          loadPhases: () => data.loadPhases(),
          focus: (subject, id) => void layers.focus(subject, id, form.coverage()),
          unfocus: () => layers.unfocus(),
          stored: (subject, record) => data.storeRecord(subject, record),
          removed: (subject, id) => data.removeFeature(subject, id),
          opening: () => {
            base.map.closePopup();
            this.planner?.close();
            this.field.close();
          },
        });
        this.planner = planner;
        this.editor = form;
        // One panel at a time: opening the planner's tools or the field panel puts the form away.
        planner.opener.addEventListener('click', () => this.editor?.close());
        // Whoever is signed in now (the one who asked may have signed out meanwhile).
        const role = this.working()?.role ?? null;
        planner.setRole(role);
        form.setRole(role, PLANNER_ROLES);
      },
      (error: unknown) => {
        // Asked again at the next sign-in (a chunk cannot be fetched while offline and not yet cached).
        this.plannerLoad = null;
        console.error('the planner tools could not be loaded', error);
      },
    );
    return this.plannerLoad;
  }

  /** The connection and the outbox, in the header. */
  renderConnectivity(): void {
    const items = this.outbox.items();
    const field = this.fieldEnabled();
    this.ctx.header.setConnectivity({
      online: navigator.onLine,
      queued: field ? items.length : null,
      needAttention: items.filter((item) => item.state !== 'pending').length,
      syncing: this.outbox.syncing,
      onOpenQueue: field ? () => this.field.open('home') : null,
    });
    document.body.dataset.online = String(navigator.onLine);
    document.body.dataset.outbox = String(field ? items.length : 0);
  }
}
