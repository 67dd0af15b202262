/**
 * The kecamatan by percent complete, by the table's measure (sites or km), on a small map with a
 * legend. A click (a tap) on a kecamatan opens its desa in the table and scrolls to them; the
 * table's buttons are the way for the keyboard and screen readers, so the map itself is hidden
 * from them (the table says all it shows).
 */
import { useEffect, useRef } from 'preact/hooks';
import { formatNumber } from '../../shared/format';
import { lang } from '../../shared/translate';
import { ChoroplethMap, type ChoroplethValue } from '../../map/choropleth';
import { CHOROPLETH_CLASSES, choroplethClass } from './choropleth-scale';
import { t } from './progress.i18n';
import type { ProgressStore } from './progress-store';

const percentText = (value: number) => `${formatNumber(value, 1)} %`;

/** The table row of a kecamatan into view, and focus on its button (where the keyboard would be). */
function reveal(code: string): void {
  const button = document.querySelector<HTMLElement>(`[data-testid="progress-drill-${CSS.escape(code)}"]`);
  if (!button) return;
  button.closest('tr')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  button.focus({ preventScroll: true });
}

export function KecamatanChoropleth({ store }: { store: ProgressStore }) {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<ChoroplethMap | null>(null);
  const boundaries = store.boundaries.value;
  const state = store.boundariesState.value;
  const kecamatan = store.kecamatan.value;
  const measure = store.measure.value;
  const language = lang.value;
  const open = store.open.value;

  useEffect(() => {
    if (!boundaries || !box.current) return;
    const drawn = new ChoroplethMap(box.current, {
      pick: (code) => {
        void store.show(code).then(() => requestAnimationFrame(() => reveal(code)));
      },
    });
    drawn.setAreas(boundaries);
    map.current = drawn;
    return () => {
      drawn.destroy();
      map.current = null;
    };
  }, [boundaries]);

  useEffect(() => {
    const values = new Map<string, ChoroplethValue>();
    for (const area of kecamatan) {
      const percent = measure === 'sites' ? area.percentBySites : area.percentByLength;
      values.set(area.code, {
        percent,
        fill: choroplethClass(percent)?.colour ?? null,
        label: percent === null ? t('choropleth.tooltipNone', { name: area.name }) : t('choropleth.tooltip', { name: area.name, percent: percentText(percent) }),
      });
    }
    map.current?.setValues(values);
  }, [boundaries, kecamatan, measure, language]);

  useEffect(() => {
    map.current?.setSelected(open);
  }, [boundaries, open]);

  return (
    <figure class="serat-choropleth" data-testid="progress-choropleth" data-state={state} data-measure={measure}>
      {state === 'loading' && !boundaries && <p role="status">{t('choropleth.loading')}</p>}
      {state === 'failed' && <p class="serat-choropleth__problem">{t('choropleth.failed')}</p>}
      <div ref={box} class="serat-choropleth__map" aria-hidden="true" hidden={!boundaries} />
      <figcaption class="serat-choropleth__legend" data-testid="progress-choropleth-legend">
        <span class="serat-choropleth__legend-title">{t('choropleth.legend', { measure: t(measure === 'sites' ? 'progress.bySites' : 'progress.byLength') })}</span>
        <ul>
          {CHOROPLETH_CLASSES.map((c) => (
            <li key={c.from}>
              <span class="serat-choropleth__swatch" style={{ background: c.colour }} aria-hidden="true" />
              {t('choropleth.class', { from: formatNumber(c.from), to: formatNumber(c.to) })}
            </li>
          ))}
          <li>
            <span class="serat-choropleth__swatch serat-choropleth__swatch--none" aria-hidden="true" />
            {t('choropleth.none')}
          </li>
        </ul>
        <span class="serat-choropleth__hint">{t('choropleth.hint')}</span>
      </figcaption>
    </figure>
  );
}
