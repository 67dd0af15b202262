/**
 * The planners' forms of the milestones tab: a new milestone or a change to one (the criterion
 * decides which fields there are), and recording a manual milestone done with photos or scans from
 * the device. The obvious mistakes are caught here; the server decides, and its problems are shown
 * beside the fields they are about, its general message on top. Text goes in as children, so
 * Preact escapes it.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { MILESTONE_CATEGORIES, MILESTONE_CRITERIA, MILESTONE_EVIDENCE_KINDS, type MilestoneDetail, type MilestoneEvidenceKind } from '../../../../../libs/contract/src';
import { ApiError } from '../../shared/api';
import { Button, Field } from '../../shared/components';
import { formatBytes, formatDay } from '../../shared/format';
import { siteKindLabel, t as sharedT } from '../../shared/i18n';
import { lang } from '../../shared/translate';
import { SITE_KINDS } from '../../shared/vocabulary';
import {
  checkCompletion,
  checkForm,
  criterionFields,
  defaultEvidence,
  emptyForm,
  formOf,
  requestBody,
  serverProblems,
  shownFields,
  withCategory,
  type MilestoneFormValues,
} from './milestone-form';
import { t, type MilestonesKey } from './milestones.i18n';
import type { MilestonesStore } from './milestones-store';
import './milestone-form.css';

/** The order problems are looked at in, to put the focus on the first. */
const FIELD_ORDER = ['code', 'title', 'category', 'criterion', 'phaseId', 'areaCode', 'targetValue', 'siteKind', 'requiredEvidence', 'targetDate', 'description'];
const COMPLETION_ORDER = ['doneOn', 'note', 'photos'];

const LABELS: Record<string, MilestonesKey> = {
  code: 'mform.code',
  title: 'mform.name',
  description: 'mform.description',
  category: 'mform.category',
  criterion: 'mform.criterion',
  targetDate: 'mform.targetDate',
  phaseId: 'mform.phase',
  areaCode: 'mform.area',
  targetValue: 'mform.targetKm',
  siteKind: 'mform.siteKind',
  requiredEvidence: 'mform.evidence',
  doneOn: 'done.day',
  note: 'done.note',
  photos: 'done.photos',
};
const labelOf = (field: string) => (LABELS[field] ? t(LABELS[field]) : field);

/** Why a call failed, in the reader's language: the server's words when it answered, else what went wrong on the way. */
function reasonOf(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.serverMessage) return error.serverMessage;
    if (error.reason === 'network') return t('mform.offline');
    if (error.reason === 'invalid') return sharedT('error.invalid');
    return sharedT('error.http', { status: error.httpStatus ?? '?' });
  }
  return error instanceof Error ? error.message : String(error);
}

/** The day chosen in the reader's words (a browser's date control writes it its own way, often month first). */
const dayText = (day: string) => (/^\d{4}-\d{2}-\d{2}$/.test(day) ? formatDay(day) : undefined);

/** The focus on the first field with a problem (its control, or the first control of its group). */
function focusFirst(prefix: string, order: string[], problems: ReadonlyMap<string, string>): boolean {
  for (const field of order) {
    if (!problems.has(field)) continue;
    const target = document.getElementById(`${prefix}-${field}`) ?? document.querySelector<HTMLElement>(`[data-group="${prefix}-${field}"] input`);
    if (target) {
      target.focus();
      return true;
    }
  }
  return false;
}

/** What the control of a field says to assistive technology about its problem. */
const invalid = (id: string, problem: string | undefined) => (problem ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${id}-error` } : {});

/** A group of choices (radios, checkboxes) with its legend, hint and problem. */
function Group({ id, legend, hint, problem, children }: { id: string; legend: string; hint?: string; problem?: string; children: ComponentChildren }) {
  return (
    <fieldset class="serat-mform__group" data-group={id} aria-describedby={[hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].join(' ').trim() || undefined}>
      <legend class="serat-field__label">{legend}</legend>
      {hint && (
        <p class="serat-field__hint serat-mform__group-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children}
      {problem && (
        <p class="serat-field__error" id={`${id}-error`} role="alert">
          {problem}
        </p>
      )}
    </fieldset>
  );
}

/** What goes on top: the server's general message, else a pointer to the fields still marked. */
const topLines = (general: string[], fields: ReadonlyMap<string, string>) => (general.length ? general : fields.size ? [t('mform.checkFields')] : []);

/** Problems on top, announced. */
function TopProblems({ lines, testId }: { lines: string[]; testId: string }) {
  if (!lines.length) return null;
  return (
    <div role="alert" class="serat-planner__message serat-planner__message--error serat-mform__top" data-testid={testId} tabIndex={-1}>
      {lines.map((line, index) => (
        <p key={index}>{line}</p>
      ))}
    </div>
  );
}

/** Escape leaves the form (not the whole progress screen), unless something is being sent. */
function onEscape(busy: boolean, cancel: () => void) {
  return (event: JSX.TargetedKeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Escape' || busy) return;
    event.preventDefault();
    cancel();
  };
}

interface MilestoneFormProps {
  store: MilestonesStore;
  /** The milestone to change; none for a new one. */
  milestone?: MilestoneDetail;
  /** Kept: the form closes (a new milestone's page is already opening). */
  onDone(): void;
  onCancel(): void;
}

/** A new milestone, or a change to one (with the version it was read at). */
export function MilestoneForm({ store, milestone, onDone, onCancel }: MilestoneFormProps) {
  const [base, setBase] = useState<MilestoneDetail | undefined>(milestone);
  const [values, setValues] = useState<MilestoneFormValues>(() => (milestone ? formOf(milestone, lang.value) : emptyForm()));
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const [top, setTop] = useState<string[]>([]);
  const [conflict, setConflict] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mounted = useRef(true);
  const heading = useRef<HTMLHeadingElement>(null);
  const choices = store.choices.value;
  const choicesState = store.choicesState.value;
  const shown = criterionFields(values.criterion);
  const prefix = 'mform';

  useEffect(() => {
    void store.loadChoices();
    heading.current?.focus();
    return () => {
      mounted.current = false;
    };
  }, []);
  // Km active is counted for the kabupaten unless a kecamatan is chosen.
  useEffect(() => {
    if (shown.area && !values.areaCode && choices?.kabupaten.length) setValues((v) => ({ ...v, areaCode: choices.kabupaten[0].code }));
  }, [shown.area, choices]);

  useEffect(() => {
    if (conflict) document.querySelector<HTMLElement>('#mform-conflict button')?.focus();
  }, [conflict]);

  const set = <K extends keyof MilestoneFormValues>(key: K, value: MilestoneFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (problems.has(key)) {
      const rest = new Map(problems);
      rest.delete(key);
      setProblems(rest);
    }
  };
  const toggleEvidence = (kind: MilestoneEvidenceKind, on: boolean) =>
    set('requiredEvidence', on ? MILESTONE_EVIDENCE_KINDS.filter((k) => k === kind || values.requiredEvidence.includes(k)) : values.requiredEvidence.filter((k) => k !== kind));

  const showProblems = (fields: Map<string, string>, general: string[]) => {
    setProblems(fields);
    setTop(general);
    requestAnimationFrame(() => {
      if (!focusFirst(prefix, FIELD_ORDER, fields)) document.querySelector<HTMLElement>('[data-testid="mform-problems"]')?.focus();
    });
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || conflict) return;
    setNotice(null);
    const mistakes = checkForm(values);
    if (mistakes.size) {
      showProblems(new Map([...mistakes].map(([field, key]) => [field, t(key)])), []);
      return;
    }
    setBusy(true);
    setProblems(new Map());
    setTop([]);
    const body = requestBody(values);
    const result = base ? await store.update(base.id, base.version, body) : await store.create(body);
    if (!mounted.current) return;
    setBusy(false);
    if (result.ok) {
      onDone();
      return;
    }
    if (result.error instanceof ApiError && result.error.reason === 'http') {
      const laid = serverProblems(result.error, shownFields(values), labelOf);
      if (laid.conflict) {
        setConflict(true);
        setTop([]);
        return;
      }
      showProblems(laid.fields, laid.general);
      return;
    }
    showProblems(new Map(), [t('mform.failed', { reason: reasonOf(result.error) })]);
  };

  const reload = async () => {
    if (!base) return;
    setBusy(true);
    await store.open(base.id);
    if (!mounted.current) return;
    setBusy(false);
    const latest = store.selected.value;
    if (!latest || latest.id !== base.id) return;
    setBase(latest);
    setValues(formOf(latest, lang.value));
    setConflict(false);
    setProblems(new Map());
    setTop([]);
    setNotice(t('mform.reloaded'));
    heading.current?.focus();
  };

  const id = (field: string) => `${prefix}-${field}`;
  const problem = (field: string) => problems.get(field);
  const phases = choices?.phases ?? [];
  const kabupaten = choices?.kabupaten ?? [];
  const kecamatan = choices?.kecamatan ?? [];
  const knownArea = !values.areaCode || [...kabupaten, ...kecamatan].some((area) => area.code === values.areaCode);
  const knownPhase = !values.phaseId || phases.some((phase) => phase.id === values.phaseId);
  const defaults = defaultEvidence(values.category);

  return (
    <form
      class="serat-mform"
      onSubmit={(event) => void submit(event)}
      onKeyDown={onEscape(busy, onCancel)}
      noValidate
      aria-labelledby="mform-heading"
      data-testid="milestone-form"
      data-mode={base ? 'edit' : 'create'}
      data-version={base ? String(base.version) : undefined}
    >
      <h3 id="mform-heading" tabIndex={-1} ref={heading}>
        {base ? t('mform.titleEdit', { code: base.code }) : t('mform.titleNew')}
      </h3>
      <TopProblems lines={topLines(top, problems)} testId="mform-problems" />
      {notice && (
        <p role="status" class="serat-mform__notice" data-testid="mform-notice">
          {notice}
        </p>
      )}
      {choicesState === 'loading' && <p role="status">{t('mform.loadingChoices')}</p>}
      {choicesState === 'failed' && (
        <div role="alert" class="serat-planner__message serat-planner__message--error">
          <p>{t('mform.choicesFailed')}</p>
          <Button onClick={() => void store.loadChoices()}>{t('milestones.retry')}</Button>
        </div>
      )}

      <div class="serat-mform__grid">
        <Field id={id('code')} label={t('mform.code')} hint={t('mform.codeHint')} error={problem('code')}>
          <input
            id={id('code')}
            class="serat-input"
            type="text"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            maxLength={60}
            value={values.code}
            onInput={(event) => set('code', event.currentTarget.value)}
            {...invalid(id('code'), problem('code'))}
            data-testid="mform-code"
          />
        </Field>
        <Field id={id('category')} label={t('mform.category')} error={problem('category')}>
          <select
            id={id('category')}
            class="serat-input"
            value={values.category}
            onInput={(event) => setValues((v) => withCategory(v, event.currentTarget.value as MilestoneFormValues['category']))}
            {...invalid(id('category'), problem('category'))}
            data-testid="mform-category"
          >
            {MILESTONE_CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {t(`category.${category}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field id={id('title')} label={t('mform.name')} error={problem('title')}>
        <input
          id={id('title')}
          class="serat-input"
          type="text"
          maxLength={300}
          value={values.title}
          onInput={(event) => set('title', event.currentTarget.value)}
          {...invalid(id('title'), problem('title'))}
          data-testid="mform-title"
        />
      </Field>

      <Group id={id('criterion')} legend={t('mform.criterion')} problem={problem('criterion')}>
        <div class="serat-mform__criteria">
          {MILESTONE_CRITERIA.map((criterion) => (
            <label key={criterion} class="serat-mform__criterion" data-checked={String(values.criterion === criterion)}>
              <input
                type="radio"
                name="mform-criterion"
                value={criterion}
                checked={values.criterion === criterion}
                onChange={() => set('criterion', criterion)}
                aria-describedby={`mform-criterion-${criterion}-hint`}
                data-testid={`mform-criterion-${criterion}`}
              />
              <span>
                <strong>{t(`mform.criterion.${criterion}`)}</strong>
                <span class="serat-mform__criterion-hint" id={`mform-criterion-${criterion}-hint`}>
                  {t(`mform.criterionHint.${criterion}`)}
                </span>
              </span>
            </label>
          ))}
        </div>
      </Group>

      <div class="serat-mform__grid">
        {shown.phase && (
          <Field id={id('phaseId')} label={t('mform.phase')} error={problem('phaseId')}>
            <select
              id={id('phaseId')}
              class="serat-input"
              value={values.phaseId}
              onInput={(event) => set('phaseId', event.currentTarget.value)}
              {...invalid(id('phaseId'), problem('phaseId'))}
              data-testid="mform-phaseId"
            >
              <option value="">{t('mform.phaseChoose')}</option>
              {phases.map((phase) => (
                <option key={phase.id} value={phase.id}>
                  {phase.code === phase.name ? phase.code : `${phase.code} — ${phase.name}`}
                </option>
              ))}
              {!knownPhase && <option value={values.phaseId}>{base?.phaseCode ?? values.phaseId}</option>}
            </select>
          </Field>
        )}
        {shown.area && (
          <Field id={id('areaCode')} label={t('mform.area')} error={problem('areaCode')}>
            <select
              id={id('areaCode')}
              class="serat-input"
              value={values.areaCode}
              onInput={(event) => set('areaCode', event.currentTarget.value)}
              {...invalid(id('areaCode'), problem('areaCode'))}
              data-testid="mform-areaCode"
            >
              {!values.areaCode && <option value="">{t('mform.areaChoose')}</option>}
              {kabupaten.map((area) => (
                <option key={area.code} value={area.code}>
                  {t('mform.areaRegion', { name: area.name })}
                </option>
              ))}
              <optgroup label={t('mform.areaKecamatan')}>
                {kecamatan.map((area) => (
                  <option key={area.code} value={area.code}>
                    {area.name}
                  </option>
                ))}
              </optgroup>
              {!knownArea && <option value={values.areaCode}>{base?.areaName ?? values.areaCode}</option>}
            </select>
          </Field>
        )}
        {shown.targetValue && (
          <Field
            id={id('targetValue')}
            label={t(shown.targetValue === 'percent' ? 'mform.targetPercent' : 'mform.targetKm')}
            hint={t(shown.targetValue === 'percent' ? 'mform.targetHint.percent' : 'mform.targetHint.km')}
            error={problem('targetValue')}
          >
            <span class="serat-mform__unit-wrap">
              <input
                id={id('targetValue')}
                class="serat-input serat-mform__number"
                type="text"
                inputMode="decimal"
                autocomplete="off"
                value={values.targetValue}
                onInput={(event) => set('targetValue', event.currentTarget.value)}
                {...invalid(id('targetValue'), problem('targetValue'))}
                data-testid="mform-targetValue"
              />
              <span class="serat-mform__unit" aria-hidden="true">
                {shown.targetValue === 'percent' ? '%' : 'km'}
              </span>
            </span>
          </Field>
        )}
        {shown.siteKind && (
          <Field id={id('siteKind')} label={t('mform.siteKind')} error={problem('siteKind')}>
            <select
              id={id('siteKind')}
              class="serat-input"
              value={values.siteKind}
              onInput={(event) => set('siteKind', event.currentTarget.value as MilestoneFormValues['siteKind'])}
              {...invalid(id('siteKind'), problem('siteKind'))}
              data-testid="mform-siteKind"
            >
              <option value="">{t('mform.siteKindAll')}</option>
              {SITE_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {siteKindLabel(kind)}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field id={id('targetDate')} label={t('mform.targetDate')} hint={dayText(values.targetDate)} error={problem('targetDate')}>
          <input
            id={id('targetDate')}
            class="serat-input"
            type="date"
            value={values.targetDate}
            onInput={(event) => set('targetDate', event.currentTarget.value)}
            {...invalid(id('targetDate'), problem('targetDate'))}
            data-testid="mform-targetDate"
          />
        </Field>
      </div>

      {shown.evidence && (
        <Group
          id={id('requiredEvidence')}
          legend={t('mform.evidence')}
          hint={t('mform.evidenceDefault', {
            category: t(`category.${values.category}`),
            kinds: defaults.length ? defaults.map((kind) => t(`evidence.${kind}`)).join(', ') : t('mform.evidenceNone'),
          })}
          problem={problem('requiredEvidence')}
        >
          <div class="serat-mform__checks">
            {MILESTONE_EVIDENCE_KINDS.map((kind) => (
              <label key={kind} class="serat-mform__check">
                <input
                  type="checkbox"
                  checked={values.requiredEvidence.includes(kind)}
                  onChange={(event) => toggleEvidence(kind, event.currentTarget.checked)}
                  data-testid={`mform-evidence-${kind}`}
                />
                {t(`mform.evidence.${kind}`)}
              </label>
            ))}
          </div>
        </Group>
      )}

      <Field id={id('description')} label={t('mform.description')} error={problem('description')}>
        <textarea
          id={id('description')}
          class="serat-input serat-mform__textarea"
          rows={3}
          value={values.description}
          onInput={(event) => set('description', event.currentTarget.value)}
          {...invalid(id('description'), problem('description'))}
          data-testid="mform-description"
        />
      </Field>

      {/* Beside the buttons, where the person who just pressed save is looking. */}
      {conflict && (
        <div role="alert" class="serat-planner__message serat-planner__message--error serat-mform__top" id="mform-conflict" data-testid="mform-conflict">
          <p>{t('mform.conflict')}</p>
          <Button onClick={() => void reload()} busy={busy} data-testid="mform-reload">
            {t('mform.reload')}
          </Button>
        </div>
      )}
      <div class="serat-mform__buttons">
        <Button variant="primary" type="submit" busy={busy} disabled={conflict} data-testid="mform-submit">
          {busy ? t('mform.saving') : t(base ? 'mform.save' : 'mform.create')}
        </Button>
        <Button onClick={onCancel} disabled={busy} data-testid="mform-cancel">
          {t('mform.cancel')}
        </Button>
      </div>
    </form>
  );
}

interface ChosenPhoto {
  key: number;
  file: File;
  /** An object URL of the file, for its preview (revoked when it goes). */
  url: string;
}

let nextPhotoKey = 1;

/** A manual milestone recorded done: the day (the region's today at the latest), a note, photos or scans. */
export function CompletionForm({ store, milestone, onDone, onCancel }: { store: MilestonesStore; milestone: MilestoneDetail; onDone(): void; onCancel(): void }) {
  const today = milestone.evaluation.asOf;
  const [doneOn, setDoneOn] = useState(today);
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<ChosenPhoto[]>([]);
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const [top, setTop] = useState<string[]>([]);
  const [progress, setProgress] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mounted = useRef(true);
  const heading = useRef<HTMLHeadingElement>(null);
  const chosen = useRef<ChosenPhoto[]>([]);
  chosen.current = photos;
  /** The ids of those already uploaded, by key: a second try does not upload them again. */
  const uploadedIds = useRef(new Map<number, string>());
  const prefix = 'done';

  useEffect(() => {
    heading.current?.focus();
    return () => {
      mounted.current = false;
      for (const photo of chosen.current) URL.revokeObjectURL(photo.url);
    };
  }, []);

  const clear = (field: string) => {
    if (!problems.has(field)) return;
    const rest = new Map(problems);
    rest.delete(field);
    setProblems(rest);
  };
  const add = (files: File[]) => {
    if (!files.length) return;
    setPhotos((list) => [...list, ...files.map((file) => ({ key: nextPhotoKey++, file, url: URL.createObjectURL(file) }))]);
    clear('photos');
  };
  const remove = (key: number) => {
    setPhotos((list) => {
      const gone = list.find((photo) => photo.key === key);
      if (gone) URL.revokeObjectURL(gone.url);
      return list.filter((photo) => photo.key !== key);
    });
    document.getElementById('done-photos')?.focus();
  };

  const showProblems = (fields: Map<string, string>, general: string[]) => {
    setProblems(fields);
    setTop(general);
    requestAnimationFrame(() => {
      if (!focusFirst(prefix, COMPLETION_ORDER, fields)) document.querySelector<HTMLElement>('[data-testid="done-problems"]')?.focus();
    });
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const mistakes = checkCompletion({ doneOn, note, photos: photos.length }, today);
    if (mistakes.size) {
      showProblems(new Map([...mistakes].map(([field, key]) => [field, t(key)])), []);
      return;
    }
    setBusy(true);
    setProblems(new Map());
    setTop([]);
    const ids: string[] = [];
    const list = photos;
    for (const [index, photo] of list.entries()) {
      const known = uploadedIds.current.get(photo.key);
      if (known) {
        ids.push(known);
        continue;
      }
      setProgress(t('done.uploading', { n: index + 1, total: list.length }));
      const uploaded = await store.uploadPhoto(photo.file, photo.file.name || `foto-${index + 1}.jpg`);
      if (!mounted.current) return;
      if (!uploaded.ok) {
        setBusy(false);
        setProgress(null);
        showProblems(new Map([['photos', t('done.uploadFailed', { name: photo.file.name, reason: reasonOf(uploaded.error) })]]), []);
        return;
      }
      uploadedIds.current.set(photo.key, uploaded.value.id);
      ids.push(uploaded.value.id);
    }
    setProgress(null);
    const result = await store.complete(milestone.id, { doneOn, note: note.trim(), photoIds: ids });
    if (!mounted.current) return;
    setBusy(false);
    if (result.ok) {
      onDone();
      return;
    }
    if (result.error instanceof ApiError && result.error.reason === 'http') {
      const laid = serverProblems(result.error, new Set(COMPLETION_ORDER), labelOf);
      showProblems(laid.fields, laid.general);
      return;
    }
    showProblems(new Map(), [t('mform.failed', { reason: reasonOf(result.error) })]);
  };

  const id = (field: string) => `${prefix}-${field}`;
  const problem = (field: string) => problems.get(field);
  return (
    <form class="serat-mform" onSubmit={(event) => void submit(event)} onKeyDown={onEscape(busy, onCancel)} noValidate aria-labelledby="done-heading" data-testid="completion-form">
      <h3 id="done-heading" tabIndex={-1} ref={heading}>
        {t('done.title', { code: milestone.code })}
      </h3>
      <TopProblems lines={topLines(top, problems)} testId="done-problems" />
      <div class="serat-mform__grid">
        <Field id={id('doneOn')} label={t('done.day')} hint={[dayText(doneOn), t('done.dayHint')].filter(Boolean).join(' · ')} error={problem('doneOn')}>
          <input
            id={id('doneOn')}
            class="serat-input"
            type="date"
            max={today}
            value={doneOn}
            onInput={(event) => {
              setDoneOn(event.currentTarget.value);
              clear('doneOn');
            }}
            {...invalid(id('doneOn'), problem('doneOn'))}
            data-testid="done-doneOn"
          />
        </Field>
      </div>
      <Field id={id('note')} label={t('done.note')} hint={t('done.noteHint')} error={problem('note')}>
        <textarea
          id={id('note')}
          class="serat-input serat-mform__textarea"
          rows={3}
          value={note}
          onInput={(event) => {
            setNote(event.currentTarget.value);
            clear('note');
          }}
          {...invalid(id('note'), problem('note'))}
          data-testid="done-note"
        />
      </Field>
      <Group id={id('photos')} legend={t('done.photos')} hint={t('done.photosHint')} problem={problem('photos')}>
        <input
          id={id('photos')}
          type="file"
          accept="image/*"
          multiple
          class="serat-visually-hidden serat-mform__file"
          onChange={(event) => {
            const input = event.currentTarget;
            const files = [...(input.files ?? [])];
            input.value = '';
            add(files);
          }}
          {...invalid(id('photos'), problem('photos'))}
          data-testid="done-photo-input"
        />
        <label class="serat-button serat-button--secondary serat-mform__file-button" for={id('photos')}>
          <span class="serat-button__label">{t(photos.length ? 'done.chooseMore' : 'done.choose')}</span>
        </label>
        {photos.length > 0 && (
          <>
            <p class="serat-field__hint" role="status">
              {t('done.chosen', { count: photos.length })}
            </p>
            <ul class="serat-mform__photos" data-testid="done-photos">
              {photos.map((photo) => (
                <li key={photo.key} class="serat-mform__photo">
                  <img src={photo.url} alt={photo.file.name} width={88} height={88} />
                  <span class="serat-mform__photo-name">{photo.file.name}</span>
                  <span class="serat-mform__photo-size">{formatBytes(photo.file.size)}</span>
                  <button
                    type="button"
                    class="serat-mform__photo-remove"
                    aria-label={t('done.remove', { name: photo.file.name })}
                    disabled={busy}
                    onClick={() => remove(photo.key)}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </Group>
      {progress && (
        <p role="status" data-testid="done-progress">
          {progress}
        </p>
      )}
      <div class="serat-mform__buttons">
        <Button variant="primary" type="submit" busy={busy} data-testid="done-submit">
          {t('done.send')}
        </Button>
        <Button onClick={onCancel} disabled={busy} data-testid="done-cancel">
          {t('mform.cancel')}
        </Button>
      </div>
    </form>
  );
}
