/**
 * The milestones tab of the progress screen: the list (all, or what awaits the reader) and one
 * milestone's page, with its progress, the forecast and its basis, the evidence behind it (what each
 * segment in scope lacks, a way to each on the map), and the mentors' review thread with the form
 * the reader's role may use. Planners also create and change milestones here and record a manual
 * one done (milestone-form-view.tsx).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Milestone, MilestoneDetail, MilestoneEvaluation, MilestoneThreadEntry, ReviewVerdict } from '../../../../../libs/contract/src';
import { fieldApi } from '../../shared/api';
import { Button, ProgressBar, StatusChip } from '../../shared/components';
import { formatBytes, formatDateTimeWib, formatDay, formatKm, formatNumber } from '../../shared/format';
import { siteKindLabel } from '../../shared/i18n';
import { CompletionForm, MilestoneForm } from './milestone-form-view';
import { createEvidencePackStore } from './evidence-pack-store';
import { t } from './milestones.i18n';
import { threadRole, type Awaiting, type MilestonesStore } from './milestones-store';

const FILTERS: Awaiting[] = ['all', 'review', 'answer'];

/** A criterion's figure in its unit: "80 %", "12,5 km". */
function figure(value: number, unit: MilestoneEvaluation['unit']): string {
  return unit === 'km' ? formatKm(value * 1000) : `${formatNumber(value, 1)} %`;
}

/** What a milestone asks for, in words. */
export function criterionText(milestone: Milestone): string {
  const phase = milestone.phaseCode ?? t('criterion.noPhase');
  switch (milestone.criterion) {
    case 'sites_connected':
      return t('criterion.sites_connected', {
        target: formatNumber(milestone.targetValue ?? 0, 1),
        kind: milestone.siteKind ? siteKindLabel(milestone.siteKind) : t('criterion.sites_connected.anyKind'),
        phase,
      });
    case 'km_active':
      return t('criterion.km_active', { target: formatKm((milestone.targetValue ?? 0) * 1000), area: milestone.areaName ?? t('criterion.region') });
    case 'segments_tested':
      return t('criterion.segments_tested', { phase });
    case 'manual':
      return t('criterion.manual');
  }
}

function StateBadge({ milestone }: { milestone: Milestone }) {
  const state = milestone.evaluation.state;
  return (
    <span class={`serat-milestone__state serat-milestone__state--${state}`} data-testid="milestone-state" data-state={state}>
      {t(`state.${state}`)}
    </span>
  );
}

function ReviewBadge({ milestone }: { milestone: Milestone }) {
  const status = milestone.review.status;
  return (
    <span class={`serat-milestone__review serat-milestone__review--${status}`} data-testid="milestone-review" data-status={status}>
      {t(`review.${status}`)}
    </span>
  );
}

function MilestoneRow({ milestone, onOpen }: { milestone: Milestone; onOpen(): void }) {
  const { evaluation } = milestone;
  return (
    <li class="serat-milestone__item" data-testid={`milestone-${milestone.code}`}>
      <button type="button" class="serat-milestone__open" onClick={onOpen} data-testid={`milestone-open-${milestone.code}`}>
        <span class="serat-milestone__line">
          <span class="serat-milestone__category">{t(`category.${milestone.category}`)}</span>
          <strong class="serat-milestone__name">
            {milestone.code} — {milestone.title}
          </strong>
        </span>
        <span class="serat-milestone__line serat-milestone__line--meta">
          <StateBadge milestone={milestone} />
          <ReviewBadge milestone={milestone} />
          <span>
            {evaluation.achievedOn ? t('milestones.achievedOn', { date: formatDay(evaluation.achievedOn) }) : t('milestones.target', { date: formatDay(milestone.targetDate) })}
          </span>
        </span>
        <ProgressBar percent={evaluation.progressPercent} label={t('milestones.progress', { name: milestone.code })} />
      </button>
    </li>
  );
}

export function MilestoneList({ store }: { store: MilestonesStore }) {
  const state = store.state.value;
  const filter = store.filter.value;
  const list = store.milestones.value;
  const [composing, setComposing] = useState(false);
  const newButton = useRef<HTMLDivElement>(null);
  if (composing) {
    const close = () => {
      setComposing(false);
      requestAnimationFrame(() => newButton.current?.querySelector('button')?.focus());
    };
    // Once kept, the new milestone's page opens in place of the list (the store opens it).
    return (
      <section class="serat-rollout__section" aria-label={t('mform.titleNew')}>
        <MilestoneForm store={store} onDone={() => setComposing(false)} onCancel={close} />
      </section>
    );
  }
  return (
    <section class="serat-rollout__section" aria-labelledby="milestones-title" data-testid="milestone-list" data-state={state}>
      <div class="serat-rollout__section-head">
        <h3 id="milestones-title">{t('milestones.title')}</h3>
        {store.canPlan && (
          <div ref={newButton}>
            <Button variant="primary" onClick={() => setComposing(true)} data-testid="milestone-new">
              + {t('mform.new')}
            </Button>
          </div>
        )}
        <div class="serat-rollout__measure" role="radiogroup" aria-label={t('milestones.filter')}>
          {FILTERS.map((value) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={filter === value}
              class="serat-rollout__measure-option"
              onClick={() => store.setFilter(value)}
              data-testid={`milestones-filter-${value}`}
            >
              {t(`milestones.filter.${value}`)}
            </button>
          ))}
        </div>
      </div>
      {state === 'loading' && <p role="status">{t('milestones.loading')}</p>}
      {state === 'failed' && (
        <div role="alert" class="serat-planner__message serat-planner__message--error">
          <p>{t('milestones.failed')}</p>
          <Button onClick={() => void store.load()}>{t('milestones.retry')}</Button>
        </div>
      )}
      {state === 'ready' && list.length === 0 && <p data-testid="milestones-empty">{t(`milestones.empty.${filter}`)}</p>}
      <ul class="serat-milestone__list">
        {list.map((milestone) => (
          <MilestoneRow key={milestone.id} milestone={milestone} onOpen={() => void store.open(milestone.id)} />
        ))}
      </ul>
      {store.next.value && <Button onClick={() => void store.more()}>{t('milestones.more')}</Button>}
    </section>
  );
}

function Forecast({ milestone }: { milestone: Milestone }) {
  const { evaluation } = milestone;
  if (milestone.criterion === 'manual') return null;
  const forecast = evaluation.forecast;
  return (
    <div class="serat-milestone__forecast" data-testid="milestone-forecast">
      <span class="serat-rollout__tile-label">{t('page.forecast')}</span>
      {forecast ? (
        <>
          <strong>{forecast.date ? formatDay(forecast.date) : t('page.forecastNever')}</strong>
          <span class="serat-rollout__tile-detail" data-testid="milestone-forecast-basis">
            {t('page.forecastBasis', {
              window: forecast.windowDays,
              fromValue: figure(forecast.from.value, evaluation.unit),
              fromDay: formatDay(forecast.from.day),
              toValue: figure(forecast.to.value, evaluation.unit),
              toDay: formatDay(forecast.to.day),
              rate: figure(forecast.ratePerDay, evaluation.unit),
            })}
          </span>
        </>
      ) : (
        <strong>{evaluation.achievedOn ? t('milestones.achievedOn', { date: formatDay(evaluation.achievedOn) }) : '—'}</strong>
      )}
    </div>
  );
}

/** The evidence pack for an audit: asked for, its progress while the worker builds it, then the download. */
function EvidencePackPanel({ milestoneId }: { milestoneId: string }) {
  const pack = useMemo(() => createEvidencePackStore(milestoneId), [milestoneId]);
  useEffect(() => () => pack.dispose(), [pack]);
  const current = pack.pack.value;
  const problem = pack.problem.value ?? (current?.state === 'failed' ? (current.error?.message ?? null) : null);
  const building = current?.state === 'queued' || current?.state === 'running';
  return (
    <section class="serat-rollout__section" aria-labelledby="milestone-pack-title" data-testid="evidence-pack" data-state={current?.state ?? ''}>
      <h3 id="milestone-pack-title">{t('pack.title')}</h3>
      <p class="serat-rollout__tile-detail">{t('pack.hint')}</p>
      {building && <ProgressBar percent={current.progress} label={t('pack.building')} testId="evidence-pack-progress" />}
      {current?.state === 'done' && current.downloadUrl && (
        <p>
          <a class="serat-button serat-button--primary" href={current.downloadUrl} download data-testid="evidence-pack-download">
            {t('pack.download', { size: formatBytes(current.sizeBytes ?? 0), files: formatNumber(current.files ?? 0) })}
          </a>
          <span class="serat-rollout__tile-detail serat-milestone__sha"> SHA-256 {current.sha256}</span>
        </p>
      )}
      {problem && (
        <p role="alert" class="serat-planner__message serat-planner__message--error" data-testid="evidence-pack-problem">
          {problem}
        </p>
      )}
      {!building && (
        <Button onClick={() => void pack.request()} busy={pack.busy.value} data-testid="evidence-pack-request">
          {current?.state === 'done' ? t('pack.again') : t('pack.request')}
        </Button>
      )}
    </section>
  );
}

function Evidence({ store, milestone, showSegment }: { store: MilestonesStore; milestone: MilestoneDetail; showSegment(id: string): void }) {
  const { evidence } = milestone;
  const page = store.evidence.value;
  const kinds = evidence.required.map((kind) => t(`evidence.${kind}`)).join(', ');
  return (
    <section class="serat-rollout__section" aria-labelledby="milestone-evidence-title" data-testid="milestone-evidence" data-complete={String(evidence.complete)}>
      <h3 id="milestone-evidence-title">{t('page.evidence')}</h3>
      {milestone.criterion === 'manual' ? (
        <p>{evidence.attachedPhotos ? t('page.evidenceComplete') : t('page.evidenceManualMissing')}</p>
      ) : (
        <>
          <p>{evidence.required.length ? t('page.evidenceRequired', { kinds }) : t('page.evidenceNone')}</p>
          <p>{t('page.evidenceScope', { count: formatNumber(evidence.segmentsInScope) })}</p>
          {evidence.complete ? (
            <p class="serat-milestone__ok" data-testid="milestone-evidence-complete">
              {t('page.evidenceComplete')}
            </p>
          ) : (
            <ul class="serat-milestone__missing" data-testid="milestone-evidence-missing">
              {evidence.missing
                .filter((item) => item.segments > 0)
                .map((item) => (
                  <li key={item.kind} data-kind={item.kind}>
                    {t('page.evidenceMissing', { count: formatNumber(item.segments), kind: t(`evidence.${item.kind}`) })}
                  </li>
                ))}
            </ul>
          )}
        </>
      )}
      {page && page.items.length > 0 && (
        <div class="serat-milestone__table-wrap">
          <table class="serat-rollout__table" data-testid="milestone-evidence-items">
            <thead>
              <tr>
                <th scope="col">{t('page.segment')}</th>
                <th scope="col">{t('page.status')}</th>
                <th scope="col">{t('page.length')}</th>
                <th scope="col">{t('page.photoCount')}</th>
                <th scope="col">{t('page.gps')}</th>
                <th scope="col">{t('page.otdr')}</th>
                <th scope="col">{t('page.lacks')}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => (
                <tr key={item.segmentId} data-testid={`milestone-evidence-${item.code}`} data-missing={item.missing.join(' ')}>
                  <th scope="row">
                    <button type="button" class="serat-rollout__drill" aria-label={t('page.showOnMap', { code: item.code })} onClick={() => showSegment(item.segmentId)}>
                      {item.code}
                    </button>
                  </th>
                  <td>
                    <StatusChip status={item.status} />
                  </td>
                  <td class="serat-rollout__num">{formatKm(item.lengthM, 2)}</td>
                  <td class="serat-rollout__num">{formatNumber(item.photos)}</td>
                  <td>{item.gps ? t('page.yes') : t('page.no')}</td>
                  <td>{item.otdr ? t('page.otdrReading', { loss: formatNumber(item.otdr.lossDb, 2) }) : t('page.no')}</td>
                  <td>{item.missing.map((kind) => t(`evidence.${kind}`)).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="serat-rollout__tile-detail">{t('page.evidenceCount', { shown: formatNumber(page.items.length), total: formatNumber(evidence.segmentsInScope) })}</p>
          {page.next && <Button onClick={() => void store.moreEvidence()}>{t('page.moreEvidence')}</Button>}
        </div>
      )}
      {milestone.photos.length > 0 && (
        <div class="serat-milestone__photos" data-testid="milestone-photos">
          <h4>{t('page.photos')}</h4>
          {milestone.photos.map((photo, index) => (
            <a key={photo.id} href={fieldApi.photoUrl(photo.id)} target="_blank" rel="noopener">
              <img src={fieldApi.thumbnailUrl(photo.id)} alt={t('page.photo', { n: index + 1 })} loading="lazy" width={96} height={96} />
            </a>
          ))}
        </div>
      )}
    </section>
  );
}

function ThreadEntry({ entry, unit }: { entry: MilestoneThreadEntry; unit: MilestoneEvaluation['unit'] }) {
  const superseded = entry.supersededBy !== null;
  return (
    <li
      class={`serat-milestone__entry serat-milestone__entry--${entry.kind}${superseded ? ' serat-milestone__entry--superseded' : ''}`}
      data-testid="thread-entry"
      data-kind={entry.kind}
      data-verdict={entry.verdict ?? ''}
      data-superseded={String(superseded)}
    >
      <div class="serat-milestone__entry-head">
        <strong>{entry.kind === 'review' ? t('thread.review') : t('thread.reply')}</strong>
        {entry.verdict && <span class={`serat-milestone__verdict serat-milestone__verdict--${entry.verdict}`}>{t(`thread.${entry.verdict}`)}</span>}
        <span>{entry.authorLabel}</span>
        <time dateTime={entry.createdAt}>{formatDateTimeWib(entry.createdAt)}</time>
      </div>
      <p class="serat-milestone__body">{entry.body}</p>
      {entry.atState && (
        <p class="serat-rollout__tile-detail">
          {t('thread.atState', {
            state: t(`state.${entry.atState.state}`),
            value: figure(entry.atState.value, unit),
            target: figure(entry.atState.target, unit),
            evidence: entry.atState.evidenceComplete ? t('thread.evidenceComplete') : t('thread.evidenceIncomplete'),
          })}
        </p>
      )}
      {superseded && <p class="serat-milestone__superseded">{t('thread.superseded')}</p>}
    </li>
  );
}

/** The form of the reader's role: a mentor's verdict and comment, or a planner's reply. */
function ThreadForm({ store }: { store: MilestonesStore }) {
  const mode = threadRole(store.role);
  const [verdict, setVerdict] = useState<ReviewVerdict>('request_changes');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  if (!mode) return <p class="serat-rollout__tile-detail">{t('form.readOnly')}</p>;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!body.trim()) {
      setProblem(t('form.empty'));
      return;
    }
    setBusy(true);
    setProblem(null);
    setSent(false);
    const failure = mode === 'review' ? await store.review(verdict, body.trim()) : await store.reply(body.trim());
    setBusy(false);
    if (failure) {
      setProblem(failure);
      return;
    }
    setBody('');
    setSent(true);
  };
  return (
    <form class="serat-milestone__form" onSubmit={(event) => void submit(event)} data-testid={`thread-form-${mode}`} noValidate>
      <h4>{mode === 'review' ? t('form.review') : t('form.reply')}</h4>
      {mode === 'review' && (
        <fieldset class="serat-milestone__verdicts">
          <legend>{t('form.verdict')}</legend>
          {(['approve', 'request_changes'] as const).map((value) => (
            <label key={value}>
              <input type="radio" name="verdict" value={value} checked={verdict === value} onChange={() => setVerdict(value)} data-testid={`verdict-${value}`} />
              {value === 'approve' ? t('form.approve') : t('form.requestChanges')}
            </label>
          ))}
          <p class="serat-rollout__tile-detail">{t('form.approveHint')}</p>
        </fieldset>
      )}
      <label class="serat-milestone__label" for="thread-body">
        {t('form.comment')}
      </label>
      {mode === 'reply' && <p class="serat-rollout__tile-detail">{t('form.replyHint')}</p>}
      <textarea id="thread-body" rows={4} value={body} onInput={(event) => setBody((event.target as HTMLTextAreaElement).value)} data-testid="thread-body" />
      {problem && (
        <p role="alert" class="serat-planner__message serat-planner__message--error" data-testid="thread-problem">
          {problem}
        </p>
      )}
      {sent && (
        <p role="status" data-testid="thread-sent">
          {t('form.sent')}
        </p>
      )}
      <Button variant="primary" type="submit" busy={busy} data-testid="thread-send">
        {busy ? t('form.sending') : t('form.send')}
      </Button>
    </form>
  );
}

/** What a milestone's page shows: the milestone, or a planner's form over it. */
type PageMode = 'view' | 'edit' | 'done';

export function MilestonePage({ store, showSegment }: { store: MilestonesStore; showSegment(id: string): void }) {
  const milestone = store.selected.value;
  const pageState = store.pageState.value;
  const [mode, setMode] = useState<PageMode>('view');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setMode('view');
    setSaved(false);
  }, [milestone?.id]);
  useEffect(() => {
    if (mode === 'view') document.getElementById('milestone-page-title')?.focus();
  }, [milestone?.id, mode]);
  const openForm = (next: PageMode) => {
    setSaved(false);
    setMode(next);
  };
  const closeForm = (kept: boolean) => {
    setMode('view');
    setSaved(kept);
  };
  if (!milestone) {
    return (
      <section class="serat-rollout__section">
        <Button onClick={() => store.back()}>{t('page.back')}</Button>
        {pageState === 'loading' && <p role="status">{t('page.loading')}</p>}
        {pageState === 'failed' && (
          <p role="alert" class="serat-planner__message serat-planner__message--error">
            {t('page.failed')}
          </p>
        )}
      </section>
    );
  }
  const { evaluation } = milestone;
  const entries = store.thread.value;
  if (mode === 'edit') {
    return (
      <div class="serat-milestone" data-testid="milestone-page" data-code={milestone.code} data-state={pageState} data-mode="edit">
        <MilestoneForm key={milestone.id} store={store} milestone={milestone} onDone={() => closeForm(true)} onCancel={() => closeForm(false)} />
      </div>
    );
  }
  const canRecordDone = store.canPlan && milestone.criterion === 'manual' && !milestone.manualDoneOn;
  return (
    <article class="serat-milestone" aria-labelledby="milestone-page-title" data-testid="milestone-page" data-code={milestone.code} data-state={pageState} data-mode={mode}>
      <div class="serat-milestone__actions">
        <Button onClick={() => store.back()} data-testid="milestone-back">
          ← {t('page.back')}
        </Button>
        {store.canPlan && mode === 'view' && (
          <span class="serat-milestone__plan">
            {canRecordDone && (
              <Button variant="primary" onClick={() => openForm('done')} data-testid="milestone-record-done">
                {t('done.open')}
              </Button>
            )}
            <Button onClick={() => openForm('edit')} data-testid="milestone-edit">
              {t('mform.edit')}
            </Button>
          </span>
        )}
      </div>
      {saved && (
        <p role="status" class="serat-milestone__ok" data-testid="milestone-saved">
          {t('mform.saved')}
        </p>
      )}
      <header class="serat-milestone__head">
        <span class="serat-milestone__category">{t(`category.${milestone.category}`)}</span>
        <h3 id="milestone-page-title" tabIndex={-1}>
          {milestone.code} — {milestone.title}
        </h3>
        <div class="serat-milestone__line serat-milestone__line--meta">
          <StateBadge milestone={milestone} />
          <ReviewBadge milestone={milestone} />
          <span>{t('milestones.target', { date: formatDay(milestone.targetDate) })}</span>
          {evaluation.achievedOn && <span>{t('milestones.achievedOn', { date: formatDay(evaluation.achievedOn) })}</span>}
        </div>
        {milestone.description && <p>{milestone.description}</p>}
      </header>
      <section class="serat-rollout__tiles">
        <div class="serat-rollout__tile" data-testid="milestone-progress">
          <span class="serat-rollout__tile-label">{t('page.criterion')}</span>
          <span>{criterionText(milestone)}</span>
          {milestone.criterion === 'manual' ? (
            <strong class="serat-rollout__tile-value">
              {milestone.manualDoneOn ? t('page.manualDone', { date: formatDay(milestone.manualDoneOn) }) : t('page.manualNotDone')}
            </strong>
          ) : (
            <strong class="serat-rollout__tile-value">
              {t('page.value', { value: figure(evaluation.value, evaluation.unit), target: figure(evaluation.target, evaluation.unit) })}
            </strong>
          )}
          <ProgressBar percent={evaluation.progressPercent} label={t('milestones.progress', { name: milestone.code })} />
          {evaluation.achievedOn && !evaluation.holdsNow && <span class="serat-rollout__tile-detail">{t('page.holdsNot', { date: formatDay(evaluation.achievedOn) })}</span>}
          {milestone.manualNote && <span class="serat-rollout__tile-detail">{milestone.manualNote}</span>}
          <span class="serat-rollout__tile-detail">{t('page.asOf', { at: formatDay(evaluation.asOf) })}</span>
        </div>
        <div class="serat-rollout__tile">
          <Forecast milestone={milestone} />
        </div>
      </section>
      {mode === 'done' && (
        <section class="serat-rollout__section">
          <CompletionForm key={milestone.id} store={store} milestone={milestone} onDone={() => closeForm(true)} onCancel={() => closeForm(false)} />
        </section>
      )}
      <Evidence store={store} milestone={milestone} showSegment={showSegment} />
      <EvidencePackPanel key={milestone.id} milestoneId={milestone.id} />
      <section class="serat-rollout__section" aria-labelledby="milestone-thread-title" data-testid="milestone-thread">
        <h3 id="milestone-thread-title">{t('thread.title')}</h3>
        <p class="serat-rollout__tile-detail">{t('thread.immutable')}</p>
        {entries.length === 0 ? (
          <p>{t('thread.empty')}</p>
        ) : (
          <ol class="serat-milestone__thread">
            {entries.map((entry) => (
              <ThreadEntry key={entry.id} entry={entry} unit={evaluation.unit} />
            ))}
          </ol>
        )}
        <ThreadForm key={milestone.id} store={store} />
      </section>
    </article>
  );
}
