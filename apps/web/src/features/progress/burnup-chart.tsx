/**
 * The burn-up chart of the overview: sites connected and km of cable active over time, each in a
 * small chart of its own (one y-axis each, readable on a phone), as steps, against the plan (a
 * dashed line; its basis in the caption). The figures are also told in words (each chart's
 * accessible name) and in a table for screen readers, and on the section's data attributes.
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { STATUS_SYMBOLS } from '../../../../../libs/contract/src';
import { Button } from '../../shared/components';
import { formatDay, formatKm, formatNumber, locale } from '../../shared/format';
import { lang } from '../../shared/translate';
import { burnupSeries, byDay, planAt, planLine, secondsDay, type Plan } from './burnup';
import { t } from './progress.i18n';
import type { ProgressStore } from './progress-store';

const ACTUAL = STATUS_SYMBOLS.active.color;
const PLAN = STATUS_SYMBOLS.planned.color;
const HEIGHT = 190;
const DAY_S = 86_400;

/** Tick labels by the span shown: years, months, or days (the chart's clock is UTC, like the days). */
function tickFormat(spanS: number): Intl.DateTimeFormatOptions {
  if (spanS > 3 * 365 * DAY_S) return { timeZone: 'UTC', year: 'numeric' };
  if (spanS > 75 * DAY_S) return { timeZone: 'UTC', month: 'short', year: '2-digit' };
  return { timeZone: 'UTC', day: 'numeric', month: 'short' };
}

interface ChartProps {
  x: number[];
  actual: (number | null)[];
  plan: (number | null)[];
  title: string;
  label: string;
  testId: string;
  value(v: number): string;
}

/** The last day the history has a figure for (now): marked with a dot, and what the legend shows while the cursor is away. */
function lastIndex(u: uPlot): number | undefined {
  const values = u.data[1];
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && values[i] !== undefined) return i;
  return undefined;
}

const showNow = (u: uPlot) => {
  const idx = lastIndex(u);
  if (idx !== undefined) u.setLegend({ idx }, false);
};

/** One uPlot chart, as wide as its box; drawn again when the language changes, fed new data otherwise. */
function Chart({ x, actual, plan, title, label, testId, value }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const language = lang.value;
  const data: uPlot.AlignedData = [x, actual, plan];

  useEffect(() => {
    const element = box.current!;
    const shown = (v: number | null | undefined) => (v === null || v === undefined ? '—' : value(v));
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: HEIGHT,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 6 } },
      legend: { show: true, live: true },
      hooks: {
        ready: [showNow],
        setData: [showNow],
        setCursor: [(u) => (u.cursor.idx === null || u.cursor.idx === undefined ? showNow(u) : undefined)],
      },
      scales: {
        // A little room after now, so that its dot is not cut in half.
        x: { time: true, range: (_u, min, max) => (min === max ? [min - 15 * DAY_S, max + 15 * DAY_S] : [min, max + Math.max(DAY_S, (max - min) * 0.02)]) },
        y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
      },
      series: [
        { label: t('burnup.day'), value: (_u, v) => (v === null || v === undefined ? '—' : formatDay(secondsDay(v))) },
        {
          label: t('burnup.actual'),
          stroke: ACTUAL,
          width: 2,
          fill: 'rgba(31, 157, 85, 0.12)',
          paths: uPlot.paths.stepped!({ align: 1 }),
          // Only now gets a dot: the history is steps, not samples.
          points: { show: false, size: 9, width: 2, fill: '#fff', filter: (u) => (lastIndex(u) === undefined ? null : [lastIndex(u)!]) },
          value: (_u, v) => shown(v),
        },
        { label: t('burnup.plan'), stroke: PLAN, width: 2, dash: [6, 5], spanGaps: true, points: { show: false }, value: (_u, v) => shown(v) },
      ],
      axes: [
        {
          stroke: '#4a5866',
          grid: { stroke: '#e6ebf0' },
          ticks: { stroke: '#e6ebf0' },
          space: 70,
          values: (u, splits) => {
            const format = new Intl.DateTimeFormat(locale(), tickFormat((u.scales.x.max ?? 0) - (u.scales.x.min ?? 0)));
            return splits.map((s) => format.format(new Date(s * 1000)));
          },
        },
        { stroke: '#4a5866', grid: { stroke: '#e6ebf0' }, ticks: { stroke: '#e6ebf0' }, size: 44, values: (_u, splits) => splits.map((s) => formatNumber(s, 1)) },
      ],
    };
    const plot = new uPlot(options, data, element);
    chart.current = plot;
    const resizer = new ResizeObserver(() => {
      const width = Math.max(200, element.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height: HEIGHT });
    });
    resizer.observe(element);
    return () => {
      resizer.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [language]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [x, actual, plan]);

  return (
    <figure class="serat-burnup__chart" data-testid={testId}>
      <figcaption class="serat-burnup__chart-title">{title}</figcaption>
      <div ref={box} class="serat-burnup__plot" role="img" aria-label={label} />
    </figure>
  );
}

/** The caption: where the plan starts, which phases it climbs to, and what it leaves out. */
function basisOf(plan: Plan): string {
  if (plan.points.length === 0 || !plan.startBasis) return t('burnup.noPlan');
  const corners = plan.points
    .filter((point) => point.due.length > 0)
    .map((point) => t('burnup.due', { phases: point.due.map((p) => p.name).join(', '), day: formatDay(point.day), sites: formatNumber(point.sites), km: formatKm(point.lengthM) }));
  const parts = [`${t(`burnup.start.${plan.startBasis}`, { start: formatDay(plan.points[0].day) })} ${t('burnup.rule')} ${corners.join('; ')}.`, t('burnup.outside')];
  if (plan.undated > 0) parts.push(t('burnup.undated', { count: plan.undated }));
  return parts.join(' ');
}

export function BurnupChart({ store }: { store: ProgressStore }) {
  const state = store.burnupState.value;
  const burnup = store.burnup.value;
  void lang.value;
  const { points, plan, series } = useMemo(() => {
    const days = burnup ? byDay(burnup.points) : [];
    const line = planLine(burnup?.phases ?? [], days[0]?.day ?? null);
    return { points: days, plan: line, series: burnupSeries(days, line) };
  }, [burnup]);
  const first = points[0];
  const last = points[points.length - 1];
  const planned = last ? planAt(plan, last.day) : null;
  const summary = (which: 'sites' | 'km') => {
    if (!first || !last) return '';
    const key = which === 'sites' ? 'burnup.sitesSummary' : 'burnup.kmSummary';
    return t(key, {
      from: formatDay(first.day),
      to: formatDay(last.day),
      now: which === 'sites' ? formatNumber(last.sitesConnected) : formatKm(last.lengthActiveM),
      total: which === 'sites' ? formatNumber(last.sitesInScope) : formatKm(last.lengthInScopeM),
      plan: planned ? (which === 'sites' ? formatNumber(planned.sites) : formatKm(planned.lengthM)) : t('burnup.planNone'),
    });
  };

  return (
    <section
      class="serat-rollout__section serat-burnup"
      aria-labelledby="progress-burnup-title"
      data-testid="progress-burnup"
      data-state={state}
      data-day={last?.day ?? ''}
      data-sites-connected={last?.sitesConnected ?? ''}
      data-length-active-m={last?.lengthActiveM ?? ''}
      data-plan-points={plan.points.length}
    >
      <h3 id="progress-burnup-title">{t('burnup.title')}</h3>
      {state === 'loading' && !burnup && <p role="status">{t('burnup.loading')}</p>}
      {state === 'failed' && (
        <div role="alert" class="serat-planner__message serat-planner__message--error">
          <p>{t('burnup.failed')}</p>
          <Button onClick={() => void store.load()}>{t('progress.retry')}</Button>
        </div>
      )}
      {burnup && last && (
        <>
          <div class="serat-burnup__charts">
            <Chart
              x={series.x}
              actual={series.sitesConnected}
              plan={series.planSites}
              title={t('burnup.sites')}
              label={summary('sites')}
              testId="progress-burnup-sites"
              value={(v) => formatNumber(v)}
            />
            <Chart
              x={series.x}
              actual={series.kmActive}
              plan={series.planKm}
              title={t('burnup.km')}
              label={summary('km')}
              testId="progress-burnup-km"
              value={(v) => formatKm(v * 1000)}
            />
          </div>
          <p class="serat-burnup__caption" data-testid="progress-burnup-caption">
            {basisOf(plan)}
          </p>
          <table class="serat-visually-hidden" data-testid="progress-burnup-table">
            <caption>{t('burnup.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('burnup.day')}</th>
                <th scope="col">{t('burnup.what')}</th>
                <th scope="col">{t('burnup.sites')}</th>
                <th scope="col">{t('progress.length')}</th>
              </tr>
            </thead>
            <tbody>
              {plan.points.map((point) => (
                <tr key={`plan-${point.day}`}>
                  <td>{formatDay(point.day)}</td>
                  <td>{point.due.length ? t('burnup.planDue', { phases: point.due.map((p) => p.name).join(', ') }) : t('burnup.planStart')}</td>
                  <td>{formatNumber(point.sites)}</td>
                  <td>{formatKm(point.lengthM)}</td>
                </tr>
              ))}
              {first !== last && (
                <tr>
                  <td>{formatDay(first.day)}</td>
                  <td>{t('burnup.first')}</td>
                  <td>{formatNumber(first.sitesConnected)}</td>
                  <td>{formatKm(first.lengthActiveM)}</td>
                </tr>
              )}
              <tr data-testid="progress-burnup-now">
                <td>{formatDay(last.day)}</td>
                <td>{t('burnup.now')}</td>
                <td>{formatNumber(last.sitesConnected)}</td>
                <td>{formatKm(last.lengthActiveM)}</td>
              </tr>
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
