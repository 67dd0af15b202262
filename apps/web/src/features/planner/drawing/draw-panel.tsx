/**
 * The drawing tools' parts: the section of the panel (start drawing or moving, the form of the
 * new segment) and the bars shown over the map while a tool is on.
 */
import { useEffect, useRef } from 'preact/hooks';
import { Button, Field } from '../../../shared/components';
import { formatMetres, formatNumber } from '../../../shared/format';
import { placementLabel } from '../../../shared/i18n';
import { SEGMENT_PLACEMENTS } from '../../../shared/vocabulary';
import { keepClicksOff } from '../../../map/drawing-layer';
import { t } from '../planner.i18n';
import type { DrawingTool } from './drawing-tool';

export function DrawSection({ tool }: { tool: DrawingTool }) {
  const form = useRef<HTMLFormElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  const formOpen = tool.formOpen.value;
  const count = tool.points.value.length;

  // The line is finished: its form comes into view with the code to type.
  useEffect(() => {
    if (!formOpen) return;
    form.current?.scrollIntoView?.({ block: 'nearest' });
    codeInput.current?.focus();
  }, [formOpen]);

  const save = async (event: Event) => {
    event.preventDefault();
    if ((await tool.saveSegment()) === 'no-code') codeInput.current?.focus();
  };

  return (
    <div class="serat-planner__section">
      <h3 class="serat-planner__heading">{t('draw.title')}</h3>
      <p class="serat-planner__hint">{t('draw.intro')}</p>
      <div class="serat-planner__buttons">
        <Button disabled={tool.drawing.value || tool.saving.value} onClick={() => tool.startDrawing()} data-testid="draw-segment">
          {t('draw.start')}
        </Button>
        <Button disabled={tool.drawing.value || tool.moveStep.value !== 'none'} onClick={() => tool.startMove()} data-testid="move-node">
          {t('move.start')}
        </Button>
      </div>
      <p class="serat-planner__message" hidden={!tool.message.value}>
        {tool.message.value}
      </p>
      <form ref={form} class="serat-planner__form" hidden={!formOpen} noValidate onSubmit={(event) => void save(event)} data-testid="segment-form">
        <p class="serat-planner__hint">{t('draw.formLength', { length: formatMetres(tool.lengthM.value), count, points: formatNumber(count) })}</p>
        <Field id="serat-segment-code" label={t('draw.code')}>
          <input
            ref={codeInput}
            id="serat-segment-code"
            class="serat-input"
            maxLength={64}
            placeholder={t('draw.codePlaceholder')}
            value={tool.code.value}
            onInput={(event) => (tool.code.value = event.currentTarget.value)}
            data-testid="segment-code"
          />
        </Field>
        <Field id="serat-segment-placement" label={t('draw.placement')}>
          <select
            id="serat-segment-placement"
            class="serat-input"
            value={tool.placement.value}
            onChange={(event) => (tool.placement.value = event.currentTarget.value)}
            data-testid="segment-placement"
          >
            <option value="">{t('draw.placementNone')}</option>
            {SEGMENT_PLACEMENTS.map((p) => (
              <option key={p} value={p}>
                {placementLabel(p)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="serat-segment-cores" label={t('draw.cores')}>
          <input
            id="serat-segment-cores"
            class="serat-input"
            type="number"
            min="1"
            max="864"
            inputMode="numeric"
            value={tool.cores.value}
            onInput={(event) => (tool.cores.value = event.currentTarget.value)}
            data-testid="segment-cores"
          />
        </Field>
        <p class="serat-planner__message serat-planner__message--error" role="alert" hidden={!tool.editError.value} data-testid="edit-error">
          {tool.editError.value ?? ''}
        </p>
        <div class="serat-planner__buttons">
          <Button variant="primary" type="submit" disabled={tool.saving.value} data-testid="segment-save">
            {tool.saving.value ? t('draw.saving') : t('draw.save')}
          </Button>
          <Button onClick={() => tool.cancelDrawing()} data-testid="segment-cancel">
            {t('draw.cancel')}
          </Button>
        </div>
      </form>
    </div>
  );
}

/** A bar over the map whose clicks stay its own (a click on it is not a point of the line). */
function useOwnClicks() {
  const bar = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (bar.current) keepClicksOff(bar.current);
  }, []);
  return bar;
}

export function DrawBar({ tool }: { tool: DrawingTool }) {
  const bar = useOwnClicks();
  const count = tool.points.value.length;
  return (
    // How many points the line has so far (data-points): what a test waits for between clicks.
    <div ref={bar} class="serat-planner-drawbar" hidden={!tool.drawing.value} data-testid="draw-bar" data-points={String(count)}>
      <span class="serat-planner-drawbar__hint">{t('draw.hint')}</span>
      <span class="serat-planner-drawbar__length">{t('draw.length', { length: formatMetres(tool.lengthToCursorM.value), count, points: formatNumber(count) })}</span>
      <Button onClick={() => tool.cancelDrawing()} data-testid="draw-cancel">
        {t('draw.cancel')}
      </Button>
      <Button variant="primary" disabled={count < 2} onClick={() => tool.finishDrawing()} data-testid="draw-finish">
        {t('draw.finish')}
      </Button>
    </div>
  );
}

export function MoveBar({ tool }: { tool: DrawingTool }) {
  const bar = useOwnClicks();
  const step = tool.moveStep.value;
  const node = tool.moveNode.value;
  const distance = tool.moveDistanceM.value;
  const hint =
    step === 'pick'
      ? t('move.pick')
      : distance === null
        ? t('move.place', { code: node?.code ?? '' })
        : t('move.confirm', { code: node?.code ?? '', distance: formatMetres(distance) });
  return (
    // Which click comes next (data-step): 'pick' (the node) or 'place' (where it goes).
    <div ref={bar} class="serat-planner-drawbar" hidden={step === 'none'} data-testid="move-bar" data-step={step}>
      <span class="serat-planner-drawbar__length">{hint}</span>
      {tool.moveError.value && (
        <p class="serat-planner__message serat-planner__message--error" role="alert" data-testid="move-error">
          {tool.moveError.value}
        </p>
      )}
      <Button onClick={() => tool.cancelMove()} data-testid="move-cancel">
        {t('draw.cancel')}
      </Button>
      <Button
        variant="primary"
        hidden={step !== 'place'}
        disabled={tool.moving.value || step !== 'place' || !tool.moveTo.value}
        onClick={() => void tool.saveMove()}
        data-testid="move-save"
      >
        {tool.moving.value ? t('draw.saving') : t('move.save')}
      </Button>
    </div>
  );
}
