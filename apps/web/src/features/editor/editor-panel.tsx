/**
 * The attribute form as components over the editor store: the record's summary, the fields with
 * their hints and problems, the comparison after a 409, and the other actions (decommission,
 * delete) behind a question. Text goes in as children, so Preact escapes it.
 */
import { useEffect, useRef } from 'preact/hooks';
import { statusStyle } from '../../map/symbology';
import type { Editable } from '../../shared/api';
import { Button } from '../../shared/components';
import { formatDateTimeWib } from '../../shared/format';
import { statusLabel, t as sharedT, type MessageKey } from '../../shared/i18n';
import { compareFields, displayValue, type FieldSpec } from './editor-form';
import { t, type EditorKey } from './editor.i18n';
import type { EditorStore, Line } from './editor-store';

export const TITLES: Record<Editable, EditorKey> = { segment: 'edit.title.segment', node: 'edit.title.node', site: 'edit.title.site' };
const KINDS: Record<Editable, MessageKey> = { segment: 'popup.segment', node: 'popup.node', site: 'popup.site' };
const DELETE_ASK: Record<Editable, EditorKey> = { segment: 'edit.deleteAsk.segment', node: 'edit.deleteAsk.node', site: 'edit.deleteAsk.site' };

const lineText = (line: Line) => ('key' in line ? t(line.key, line.params) : line.text);
const inputId = (key: string) => `serat-edit-${key}`;

function StatusChip({ status }: { status: string }) {
  return (
    <span class="serat-chip">
      <span class="serat-chip__dot" style={{ backgroundColor: statusStyle(status).color }} />
      <span>{statusLabel(status)}</span>
    </span>
  );
}

/** What the panel shows above the form: the kind, the code with its status and version, an offline copy's age. */
function Summary({ store }: { store: EditorStore }) {
  const record = store.record.value;
  const status = (record as { status?: string } | null)?.status;
  const storedAt = store.storedAt.value;
  const since = storedAt && storedAt > '1971' ? formatDateTimeWib(storedAt) : null;
  return (
    <div class="serat-editor__summary">
      <div class="serat-popup__kind">{sharedT(KINDS[store.subject.value])}</div>
      <div class="serat-editor__code">
        <span class="serat-popup__title">{record?.code ?? '…'}</span>
        {status && <StatusChip status={status} />}
        {record && (
          <span class="serat-editor__version" data-testid="editor-version" data-version={String(record.version)}>
            {t('edit.version', { version: record.version })}
          </span>
        )}
      </div>
      {storedAt && store.state.value === 'ready' && (
        <p class="serat-planner__message serat-editor__stored">{since ? t('edit.storedCopy', { time: since }) : t('edit.storedCopyUndated')}</p>
      )}
    </div>
  );
}

/** The choices of a list field; a stored value it no longer offers (a phase missing from it, a newer kind) stays choosable. */
function optionsOf(spec: FieldSpec, stored: unknown, current: string): Array<[string, string]> {
  const options: Array<[string, string]> = [];
  if (spec.nullable) options.push(['', t('edit.none')]);
  options.push(...(spec.options?.() ?? []));
  for (const extra of [stored, current]) {
    if (extra === null || extra === undefined || extra === '' || options.some(([value]) => value === String(extra))) continue;
    options.push([String(extra), spec.valueLabel ? spec.valueLabel(String(extra)) : String(extra)]);
  }
  return options;
}

function FieldControl({ store, spec }: { store: EditorStore; spec: FieldSpec }) {
  const id = inputId(spec.key);
  const text = store.texts.value[spec.key] ?? '';
  const problem = store.problemOf(spec.key);
  const disabled = !!store.busy.value || !!store.conflict.value;
  const shared = {
    id,
    class: 'serat-input',
    disabled,
    value: text,
    'aria-describedby': `${id}-hint ${id}-problem`,
    'aria-invalid': problem ? ('true' as const) : undefined,
    'data-testid': `edit-${spec.key}`,
    onBlur: () => store.check(spec.key),
    onChange: () => store.check(spec.key),
  };
  return (
    <div class="serat-field" data-field={spec.key}>
      <label class="serat-field__label" for={id}>
        {t(spec.label)}
      </label>
      {spec.kind === 'select' ? (
        <select {...shared} onInput={(event) => store.input(spec.key, event.currentTarget.value)}>
          {optionsOf(spec, store.base.value[spec.key], text).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...shared}
          type="text"
          autocomplete="off"
          inputMode={spec.kind === 'integer' ? 'numeric' : spec.kind === 'decimal' ? 'decimal' : undefined}
          maxLength={spec.maxLength ? spec.maxLength + 20 : undefined}
          autocapitalize={spec.code ? 'characters' : undefined}
          spellcheck={spec.code ? false : undefined}
          placeholder={spec.placeholder ? t(spec.placeholder) : ''}
          onInput={(event) => store.input(spec.key, event.currentTarget.value)}
        />
      )}
      <p class="serat-editor__hint" id={`${id}-hint`} hidden={!spec.hint}>
        {spec.hint ? t(spec.hint) : ''}
      </p>
      <p class="serat-editor__problem" id={`${id}-problem`} data-testid={`edit-problem-${spec.key}`} hidden={!problem}>
        {problem ?? ''}
      </p>
    </div>
  );
}

type Change = 'theirs' | 'mine' | 'clash';

function CompareRow({ field, label, theirs, mine, change, mineMuted }: { field: string; label: string; theirs: string; mine: string; change: Change; mineMuted: boolean }) {
  return (
    <tr class={`serat-editor__compare-row serat-editor__compare-row--${change}`} data-field={field} data-change={change}>
      <th>
        <span>{label}</span>
        <span class="serat-editor__compare-why">{t(`edit.why.${change}`)}</span>
      </th>
      <td class="serat-editor__compare-theirs" data-testid={`conflict-theirs-${field}`}>
        {theirs}
      </td>
      <td class={`serat-editor__compare-mine${mineMuted ? ' serat-editor__compare-mine--same' : ''}`} data-testid={`conflict-mine-${field}`}>
        {mine}
      </td>
    </tr>
  );
}

/** After a 409: their version beside mine, field by field, with the two ways on. */
function ConflictBox({ store }: { store: EditorStore }) {
  const conflict = store.conflict.value;
  if (!conflict) return <div class="serat-editor__conflict" role="alert" data-testid="editor-conflict" hidden />;
  const before = store.record.value;
  const busy = !!store.busy.value;
  const rows = [];
  // Status and position are not in the form, but someone else may have changed them.
  const baseStatus = (before as { status?: string } | null)?.status;
  const theirStatus = (conflict.theirs as { status?: string }).status;
  const mineStatus = conflict.operation === 'decommission' ? 'decommissioned' : null;
  const statusByThem = !!theirStatus && !!baseStatus && theirStatus !== baseStatus;
  if (mineStatus || statusByThem) {
    rows.push(
      <CompareRow
        key="status"
        field="status"
        label={t('edit.field.status')}
        theirs={statusLabel(theirStatus)}
        mine={mineStatus ? statusLabel(mineStatus) : t('edit.conflict.notMine')}
        change={mineStatus ? (statusByThem ? 'clash' : 'mine') : 'theirs'}
        mineMuted={!mineStatus}
      />,
    );
  }
  if (before && JSON.stringify(before.geometry) !== JSON.stringify(conflict.theirs.geometry)) {
    rows.push(
      <CompareRow key="geometry" field="geometry" label={t('edit.field.geometry')} theirs={t('edit.conflict.moved')} mine={t('edit.conflict.notMine')} change="theirs" mineMuted />,
    );
  }
  const compared = compareFields(store.specs.value, conflict);
  for (const { spec, mine, theirs, change } of compared) {
    rows.push(
      <CompareRow
        key={spec.key}
        field={spec.key}
        label={t(spec.label)}
        theirs={displayValue(spec, theirs)}
        mine={mine ? displayValue(spec, mine.value) : t('edit.conflict.notMine')}
        change={change}
        mineMuted={!mine}
      />,
    );
  }
  const explain: EditorKey =
    conflict.operation === 'update' ? 'edit.conflict.explain' : conflict.operation === 'delete' ? 'edit.conflict.explainDelete' : 'edit.conflict.explainDecommission';
  const apply: EditorKey =
    conflict.operation === 'update' ? 'edit.conflict.applyMine' : conflict.operation === 'delete' ? 'edit.conflict.deleteAnyway' : 'edit.conflict.decommissionAnyway';
  return (
    <div class="serat-editor__conflict" role="alert" data-testid="editor-conflict">
      <p class="serat-editor__conflict-title">
        <strong>{t('edit.conflict.title')}</strong>
        <span> {t('edit.conflict.versions', { read: before?.version ?? '?', current: conflict.theirs.version })}</span>
      </p>
      <div class="serat-planner__table-wrap">
        <table class="serat-editor__compare" data-testid="editor-compare">
          <thead>
            <tr>
              <th>{t('edit.conflict.field')}</th>
              <th>{t('edit.conflict.theirs')}</th>
              <th>{t('edit.conflict.mine')}</th>
            </tr>
          </thead>
          <tbody>
            {rows}
            {(!rows.length || (!compared.length && conflict.operation === 'update')) && (
              // Someone saved without changing anything the form shows: only the version moved on.
              <tr>
                <td class="serat-editor__compare-only" colSpan={3}>
                  {t('edit.conflict.onlyVersion')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <p class="serat-planner__hint">{t(explain, { current: conflict.theirs.version })}</p>
      <div class="serat-planner__buttons">
        <button
          type="button"
          class={`serat-button serat-button--primary${conflict.operation === 'update' ? '' : ' serat-editor__danger-primary'}`}
          disabled={busy}
          onClick={() => void store.applyMine()}
          data-testid="editor-apply-mine"
        >
          {busy ? t('edit.saving') : t(apply)}
        </button>
        <button type="button" class="serat-button serat-button--secondary" disabled={busy} onClick={() => store.reloadTheirs()} data-testid="editor-reload-theirs">
          {t('edit.conflict.reloadTheirs')}
        </button>
      </div>
    </div>
  );
}

/** Decommissioning (segments and nodes, with a reason) and deleting, each asked first. */
function MoreActions({ store }: { store: EditorStore }) {
  const record = store.record.value;
  const subject = store.subject.value;
  const busy = store.busy.value;
  const confirming = store.confirming.value;
  const status = (record as { status?: string } | null)?.status;
  return (
    <div class="serat-editor__more">
      <h3 class="serat-planner__heading">{t('edit.more')}</h3>
      {subject !== 'site' && status === 'decommissioned' && <p class="serat-planner__hint">{t('edit.final')}</p>}
      <div class="serat-planner__buttons">
        {subject !== 'site' && status !== 'decommissioned' && (
          <Button danger disabled={!!busy} aria-expanded={confirming === 'decommission'} onClick={() => store.ask('decommission')} data-testid="editor-decommission">
            {t('edit.decommission')}
          </Button>
        )}
        <Button danger disabled={!!busy} aria-expanded={confirming === 'delete'} onClick={() => store.ask('delete')} data-testid="editor-delete">
          {t('edit.delete')}
        </Button>
      </div>
      {confirming === 'decommission' && record && (
        <div class="serat-editor__confirm" data-testid="editor-decommission-box">
          <p class="serat-editor__confirm-text">{t('edit.decommissionAsk', { code: record.code })}</p>
          <ReasonInput store={store} inputId="serat-editor-reason" label="edit.reason" placeholder="edit.reasonPlaceholder" rows={3} maxLength={2000} testId="editor-reason" />
          <div class="serat-planner__buttons">
            <button
              type="button"
              class="serat-button serat-button--primary serat-editor__danger-primary"
              disabled={!!busy}
              onClick={() => void store.decommission()}
              data-testid="editor-decommission-confirm"
            >
              {busy === 'decommission' ? t('edit.saving') : t('edit.decommissionConfirm')}
            </button>
            <Button disabled={!!busy} onClick={() => store.ask('decommission')} data-testid="editor-decommission-cancel">
              {t('edit.back')}
            </Button>
          </div>
        </div>
      )}
      {confirming === 'delete' && record && (
        <div class="serat-editor__confirm" role="alertdialog" aria-describedby="serat-editor-delete-text" data-testid="editor-delete-box">
          <p class="serat-editor__confirm-text" id="serat-editor-delete-text">
            {t(DELETE_ASK[subject], { code: record.code })}
          </p>
          <div class="serat-planner__buttons">
            <button
              type="button"
              class="serat-button serat-button--primary serat-editor__danger-primary"
              disabled={!!busy}
              onClick={() => void store.remove()}
              data-testid="editor-delete-confirm"
            >
              {busy === 'delete' ? t('edit.deleting') : t('edit.deleteConfirm')}
            </button>
            <Button disabled={!!busy} onClick={() => store.ask('delete')} data-testid="editor-delete-cancel">
              {t('edit.back')}
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}

/** The reason a decommissioning or a phase change needs: one text, one problem line. */
function ReasonInput(props: { store: EditorStore; inputId: string; label: EditorKey; placeholder: EditorKey; rows: number; maxLength: number; testId: string }) {
  const { store, testId, inputId } = props;
  const problem = store.reasonProblem.value;
  return (
    <>
      <label class="serat-field__label" for={inputId}>
        {t(props.label)}
      </label>
      <textarea
        id={inputId}
        class="serat-input serat-editor__reason"
        rows={props.rows}
        maxLength={props.maxLength}
        value={store.reason.value}
        placeholder={t(props.placeholder)}
        aria-describedby={`${inputId}-problem`}
        aria-invalid={problem ? 'true' : undefined}
        onInput={(event) => store.setReason(event.currentTarget.value)}
        data-testid={testId}
      />
      <p class="serat-editor__problem" id={`${inputId}-problem`} hidden={!problem} data-testid={`${testId}-problem`}>
        {problem ? lineText(problem) : ''}
      </p>
    </>
  );
}

function EditForm({ store }: { store: EditorStore }) {
  const conflict = store.conflict.value;
  const busy = store.busy.value;
  return (
    <form
      class="serat-editor__form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void store.save();
      }}
      data-testid="editor-form"
    >
      <div class="serat-editor__fields">
        {store.specs.value.map((spec) => (
          <FieldControl key={spec.key} store={store} spec={spec} />
        ))}
      </div>
      {/* Moving a record to another phase changes what that phase contracted: the reason goes into its scope history. */}
      {store.phaseChanged.value && (
        <div class="serat-field serat-editor__phase-reason">
          <ReasonInput
            store={store}
            inputId="serat-editor-phase-reason"
            label="edit.phaseReason"
            placeholder="edit.phaseReasonPlaceholder"
            rows={2}
            maxLength={1000}
            testId="editor-phase-reason"
          />
        </div>
      )}
      <div class="serat-planner__buttons serat-editor__buttons">
        {/* While a conflict is open its own buttons decide; saving the form again is not one of them. */}
        <Button type="submit" variant="primary" busy={busy === 'update'} disabled={!!busy || !!conflict} hidden={!!conflict} data-testid="editor-save">
          {busy === 'update' ? t('edit.saving') : t('edit.save')}
        </Button>
        <Button onClick={() => store.close()} data-testid="editor-cancel">
          {store.dirty.value ? t('edit.discard') : t('edit.close')}
        </Button>
      </div>
    </form>
  );
}

/** The panel's head and body; the panel itself (its place, hidden or not) is the adapter's element. */
export function EditorPanel({ store }: { store: EditorStore }) {
  const body = useRef<HTMLDivElement>(null);
  const state = store.state.value;
  const message = store.message.value;
  const errors = store.errorLines.value;
  const attention = store.attention.value;

  // Focus and scrolling after the drawing they need: a field, the reason, or a part into view.
  useEffect(() => {
    const root = body.current;
    if (!attention || !root) return;
    const find = (selector: string) => root.querySelector<HTMLElement>(selector);
    switch (attention.target) {
      case 'first':
        // Into the form with a keyboard; on touch screens no keyboard pops up uninvited.
        if (window.matchMedia?.('(pointer: fine)').matches) find('.serat-editor__fields .serat-input')?.focus({ preventScroll: true });
        break;
      case 'field':
        document.getElementById(inputId(attention.key))?.focus();
        break;
      case 'reason':
        // The decommissioning's note when its box is open, else the phase change's reason.
        (document.getElementById('serat-editor-reason') ?? document.getElementById('serat-editor-phase-reason'))?.focus();
        find('.serat-editor__more')?.scrollIntoView?.({ block: 'nearest' });
        break;
      case 'message':
        find('[data-testid="editor-message"]')?.scrollIntoView?.({ block: 'nearest' });
        break;
      case 'error':
        find('[data-testid="editor-error"]')?.scrollIntoView?.({ block: 'nearest' });
        break;
      case 'conflict':
        find('[data-testid="editor-conflict"]')?.scrollIntoView?.({ block: 'nearest' });
        break;
      case 'more':
        find('.serat-editor__more')?.scrollIntoView?.({ block: 'nearest' });
        break;
    }
  }, [attention]);

  return (
    <>
      <div class="serat-lapangan__head">
        <h2 class="serat-lapangan__title">{t(TITLES[store.subject.value])}</h2>
        <button type="button" class="serat-lapangan__icon-button" title={t('edit.close')} aria-label={t('edit.close')} onClick={() => store.close()} data-testid="editor-close">
          ×
        </button>
      </div>
      <div class="serat-lapangan__body" ref={body}>
        {state !== 'closed' && (
          <>
            <Summary store={store} />
            <p class="serat-planner__message serat-editor__message" role="status" hidden={!message} data-testid="editor-message">
              {message ? lineText(message) : ''}
            </p>
            <div class="serat-planner__message serat-planner__message--error" role="alert" hidden={!errors.length} data-testid="editor-error">
              {errors.map((line, index) => (
                <p key={index}>{lineText(line)}</p>
              ))}
            </div>
            {state === 'loading' && <p class="serat-planner__hint">{t('edit.loading')}</p>}
            {state === 'failed' && (
              <>
                <div class="serat-planner__message serat-planner__message--error" role="alert">
                  {`${t('edit.loadFailed')} ${store.loadError.value ?? ''}`.trim()}
                </div>
                <Button onClick={() => void store.retry()} data-testid="editor-retry">
                  {t('edit.retry')}
                </Button>
              </>
            )}
            {state === 'ready' && (
              <>
                <ConflictBox store={store} />
                <EditForm store={store} />
                <MoreActions store={store} />
              </>
            )}
            {state === 'deleted' && (
              <Button onClick={() => store.close()} data-testid="editor-done">
                {t('edit.close')}
              </Button>
            )}
          </>
        )}
      </div>
    </>
  );
}
