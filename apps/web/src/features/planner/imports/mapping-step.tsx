/**
 * After a dry run: per Serat field a choice among the file's columns (with how many features
 * fill each and a few of their values), preselected with what was used; per status or placement
 * word the analysis did not recognise, a choice of Serat's value. "Analyse again" runs the dry
 * run with these choices; "Save as template" keeps them for the contractor's next file.
 */
import { useRef } from 'preact/hooks';
import { Button } from '../../../shared/components';
import { formatNumber } from '../../../shared/format';
import { placementLabel, statusLabel } from '../../../shared/i18n';
import { IMPORT_FIELDS, type ImportAnalysis, type ImportField } from '../../../shared/api';
import { NETWORK_STATUSES, SEGMENT_PLACEMENTS } from '../../../shared/vocabulary';
import { t } from '../planner.i18n';
import type { ImportsStore } from './imports-store';
import { ANALYSED, analysedChoice, draftChanged, draftKey, fieldValue, isCutName, MAPPING_NAME_MAX, type DraftWord, type MappingDraft } from './mapping-draft';

type Property = ImportAnalysis['properties'][number];

export function MappingStep({ store }: { store: ImportsStore }) {
  const templateNameInput = useRef<HTMLInputElement>(null);
  const job = store.job.value;
  const draft = store.draft.value;
  const analysis = job?.summary?.analysis;
  if (!job || job.state !== 'ready' || !analysis || !Array.isArray(analysis.properties) || !draft || draft.key !== draftKey(job)) return null;
  const properties = analysis.properties.filter((p) => typeof p?.name === 'string' && p.name.length <= MAPPING_NAME_MAX);
  const options = job.options ?? {};
  const defaultStatus = typeof options.defaultStatus === 'string' ? options.defaultStatus : 'planned';
  const defaultPlacement = typeof options.defaultPlacement === 'string' ? options.defaultPlacement : 'aerial';
  const message = store.templateMessage.value;

  const save = async () => {
    await store.saveTemplate();
    // Refused for want of a name: the name is what to type next.
    if (!store.templateName.value.trim()) templateNameInput.current?.focus();
  };

  return (
    <details class="serat-planner__mapping" open={store.mappingOpen.value} onToggle={(event) => (store.mappingOpen.value = event.currentTarget.open)} data-testid="import-mapping">
      <summary class="serat-planner__mapping-title">{t('mapping.title')}</summary>
      <p class="serat-planner__hint">{t('mapping.intro')}</p>
      {Number(analysis.propertyCount) > analysis.properties.length && (
        <p class="serat-planner__hint">{t('mapping.moreProperties', { shown: formatNumber(analysis.properties.length), total: formatNumber(Number(analysis.propertyCount)) })}</p>
      )}
      {properties.some((p) => isCutName(p.name)) && <p class="serat-planner__hint">{t('mapping.cutNamesHint', { max: MAPPING_NAME_MAX })}</p>}
      <div class="serat-planner__mapping-fields">
        {IMPORT_FIELDS.map((field) => (
          <FieldChoice key={field} field={field} analysis={analysis} properties={properties} draft={draft} onChoose={(value, shown) => store.chooseField(field, value, shown)} />
        ))}
      </div>
      <WordChoices
        kind="status"
        words={draft.statusWords}
        values={NETWORK_STATUSES}
        label={statusLabel}
        fallback={defaultStatus}
        features={Number(analysis.unrecognised?.statusFeatures) || 0}
        onChoose={(index, value) => store.chooseWord('status', index, value)}
      />
      <WordChoices
        kind="placement"
        words={draft.placementWords}
        values={SEGMENT_PLACEMENTS}
        label={placementLabel}
        fallback={defaultPlacement}
        features={Number(analysis.unrecognised?.placementFeatures) || 0}
        onChoose={(index, value) => store.chooseWord('placement', index, value)}
      />
      <p class="serat-planner__message serat-planner__mapping-changed" hidden={!draftChanged(draft)} data-testid="mapping-changed">
        {t('mapping.changed')}
      </p>
      <div class="serat-planner__buttons">
        <Button disabled={store.reanalysing.value || store.committing.value} onClick={() => void store.reanalyse()} data-testid="import-reanalyse">
          {store.reanalysing.value ? t('mapping.reanalysing') : t('mapping.reanalyse')}
        </Button>
      </div>
      <div class="serat-planner__mapping-template">
        <label class="serat-field__label" for="serat-import-template-name">
          {t('mapping.templateName')}
        </label>
        <div class="serat-planner__template-save">
          <input
            ref={templateNameInput}
            class="serat-input"
            id="serat-import-template-name"
            maxLength={100}
            value={store.templateName.value}
            onInput={(event) => (store.templateName.value = event.currentTarget.value)}
            data-testid="import-template-name"
          />
          <Button disabled={store.savingTemplate.value} onClick={() => void save()} data-testid="import-template-save">
            {store.savingTemplate.value ? t('mapping.saving') : t('mapping.saveTemplate')}
          </Button>
        </div>
        {message && (
          <p
            class={`serat-planner__message${message.error ? ' serat-planner__message--error' : ''}`}
            role={message.error ? 'alert' : 'status'}
            data-testid="import-template-message"
          >
            {message.text}
          </p>
        )}
      </div>
    </details>
  );
}

interface FieldChoiceProps {
  field: ImportField;
  analysis: ImportAnalysis;
  properties: Property[];
  draft: MappingDraft;
  onChoose(value: string, shown: string): void;
}

/** One Serat field: which column of the file fills it, with a few of that column's values below. */
function FieldChoice({ field, analysis, properties, draft, onChoose }: FieldChoiceProps) {
  const id = `serat-mapping-${field}`;
  // What the analysis read this field from in this file; with its list (or the defaults) as the
  // choice "as analysed" when that was more than one column.
  const { found, shown } = analysedChoice(analysis, field);
  const value = fieldValue(draft, field, shown);
  const names = found.join(', ');
  // Used by the analysis but not among the columns listed (a file with very many): still offered.
  const unlisted = found.length === 1 && shown && !properties.some((p) => p.name === shown);
  const chosen = properties.find((p) => p.name === value);
  return (
    <div class="serat-field serat-planner__mapping-field">
      <label class="serat-field__label" for={id}>
        {t(`mapping.field.${field}`)}
      </label>
      <select id={id} class="serat-input" value={value} onChange={(event) => onChoose(event.currentTarget.value, shown)} data-testid={`mapping-field-${field}`}>
        <option value="">{t('mapping.none')}</option>
        {found.length > 1 && <option value={ANALYSED}>{t('mapping.asAnalysed', { names: names.length > 80 ? `${names.slice(0, 79)}…` : names })}</option>}
        {properties.map((p) => {
          const cut = isCutName(p.name);
          const sample = p.samples?.length ? ` · ${p.samples.slice(0, 2).join(', ')}` : '';
          const text = `${t('mapping.option', { name: p.name, count: p.count, features: formatNumber(p.count) })}${cut ? ` — ${t('mapping.cutName')}` : sample}`;
          // Cut short by the analysis: no column is called that, choosing it would read nothing.
          return (
            <option key={p.name} value={p.name} disabled={cut}>
              {text.length > 90 && !cut ? `${text.slice(0, 89)}…` : text}
            </option>
          );
        })}
        {unlisted && (
          <option value={shown} disabled={isCutName(shown)}>
            {shown}
          </option>
        )}
      </select>
      <p class="serat-planner__mapping-samples" data-testid={`mapping-samples-${field}`}>
        {chosen?.samples?.length ? t('mapping.samples', { samples: chosen.samples.map((v) => `“${v}”`).join(', ') }) : ''}
      </p>
    </div>
  );
}

interface WordChoicesProps {
  kind: 'status' | 'placement';
  words: DraftWord[];
  values: readonly string[];
  label(value: string): string;
  fallback: string;
  features: number;
  onChoose(index: number, value: string): void;
}

/** The status or placement words of the file, each given a Serat value or left to the default. */
function WordChoices({ kind, words, values, label, fallback, features, onChoose }: WordChoicesProps) {
  if (!words.length) return null;
  return (
    <div class="serat-planner__mapping-words" data-testid={`mapping-${kind}-words`}>
      <h4 class="serat-planner__subheading">{t(kind === 'status' ? 'mapping.statusWords' : 'mapping.placementWords')}</h4>
      {features > 0 && (
        <p class="serat-planner__hint">
          {t(kind === 'status' ? 'mapping.statusWordsHint' : 'mapping.placementWordsHint', { count: features, features: formatNumber(features), value: label(fallback) })}
        </p>
      )}
      {words.map((entry, i) => {
        const id = `serat-mapping-${kind}-${i}`;
        return (
          <div key={entry.word} class="serat-planner__mapping-word">
            <label class="serat-planner__mapping-word-label" for={id}>
              {entry.count === null
                ? t('mapping.wordMapped', { word: entry.word })
                : t('mapping.word', { word: entry.word, count: entry.count, features: formatNumber(entry.count) })}
            </label>
            <select
              id={id}
              class="serat-input"
              value={entry.value}
              onChange={(event) => onChoose(i, event.currentTarget.value)}
              data-testid={`mapping-${kind}-word`}
              data-word={entry.word}
            >
              <option value="">{t('mapping.wordDefault', { value: label(fallback) })}</option>
              {values.map((v) => (
                <option key={v} value={v}>
                  {label(v)}
                </option>
              ))}
            </select>
          </div>
        );
      })}
    </div>
  );
}
