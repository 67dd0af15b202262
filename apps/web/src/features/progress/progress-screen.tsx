import { useEffect, useRef, useState } from 'preact/hooks';
import type { AreaProgress } from '../../../../../libs/contract/src';
import { Button, LanguageSwitch } from '../../shared/components';
import { formatDistance, formatKm, formatNumber, formatRupiah } from '../../shared/format';
import { BurnupChart } from './burnup-chart';
import { KecamatanChoropleth } from './kecamatan-choropleth';
import { t, type ProgressKey } from './progress.i18n';
import type { Measure, ProgressStore } from './progress-store';
import { t as tm } from './milestones.i18n';
import type { MilestonesStore } from './milestones-store';
import { MilestoneList, MilestonePage } from './milestones-view';

export type ProgressTab = 'overview' | 'milestones';
const TABS: ProgressTab[] = ['overview', 'milestones'];

const connectedOf = (area: AreaProgress, kind: string) => area.sites.find((s) => s.kind === kind) ?? { inScope: 0, connected: 0, passed: 0 };
const percentText = (value: number | null) => (value === null ? t('progress.none') : `${formatNumber(value, 1)} %`);
const MEASURES: [Measure, ProgressKey][] = [
  ['sites', 'progress.bySites'],
  ['length', 'progress.byLength'],
];

function Tile(props: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <div class="serat-rollout__tile" data-testid={props.testId}>
      <span class="serat-rollout__tile-label">{props.label}</span>
      <strong class="serat-rollout__tile-value">{props.value}</strong>
      {props.detail && <span class="serat-rollout__tile-detail">{props.detail}</span>}
    </div>
  );
}

/** One area's line: its name, a bar of its percent complete by the chosen measure, and the figures behind it. */
function AreaRow({ area, measure, depth, action }: { area: AreaProgress; measure: Measure; depth: number; action?: preact.ComponentChildren }) {
  const percent = measure === 'sites' ? area.percentBySites : area.percentByLength;
  return (
    <tr class={`serat-rollout__row serat-rollout__row--${depth ? 'desa' : 'kecamatan'}`} data-testid={`progress-row-${area.code}`} data-percent={percent ?? ''}>
      <th scope="row">{action ?? area.name}</th>
      <td class="serat-rollout__bar-cell">
        <span class="serat-rollout__bar" aria-hidden="true">
          <span class="serat-rollout__bar-fill" style={{ width: `${Math.min(100, percent ?? 0)}%` }} />
        </span>
        <span class="serat-rollout__percent">{percentText(percent)}</span>
      </td>
      <td class="serat-rollout__num">{t('progress.ofTotal', { done: formatNumber(area.sitesConnected), total: formatNumber(area.sitesInScope) })}</td>
      <td class="serat-rollout__num">{t('progress.cableOf', { done: formatKm(area.lengthActiveM), total: formatKm(area.lengthInScopeM) })}</td>
    </tr>
  );
}

/** The reports a Diskominfo hands to the Bupati or the DPRD, and the figures as CSV. */
function Reports() {
  const links: [string, ProgressKey, boolean][] = [
    ['/api/reports/progress.html', 'reports.html', false],
    ['/api/reports/progress.pdf', 'reports.pdf', false],
    ['/api/reports/progress.csv?level=kecamatan', 'reports.kecamatanCsv', true],
    ['/api/reports/progress.csv?level=desa', 'reports.desaCsv', true],
    ['/api/reports/milestones.csv', 'reports.milestonesCsv', true],
    ['/api/reports/savings.csv?level=kecamatan&kind=sopd', 'reports.savingsCsv', true],
  ];
  return (
    <section class="serat-rollout__section" aria-labelledby="progress-reports-title" data-testid="progress-reports">
      <h3 id="progress-reports-title">{t('reports.title')}</h3>
      <div class="serat-rollout__reports">
        {links.map(([href, label, download]) => (
          <a key={href} class="serat-button serat-button--secondary" href={href} target={download ? undefined : '_blank'} rel="noopener" download={download || undefined}>
            {t(label)}
          </a>
        ))}
      </div>
    </section>
  );
}

function Savings({ store }: { store: ProgressStore }) {
  const savings = store.savings.value;
  if (!savings) return null;
  const { sopd, share } = savings;
  const perMonth = sopd.sitesWithBill ? sopd.ispBillPerMonthIdr / sopd.sitesWithBill : 0;
  return (
    <section class="serat-rollout__section" aria-labelledby="progress-savings-title" data-testid="progress-savings">
      <h3 id="progress-savings-title">{t('savings.title')}</h3>
      <div class="serat-rollout__tiles">
        <Tile
          testId="savings-bill"
          label={t('savings.bill', { count: formatNumber(sopd.sitesInScope) })}
          value={formatRupiah(sopd.ispBillPerYearIdr)}
          detail={t('savings.billBasis', { count: formatNumber(sopd.sitesWithBill), perMonth: formatRupiah(perMonth) })}
        />
        <Tile
          testId="savings-month"
          label={t('savings.perMonth')}
          value={formatRupiah(sopd.savingPerMonthIdr)}
          detail={t('savings.perMonthBasis', { count: formatNumber(sopd.sitesConnected), share: `${formatNumber(share * 100)} %` })}
        />
        <Tile testId="savings-to-date" label={t('savings.toDate')} value={formatRupiah(sopd.savedToDateIdr)} detail={t('savings.toDateBasis')} />
        <Tile
          testId="savings-potential"
          label={t('savings.potential')}
          value={formatRupiah(sopd.potentialSavingPerYearIdr)}
          detail={t('savings.potentialBasis', { count: formatNumber(sopd.sitesInScope) })}
        />
      </div>
    </section>
  );
}

interface ScreenProps {
  store: ProgressStore;
  milestones: MilestonesStore;
  initialTab: ProgressTab;
  onClose(): void;
  showSegment(id: string): void;
}

/** The progress screen: the overview (figures, savings, areas) and the milestones, as two tabs. */
export function ProgressScreen({ store, milestones, initialTab, onClose, showSegment }: ScreenProps) {
  const [tab, setTab] = useState<ProgressTab>(initialTab);
  const loaded = useRef(new Set<ProgressTab>());
  useEffect(() => {
    if (loaded.current.has(tab)) return;
    loaded.current.add(tab);
    void (tab === 'overview' ? store.load() : milestones.load());
  }, [tab]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  const region = store.region.value;
  return (
    <div class="serat-rollout" role="dialog" aria-modal="true" aria-labelledby="progress-title" data-testid="progress-screen" data-state={store.state.value} data-tab={tab}>
      <header class="serat-rollout__head">
        <h2 id="progress-title">{t('progress.title')}</h2>
        <span class="serat-rollout__region">{region?.name ?? ''}</span>
        <LanguageSwitch />
        <button type="button" class="serat-dialog__close serat-rollout__close" aria-label={t('progress.close')} onClick={onClose} data-testid="progress-close">
          ×
        </button>
      </header>
      <div class="serat-rollout__tabs" role="tablist" aria-label={t('progress.title')}>
        {TABS.map((value) => (
          <button
            key={value}
            type="button"
            role="tab"
            id={`progress-tab-${value}`}
            aria-selected={tab === value}
            aria-controls="progress-panel"
            class="serat-rollout__tab"
            onClick={() => setTab(value)}
            data-testid={`progress-tab-${value}`}
          >
            {tm(value === 'overview' ? 'tab.overview' : 'tab.milestones')}
          </button>
        ))}
      </div>
      <div class="serat-rollout__body" id="progress-panel" role="tabpanel" aria-labelledby={`progress-tab-${tab}`}>
        {tab === 'milestones' ? (
          milestones.selected.value || milestones.pageState.value !== 'idle' ? (
            <MilestonePage store={milestones} showSegment={showSegment} />
          ) : (
            <MilestoneList store={milestones} />
          )
        ) : (
          <Overview store={store} />
        )}
      </div>
    </div>
  );
}

/** The figures, the burn-up chart, the savings, and each kecamatan on a map and as a bar. */
function Overview({ store }: { store: ProgressStore }) {
  const region = store.region.value;
  const state = store.state.value;
  const measure = store.measure.value;
  const open = store.open.value;
  return (
    <>
      {state === 'loading' && <p role="status">{t('progress.loading')}</p>}
      {state === 'failed' && (
        <div role="alert" class="serat-planner__message serat-planner__message--error">
          <p>{t('progress.failed')}</p>
          <Button onClick={() => void store.load()}>{t('progress.retry')}</Button>
        </div>
      )}
      {region && (
        <>
          <section class="serat-rollout__tiles" aria-label={t('progress.title')}>
            <Tile
              testId="progress-sopd"
              label={t('progress.sopd')}
              value={t('progress.ofTotal', { done: formatNumber(connectedOf(region, 'sopd').connected), total: formatNumber(connectedOf(region, 'sopd').inScope) })}
            />
            <Tile
              testId="progress-kantor-kecamatan"
              label={t('progress.kantorKecamatan')}
              value={t('progress.ofTotal', {
                done: formatNumber(connectedOf(region, 'kantor_kecamatan').connected),
                total: formatNumber(connectedOf(region, 'kantor_kecamatan').inScope),
              })}
            />
            <Tile
              testId="progress-cable"
              label={t('progress.cable')}
              value={percentText(region.percentByLength)}
              detail={t('progress.cableOf', { done: formatKm(region.lengthActiveM), total: formatKm(region.lengthInScopeM) })}
            />
            <Tile
              testId="progress-passed"
              label={t('progress.passed')}
              value={formatNumber(region.sitesPassed)}
              detail={t('progress.passedHint', { distance: formatDistance(store.passedDistanceM.value) })}
            />
          </section>
          <BurnupChart store={store} />
          <Savings store={store} />
          <Reports />
          <section class="serat-rollout__section" aria-labelledby="progress-areas-title">
            <div class="serat-rollout__section-head">
              <h3 id="progress-areas-title">{t('progress.byArea')}</h3>
              <div class="serat-rollout__measure" role="radiogroup" aria-label={t('progress.measure')}>
                {MEASURES.map(([value, label]) => (
                  <button
                    key={value}
                    type="button"
                    role="radio"
                    aria-checked={measure === value}
                    class="serat-rollout__measure-option"
                    onClick={() => store.setMeasure(value)}
                    data-testid={`progress-measure-${value}`}
                  >
                    {t(label)}
                  </button>
                ))}
              </div>
            </div>
            <div class="serat-rollout__areas">
              <KecamatanChoropleth store={store} />
              <table class="serat-rollout__table serat-rollout__table--areas" data-testid="progress-areas">
                <thead>
                  <tr>
                    <th scope="col">{t('progress.area')}</th>
                    <th scope="col">{t('progress.percent')}</th>
                    <th scope="col">{t('progress.sites')}</th>
                    <th scope="col">{t('progress.length')}</th>
                  </tr>
                </thead>
                <tbody>
                  {store.kecamatan.value.map((area) => [
                    <AreaRow
                      key={area.code}
                      area={area}
                      measure={measure}
                      depth={0}
                      action={
                        <button
                          type="button"
                          class="serat-rollout__drill"
                          aria-expanded={open === area.code}
                          aria-label={t(open === area.code ? 'progress.hideDesa' : 'progress.showDesa', { name: area.name })}
                          onClick={() => void store.toggle(area.code)}
                          data-testid={`progress-drill-${area.code}`}
                        >
                          {area.name}
                        </button>
                      }
                    />,
                    ...(open === area.code ? (store.desa.value[area.code] ?? []).map((d) => <AreaRow key={d.code} area={d} measure={measure} depth={1} />) : []),
                  ])}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </>
  );
}
