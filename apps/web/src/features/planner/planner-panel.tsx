/**
 * The planner's tools on the map: the opener, the panel (import, export, drawing) and the bars
 * shown over the map while drawing a segment or moving a node.
 */
import type { Ref } from 'preact';
import { DrawBar, DrawSection, MoveBar } from './drawing/draw-panel';
import { ExportMenu } from './exports/export-menu';
import { ImportPanel } from './imports/import-panel';
import { t } from './planner.i18n';
import type { PlannerHost, PlannerStore } from './planner-store';

export function PlannerPanel({ store, host, openerRef }: { store: PlannerStore; host: PlannerHost; openerRef?: Ref<HTMLButtonElement> }) {
  return (
    <>
      <section class="serat-planner" role="dialog" aria-label={t('planner.title')} hidden={!store.isOpen.value} data-testid="planner-panel">
        <div class="serat-lapangan__head">
          <h2 class="serat-lapangan__title">{t('planner.title')}</h2>
          <button
            type="button"
            class="serat-lapangan__icon-button"
            aria-label={t('planner.close')}
            title={t('planner.close')}
            onClick={() => store.close()}
            data-testid="planner-close"
          >
            ×
          </button>
        </div>
        <div class="serat-lapangan__body">
          <ImportPanel store={store.imports} userId={() => host.userId()} />
          <ExportMenu kecamatans={store.kecamatans} />
          <DrawSection tool={store.drawing} />
        </div>
      </section>
      <button
        ref={openerRef}
        type="button"
        class="serat-planner-fab"
        title={t('planner.openHint')}
        hidden={store.openerHidden.value}
        onClick={() => store.open()}
        data-testid="planner-open"
      >
        {t('planner.open')}
      </button>
      <DrawBar tool={store.drawing} />
      <MoveBar tool={store.drawing} />
    </>
  );
}
