/** One segment or node: what it is, short facts, its waiting changes, the status form and its history. */
import { fieldApi, type HistoryEntry } from '../../shared/api';
import { StatusChip } from '../../shared/components';
import { formatDateTimeWib, formatDistance, formatLength, formatNumber } from '../../shared/format';
import { HistoryEvent } from '../../shared/history-event';
import { nodeKindLabel, placementLabel, t as sharedT, tierLabel } from '../../shared/i18n';
import { geoUri, navigationTarget } from '../../map/geo';
import { t } from './field.i18n';
import { PinIcon } from './field-icons';
import type { FieldStore, Snapshot } from './field-store';
import { MessageBox } from './message-box';
import { OutboxList } from './outbox-list';
import { StatusForm } from './status-form';

export function Detail({ store, snapshot }: { store: FieldStore; snapshot: Snapshot }) {
  const current = store.current.value ?? snapshot;
  const queued = store.queuedForTarget.value;
  const message = store.formMessage.value;
  const name = snapshot.node?.properties.name;
  return (
    <>
      <div class="serat-lapangan__heading" data-testid="field-detail" data-code={snapshot.code}>
        <div class="serat-lapangan__kind">{snapshot.subject === 'segment' ? sharedT('popup.segment') : nodeKindLabel(snapshot.node?.properties.kind)}</div>
        <div class="serat-lapangan__code">{snapshot.code}</div>
        {name && name !== snapshot.code && <div class="serat-lapangan__subtitle">{name}</div>}
        <div class="serat-lapangan__state" data-testid="field-detail-status" data-status={current.status}>
          <StatusChip status={current.status} />
          <span class="serat-lapangan__version">{t('field.version', { version: current.version })}</span>
        </div>
      </div>
      <Facts store={store} snapshot={snapshot} />
      <NavigateLink store={store} snapshot={snapshot} />
      {message?.kind === 'ok' && <MessageBox message={message} testId="field-form-message" />}
      {queued.length > 0 && <OutboxList store={store} items={queued} withTitle={false} />}
      <StatusForm store={store} />
      <History store={store} />
    </>
  );
}

/** Short, so the form is reached with one flick of the thumb. */
function Facts({ store, snapshot }: { store: FieldStore; snapshot: Snapshot }) {
  const detail = store.detail.value;
  const facts: Array<[string, string | null]> = [];
  if (snapshot.segment) {
    const p = snapshot.segment.properties;
    const areas = (detail.state === 'ready' ? detail.value.areas : null) ?? [];
    const areaText = (level: string) => {
      const names = areas.filter((area) => area.level === level).map((area) => area.name);
      return names.length ? names.join(', ') : detail.state === 'loading' ? t('field.loading') : null;
    };
    facts.push(
      [sharedT('popup.length'), formatLength(p.lengthM)],
      [sharedT('popup.placement'), p.placement ? placementLabel(p.placement) : null],
      [sharedT('popup.tier'), p.tier ? tierLabel(p.tier) : null],
      [sharedT('popup.cable'), p.coreCount ? sharedT('popup.cores', { count: formatNumber(Number(p.coreCount)) }) : p.cableType],
      [sharedT('popup.phase'), p.phaseName],
      [sharedT('popup.kecamatan'), areaText('kecamatan')],
      [sharedT('popup.desa'), areaText('desa')],
    );
  } else if (snapshot.node) {
    const p = snapshot.node.properties;
    facts.push([sharedT('popup.kecamatan'), store.host.kecamatanName(p.kecamatanCode) ?? p.kecamatanCode], [sharedT('popup.desa'), store.host.desaName(p.desaCode) ?? p.desaCode]);
  }
  return (
    <dl class="serat-lapangan__facts">
      {facts.map(([label, value]) => (
        <div class="serat-lapangan__fact" key={label}>
          <dt>{label}</dt>
          <dd>{value || sharedT('popup.empty')}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * "Navigasi ke sini": a `geo:` link that a phone opens in its own map app, to the node or to the
 * point of the segment nearest to where the technician last stood. Only where there is such an
 * app to open (a touch screen); a desktop browser has nothing to hand a `geo:` link to.
 */
function NavigateLink({ store, snapshot }: { store: FieldStore; snapshot: Snapshot }) {
  if (!window.matchMedia('(pointer: coarse)').matches) return null;
  const position = store.position.value;
  const place = navigationTarget(snapshot.segment?.geometry ?? snapshot.node?.geometry, position ? [position.lon, position.lat] : null);
  if (!place) return null;
  return (
    <a class="serat-button serat-button--secondary serat-lapangan__navigate" href={geoUri(place)} title={t('field.navigateHint')} data-testid="field-navigate">
      <PinIcon />
      <span>{t('field.navigate')}</span>
    </a>
  );
}

function History({ store }: { store: FieldStore }) {
  const history = store.history.value;
  let body;
  if (history.state === 'loading' || history.state === 'idle') body = <p class="serat-lapangan__hint">{t('field.loading')}</p>;
  else if (history.state === 'failed') body = <p class="serat-lapangan__hint">{t(history.offline ? 'field.historyOffline' : 'field.historyFailed')}</p>;
  else {
    body = (
      <>
        {history.offline && <p class="serat-lapangan__hint">{t('field.historyCached')}</p>}
        {history.value.length ? (
          <ol class="serat-lapangan__timeline">
            {history.value.map((entry) => (
              <FieldHistoryEvent key={entry.id} entry={entry} />
            ))}
          </ol>
        ) : (
          <p class="serat-lapangan__hint">{t('field.historyEmpty')}</p>
        )}
      </>
    );
  }
  return (
    <section class="serat-lapangan__history" data-testid="field-history">
      <h3 class="serat-lapangan__section-title">{t('field.history')}</h3>
      {body}
    </section>
  );
}

/** The shared history entry with what the field panel adds: the device's time, the evidence and the photos. */
function FieldHistoryEvent({ entry }: { entry: HistoryEntry }) {
  const evidence: string[] = [];
  if (entry.gps) {
    evidence.push(
      entry.gps.accuracyM === null || entry.gps.accuracyM === undefined
        ? t('field.historyGps')
        : t('field.historyGpsAccuracy', { accuracy: formatDistance(Number(entry.gps.accuracyM)) }),
    );
  }
  if (entry.otdr) evidence.push(t('field.historyOtdr', { length: formatNumber(Number(entry.otdr.lengthM), 1), loss: formatNumber(Number(entry.otdr.lossDb), 2) }));
  // Only when it differs: a change made offline and sent later.
  const deviceTime = entry.deviceTime && Math.abs(Date.parse(entry.deviceTime) - Date.parse(entry.changedAt)) > 60_000 ? entry.deviceTime : null;
  return (
    <HistoryEvent entry={entry} look="field" meta={deviceTime && <div class="serat-lapangan__event-meta">{t('field.deviceTime', { time: formatDateTimeWib(deviceTime) })}</div>}>
      {evidence.length > 0 && <div class="serat-lapangan__event-meta">{evidence.join(' · ')}</div>}
      {entry.photoIds?.length > 0 && (
        <div class="serat-lapangan__event-photos">
          {entry.photoIds.map((id) => (
            <a key={id} class="serat-lapangan__thumb" href={fieldApi.photoUrl(id)} target="_blank" rel="noopener">
              <img src={fieldApi.thumbnailUrl(id)} alt={t('field.photoAlt')} loading="lazy" data-testid="field-history-photo" />
            </a>
          ))}
        </div>
      )}
    </HistoryEvent>
  );
}
