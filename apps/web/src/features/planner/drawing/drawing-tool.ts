/**
 * Drawing a new segment and moving a node on the map. What the tools have done so far is in
 * signals: the panel and the bars render from them, and one effect draws the preview from them
 * too. The map's part (its clicks while a tool is on, the preview shapes, which node a click picks)
 * is map/drawing-layer.ts; positions here are [lon, lat].
 */
import { batch, computed, effect, signal } from '@preact/signals';
import { ApiError, editApi, plannerApi, type NodeRecord } from '../../../shared/api';
import type { DrawingLayer, LonLat } from '../../../map/drawing-layer';
import { distanceM } from '../../../map/geo';
import { t } from '../planner.i18n';
import { problemText } from '../problem';

export interface MovableNode {
  id: string;
  code: string;
  version: number;
  lon: number;
  lat: number;
}

export interface DrawingHost {
  /** The map's side of the tools. */
  drawingLayer: DrawingLayer;
  /** The loaded nodes, for choosing one to move. */
  nodes(): MovableNode[];
  /** Read the map's layers again after the network changed (new features). */
  reload(): void;
  /** Read every layer again (geometry of known features changed). */
  reloadAll(): void;
  /** A node as the server has it now (after a conflict): draw it there. */
  nodeStored(record: NodeRecord): void;
  nodeRemoved(id: string): void;
}

/** What the tools need of the panel: it makes way for the map while one is on, and comes back after. */
export interface DrawingPanel {
  enabled(): boolean;
  open(): void;
  close(): void;
}

export type MoveStep = 'none' | 'pick' | 'place';

/** Degrees to 7 decimals (about a centimetre), as the api stores them. */
const round = (value: number) => Math.round(value * 1e7) / 1e7;
/** A click within this many pixels of a node picks it. */
const PICK_PX = 24;
/** The two clicks of a double click land within this many pixels: one point only. */
const SAME_PLACE_PX = 4;

export function createDrawingTool(host: DrawingHost, panel: DrawingPanel) {
  // Drawing a segment.
  const drawing = signal(false);
  const points = signal<LonLat[]>([]);
  const cursor = signal<LonLat | null>(null);
  const formOpen = signal(false);
  const saving = signal(false);
  const editError = signal<string | null>(null);
  /** The outcome of the last save or move, shown in the panel. */
  const message = signal('');
  const code = signal('');
  const placement = signal('');
  const cores = signal('');
  // Moving a node: pick it, click its new place, confirm.
  const moveStep = signal<MoveStep>('none');
  const moveNode = signal<MovableNode | null>(null);
  const moveTo = signal<LonLat | null>(null);
  const moving = signal(false);
  const moveError = signal('');

  const layer = host.drawingLayer;

  const lengthM = (withCursor: boolean) =>
    computed(() => {
      const line = withCursor && cursor.value ? [...points.value, cursor.value] : points.value;
      let total = 0;
      for (let i = 1; i < line.length; i++) total += distanceM(line[i - 1], line[i]);
      return total;
    });
  const moveDistanceM = computed(() => {
    const node = moveNode.value;
    const to = moveTo.value;
    return node && to ? distanceM([node.lon, node.lat], to) : null;
  });

  // The preview follows the signals: the line so far (to the cursor while drawing), or the node
  // picked and where it goes.
  const stopPreview = effect(() => {
    if (moveStep.value !== 'none') {
      const node = moveNode.value;
      if (node) layer.showMove([node.lon, node.lat], moveTo.value);
      else layer.clear();
      return;
    }
    layer.showLine(points.value, drawing.value ? cursor.value : null);
  });

  const lineListener = {
    click: (at: LonLat) => {
      const last = points.value[points.value.length - 1];
      if (last && layer.pixelsBetween(last, at) < SAME_PLACE_PX) return;
      points.value = [...points.value, at];
    },
    doubleClick: () => finishDrawing(),
    cursor: (at: LonLat) => {
      cursor.value = at;
    },
  };

  const moveListener = {
    click: (at: LonLat) => {
      if (moveStep.value === 'pick') {
        const picked = layer.nearest(host.nodes(), at, PICK_PX);
        if (!picked) return;
        batch(() => {
          moveNode.value = picked;
          moveStep.value = 'place';
        });
      } else if (moveStep.value === 'place') {
        moveTo.value = at;
      }
    },
  };

  function stopListening(): void {
    layer.stop();
    batch(() => {
      drawing.value = false;
      cursor.value = null;
    });
    delete document.body.dataset.drawing;
  }

  function startDrawing(): void {
    if (!panel.enabled() || drawing.value) return;
    cancelMove();
    batch(() => {
      drawing.value = true;
      points.value = [];
      cursor.value = null;
      formOpen.value = false;
      editError.value = null;
      message.value = '';
    });
    layer.listen(lineListener);
    document.body.dataset.drawing = 'true';
    panel.close();
  }

  function finishDrawing(): void {
    if (!drawing.value || points.value.length < 2) return;
    stopListening();
    batch(() => {
      formOpen.value = true;
      editError.value = null;
    });
    panel.open();
  }

  function cancelDrawing(): void {
    if (drawing.value) stopListening();
    batch(() => {
      points.value = [];
      formOpen.value = false;
      editError.value = null;
    });
    layer.hide();
  }

  /** Saves the line drawn as a new segment; 'no-code' when the code is missing (nothing sent). */
  async function saveSegment(): Promise<'saved' | 'no-code' | 'refused' | 'ignored'> {
    if (saving.value || points.value.length < 2) return 'ignored';
    const segmentCode = code.value.trim();
    if (!segmentCode) {
      editError.value = t('draw.codeRequired');
      return 'no-code';
    }
    const coreText = cores.value.trim();
    const coreCount = coreText ? Number(coreText) : undefined;
    if (coreCount !== undefined && (!Number.isInteger(coreCount) || coreCount < 1)) {
      editError.value = t('draw.coresInvalid');
      return 'refused';
    }
    batch(() => {
      saving.value = true;
      editError.value = null;
    });
    try {
      await plannerApi.createSegment({
        code: segmentCode,
        geometry: { type: 'LineString', coordinates: points.value.map(([lon, lat]) => [round(lon), round(lat)]) },
        ...(placement.value ? { placement: placement.value } : {}),
        ...(coreCount !== undefined ? { coreCount } : {}),
      });
      batch(() => {
        message.value = t('draw.saved', { code: segmentCode });
        code.value = '';
        cores.value = '';
        saving.value = false;
      });
      cancelDrawing();
      host.reload();
      return 'saved';
    } catch (error) {
      const problems = error instanceof ApiError ? (error.details as { problems?: Array<{ message?: unknown }> } | undefined)?.problems : undefined;
      const extra = Array.isArray(problems)
        ? problems.map((p) => (typeof p?.message === 'string' ? p.message : '')).filter((m) => m && m !== (error as ApiError).serverMessage)
        : [];
      batch(() => {
        saving.value = false;
        editError.value = [problemText(error), ...extra].join(' ');
      });
      return 'refused';
    }
  }

  function startMove(): void {
    if (!panel.enabled() || moveStep.value !== 'none') return;
    cancelDrawing();
    batch(() => {
      moveStep.value = 'pick';
      moveNode.value = null;
      moveTo.value = null;
      moveError.value = '';
      message.value = '';
    });
    layer.listen(moveListener);
    document.body.dataset.moving = 'true';
    panel.close();
  }

  function cancelMove(): void {
    if (moveStep.value === 'none') return;
    layer.stop();
    batch(() => {
      moveStep.value = 'none';
      moveNode.value = null;
      moveTo.value = null;
      moving.value = false;
    });
    layer.hide();
    delete document.body.dataset.moving;
  }

  async function saveMove(): Promise<void> {
    const node = moveNode.value;
    const to = moveTo.value;
    if (!node || !to || moving.value) return;
    batch(() => {
      moving.value = true;
      moveError.value = '';
    });
    try {
      await plannerApi.moveNode(node.id, node.version, round(to[0]), round(to[1]));
      cancelMove();
      message.value = t('move.saved', { code: node.code });
      panel.open();
      host.reloadAll();
    } catch (error) {
      moving.value = false;
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') {
        await moveConflict(node, error);
        return;
      }
      if (error instanceof ApiError && error.httpStatus === 404) {
        host.nodeRemoved(node.id);
        cancelMove();
        message.value = t('move.gone', { code: node.code });
        panel.open();
        return;
      }
      moveError.value = problemText(error);
    }
  }

  /**
   * Someone changed the node since the map was read: never move it over their change. Its
   * current position and version replace what the tool started from (the map shows them too),
   * the chosen new place stays, and the planner decides again.
   */
  async function moveConflict(node: { id: string; code: string }, error: ApiError): Promise<void> {
    let current = (error.details as { current?: NodeRecord } | undefined)?.current;
    if (!current?.geometry?.coordinates || typeof current.version !== 'number') {
      try {
        current = (await editApi.read<NodeRecord>('node', node.id)).record;
      } catch (readError) {
        moveError.value = `${error.serverMessage ?? problemText(error)} ${problemText(readError)}`;
        return;
      }
    }
    if (moveStep.value !== 'place' || moveNode.value?.id !== node.id) return;
    const [lon, lat] = current.geometry.coordinates;
    host.nodeStored(current);
    batch(() => {
      moveNode.value = { id: current.id, code: current.code, version: current.version, lon, lat };
      moveError.value = t('move.conflict', { code: current.code, version: current.version });
    });
  }

  return {
    drawing,
    points,
    formOpen,
    saving,
    editError,
    message,
    code,
    placement,
    cores,
    moveStep,
    moveNode,
    moveTo,
    moving,
    moveError,
    /** Metres along the points, and on to the cursor while drawing. */
    lengthToCursorM: lengthM(true),
    lengthM: lengthM(false),
    moveDistanceM,
    /** Whether a tool has the map: the panel and its opener make way. */
    busy: computed(() => drawing.value || moveStep.value !== 'none'),
    startDrawing,
    finishDrawing,
    cancelDrawing,
    saveSegment,
    startMove,
    cancelMove,
    saveMove,
    dispose(): void {
      cancelDrawing();
      cancelMove();
      stopPreview();
    },
  };
}

export type DrawingTool = ReturnType<typeof createDrawingTool>;
