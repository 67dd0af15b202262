/**
 * The planner's attribute form for one segment, node or site, opened from its map popup (admin
 * and planner only). It reads the record as stored, with its version; sends only what changed,
 * with that version; and never overwrites someone else's change silently: a 409 shows their
 * version beside mine, field by field, to reload theirs or to apply mine on top of theirs.
 * Deleting asks first; decommissioning (segments and nodes) needs a reason.
 *
 * The form's hints mirror the api's rules so most mistakes are caught before sending; the
 * server still judges, and its field problems (in the reader's language) appear next to the
 * field they name. All text via t() and textContent.
 */
import { ApiError, editApi, fieldApi, type Editable, type EditableRecord, type SubjectState } from '../../shared/api';
import { formatDateTimeWib } from '../../shared/format';
import { onLangChange, statusLabel, t, type MessageKey } from '../../shared/i18n';
import { statusStyle } from '../../map/symbology';
import { el } from '../../shared/ui';
import {
  compareFields,
  displayValue,
  fieldName,
  fieldsOf,
  inputText,
  mineOnTop,
  parseInput,
  problemText,
  serverFieldProblems,
  valuesOf,
  changedFrom,
  type Conflict,
  type FieldSpec,
  type Operation,
  type Values,
} from './editor-form';

export interface EditorHost {
  /** The phases to choose from (id and name), as far as they are known now. */
  phases(): Array<{ id: string; name: string }>;
  /** Reads the list of phases if it has not been read yet; never fails (the known ones serve). */
  loadPhases(): Promise<void>;
  /** Shows the feature on the map, clear of the panel. */
  focus(subject: Editable, id: string): void;
  unfocus(): void;
  /** The server holds a newer state of the feature (saved, or someone else's): draw it. */
  stored(subject: Editable, record: EditableRecord): void;
  removed(subject: Editable, id: string): void;
  /** Called as the panel opens: other panels make room. */
  opening(): void;
}

function button(className: string, testId: string): HTMLButtonElement {
  const b = el('button', className);
  b.type = 'button';
  b.dataset.testid = testId;
  return b;
}

function statusChip(status: string): HTMLElement {
  const chip = el('span', 'serat-chip');
  const dot = el('span', 'serat-chip__dot');
  dot.style.backgroundColor = statusStyle(status).color;
  chip.append(dot, el('span', undefined, statusLabel(status)));
  return chip;
}

interface FieldControl {
  spec: FieldSpec;
  wrap: HTMLElement;
  label: HTMLLabelElement;
  input: HTMLInputElement | HTMLSelectElement;
  hint: HTMLElement;
  problem: HTMLElement;
  /** The server's word on this field, until the field is changed again. */
  serverProblem: string | null;
}

const TITLES: Record<Editable, MessageKey> = { segment: 'edit.title.segment', node: 'edit.title.node', site: 'edit.title.site' };
const KINDS: Record<Editable, MessageKey> = { segment: 'popup.segment', node: 'popup.node', site: 'popup.site' };
const DELETE_ASK: Record<Editable, MessageKey> = { segment: 'edit.deleteAsk.segment', node: 'edit.deleteAsk.node', site: 'edit.deleteAsk.site' };

let fieldIds = 0;

export class FeatureEditor {
  readonly root = el('section', 'serat-planner serat-editor');
  private readonly head = el('div', 'serat-lapangan__head');
  private readonly title = el('h2', 'serat-lapangan__title');
  private readonly closeButton = button('serat-lapangan__icon-button', 'editor-close');
  private readonly body = el('div', 'serat-lapangan__body');
  private readonly summary = el('div', 'serat-editor__summary');
  private readonly message = el('p', 'serat-planner__message serat-editor__message');
  private readonly error = el('div', 'serat-planner__message serat-planner__message--error');
  private readonly conflictBox = el('div', 'serat-editor__conflict');
  private readonly form = el('form', 'serat-editor__form');
  private readonly fieldsBox = el('div', 'serat-editor__fields');
  private readonly saveButton = button('serat-button serat-button--primary', 'editor-save');
  private readonly cancelButton = button('serat-button serat-button--secondary', 'editor-cancel');
  private readonly more = el('div', 'serat-editor__more');
  private readonly decommissionButton = button('serat-button serat-button--secondary serat-button--danger', 'editor-decommission');
  private readonly deleteButton = button('serat-button serat-button--secondary serat-button--danger', 'editor-delete');
  private readonly reasonInput = el('textarea', 'serat-input serat-editor__reason');
  private readonly reasonProblem = el('p', 'serat-editor__problem');
  private readonly retryButton = button('serat-button serat-button--secondary', 'editor-retry');

  private enabled = false;
  private subject: Editable = 'segment';
  private id = '';
  private specs: FieldSpec[] = [];
  private controls: FieldControl[] = [];
  private record: EditableRecord | null = null;
  /** The values of the version the form is based on. */
  private base: Values = {};
  private storedAt: string | null = null;
  private state: 'closed' | 'loading' | 'failed' | 'ready' | 'deleted' = 'closed';
  private busy: Operation | null = null;
  private confirming: 'delete' | 'decommission' | null = null;
  private conflict: Conflict | null = null;
  private messageText: string | null = null;
  private errorLines: string[] = [];
  private loadError: string | null = null;
  private generation = 0;

  constructor(
    parent: HTMLElement,
    private readonly host: EditorHost,
  ) {
    this.root.hidden = true;
    this.root.dataset.testid = 'editor-panel';
    this.root.setAttribute('role', 'dialog');
    this.closeButton.textContent = '×';
    this.closeButton.addEventListener('click', () => this.close());
    this.head.append(this.title, this.closeButton);
    this.root.append(this.head, this.body);
    parent.append(this.root);

    this.message.dataset.testid = 'editor-message';
    this.message.setAttribute('role', 'status');
    this.error.dataset.testid = 'editor-error';
    this.error.setAttribute('role', 'alert');
    this.conflictBox.dataset.testid = 'editor-conflict';
    this.conflictBox.setAttribute('role', 'alert');
    this.form.dataset.testid = 'editor-form';
    this.form.noValidate = true;
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save();
    });
    this.saveButton.type = 'submit';
    this.cancelButton.addEventListener('click', () => this.close());
    this.decommissionButton.addEventListener('click', () => this.ask('decommission'));
    this.deleteButton.addEventListener('click', () => this.ask('delete'));
    this.reasonInput.id = 'serat-editor-reason';
    this.reasonInput.rows = 3;
    this.reasonInput.maxLength = 2000;
    this.reasonInput.dataset.testid = 'editor-reason';
    this.reasonInput.addEventListener('input', () => {
      this.reasonProblem.textContent = '';
      this.reasonInput.removeAttribute('aria-invalid');
    });
    this.reasonProblem.dataset.testid = 'editor-reason-problem';
    this.reasonProblem.id = 'serat-editor-reason-problem';
    this.retryButton.addEventListener('click', () => void this.load());
    this.root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !this.busy) this.close();
    });
    onLangChange(() => {
      if (this.state === 'closed') return;
      for (const control of this.controls) this.fillOptions(control);
      this.render();
    });
  }

  /** For admin and planner only. */
  setRole(role: string | null, roles: readonly string[]): void {
    this.enabled = !!role && roles.includes(role);
    if (!this.enabled) this.close();
  }

  get isOpen(): boolean {
    return this.state !== 'closed';
  }

  /** Which feature the form shows, while it is open. */
  showing(): { subject: Editable; id: string } | null {
    return this.isOpen ? { subject: this.subject, id: this.id } : null;
  }

  open(subject: Editable, id: string): void {
    if (!this.enabled) return;
    this.host.opening();
    this.subject = subject;
    this.id = id;
    this.specs = fieldsOf(subject, () => this.host.phases());
    this.controls = this.specs.map((spec) => this.control(spec));
    this.record = null;
    this.base = {};
    this.storedAt = null;
    this.busy = null;
    this.conflict = null;
    this.confirming = null;
    this.messageText = null;
    this.errorLines = [];
    this.reasonInput.value = '';
    this.reasonProblem.textContent = '';
    this.root.hidden = false;
    document.body.dataset.editorOpen = 'true';
    this.host.focus(subject, id);
    void this.load();
  }

  close(): void {
    if (this.state === 'closed') return;
    this.generation += 1;
    this.state = 'closed';
    this.busy = null;
    this.root.hidden = true;
    delete document.body.dataset.editorOpen;
    this.host.unfocus();
  }

  /** The panel's height over the map (phones) or width beside it (wide screens), for fitting the view. */
  coverage(): { bottom: number; left: number } {
    if (this.root.hidden) return { bottom: 0, left: 0 };
    const box = this.root.getBoundingClientRect();
    const wide = window.matchMedia('(min-width: 900px)').matches;
    return wide ? { bottom: 0, left: box.right + 8 } : { bottom: window.innerHeight - box.top + 8, left: 0 };
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  private async load(): Promise<void> {
    const generation = ++this.generation;
    this.state = 'loading';
    this.loadError = null;
    this.render();
    try {
      // The phase list is read alongside (once per session), so a phase nothing uses yet can be chosen.
      const [{ record, storedAt }] = await Promise.all([editApi.read(this.subject, this.id), this.host.loadPhases()]);
      if (generation !== this.generation) return;
      this.storedAt = storedAt;
      this.take(record);
      this.state = 'ready';
      if (!storedAt) this.host.stored(this.subject, record);
      this.render();
      // Into the form with a keyboard; on touch screens no keyboard pops up uninvited.
      if (window.matchMedia('(pointer: fine)').matches) this.controls[0]?.input.focus({ preventScroll: true });
      return;
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof ApiError && error.httpStatus === 404) {
        this.state = 'deleted';
        this.messageText = t('edit.gone');
        this.host.removed(this.subject, this.id);
      } else {
        this.state = 'failed';
        this.loadError = problemText(error);
      }
    }
    this.render();
  }

  /** Bases the form on a stored state: its values fill the inputs, its version is the one sent. */
  private take(record: EditableRecord): void {
    this.record = record;
    this.base = valuesOf(this.specs, record);
    for (const control of this.controls) {
      control.serverProblem = null;
      this.fillOptions(control);
      control.input.value = inputText(control.spec, this.base[control.spec.key]);
      this.showProblem(control, null);
    }
  }

  // -------------------------------------------------------------------------------------------
  // The form

  private control(spec: FieldSpec): FieldControl {
    const id = `serat-edit-${spec.key}-${++fieldIds}`;
    const wrap = el('div', 'serat-field');
    wrap.dataset.field = spec.key;
    const label = el('label', 'serat-field__label');
    label.htmlFor = id;
    let input: HTMLInputElement | HTMLSelectElement;
    if (spec.kind === 'select') {
      input = el('select', 'serat-input');
    } else {
      const text = el('input', 'serat-input');
      text.type = 'text';
      text.autocomplete = 'off';
      if (spec.kind === 'integer') text.inputMode = 'numeric';
      if (spec.kind === 'decimal') text.inputMode = 'decimal';
      if (spec.maxLength) text.maxLength = spec.maxLength + 20;
      if (spec.code) {
        text.autocapitalize = 'characters';
        text.spellcheck = false;
      }
      input = text;
    }
    input.id = id;
    input.dataset.testid = `edit-${spec.key}`;
    const hint = el('p', 'serat-editor__hint');
    hint.id = `${id}-hint`;
    const problem = el('p', 'serat-editor__problem');
    problem.id = `${id}-problem`;
    problem.dataset.testid = `edit-problem-${spec.key}`;
    problem.hidden = true;
    input.setAttribute('aria-describedby', `${hint.id} ${problem.id}`);
    const control: FieldControl = { spec, wrap, label, input, hint, problem, serverProblem: null };
    const check = () => {
      control.serverProblem = null;
      const parsed = parseInput(spec, input.value);
      this.showProblem(control, parsed.ok ? null : parsed.problem);
    };
    // While typing, a problem already shown clears as soon as it is fixed; new ones wait for the blur.
    input.addEventListener('input', () => {
      control.serverProblem = null;
      if (!control.problem.hidden) check();
      this.renderButtons();
    });
    input.addEventListener('change', check);
    input.addEventListener('blur', check);
    wrap.append(label, input, hint, problem);
    return control;
  }

  private fillOptions(control: FieldControl): void {
    const { spec, input } = control;
    if (!(input instanceof HTMLSelectElement) || !spec.options) return;
    const value = input.value || (this.base[spec.key] === null || this.base[spec.key] === undefined ? '' : String(this.base[spec.key]));
    const options: HTMLOptionElement[] = [];
    if (spec.nullable) options.push(new Option(t('edit.none'), ''));
    const offered = spec.options();
    for (const [v, label] of offered) options.push(new Option(label, v));
    // A stored value this list does not offer (a phase missing from it, a newer kind) stays choosable.
    const stored = this.base[spec.key];
    for (const extra of [stored, value]) {
      if (extra === null || extra === undefined || extra === '' || options.some((o) => o.value === String(extra))) continue;
      options.push(new Option(spec.valueLabel ? spec.valueLabel(String(extra)) : String(extra), String(extra)));
    }
    input.replaceChildren(...options);
    input.value = value;
  }

  private showProblem(control: FieldControl, problem: string | null): void {
    const text = control.serverProblem ?? problem;
    control.problem.textContent = text ?? '';
    control.problem.hidden = !text;
    if (text) control.input.setAttribute('aria-invalid', 'true');
    else control.input.removeAttribute('aria-invalid');
  }

  /** The form as the api would read it, or the problems the hints found. */
  private readForm(): { values: Values; problems: FieldControl[] } {
    const values: Values = {};
    const problems: FieldControl[] = [];
    for (const control of this.controls) {
      const parsed = parseInput(control.spec, control.input.value);
      if (parsed.ok) values[control.spec.key] = parsed.value;
      else {
        problems.push(control);
        this.showProblem(control, parsed.problem);
      }
    }
    return { values, problems };
  }

  /** The fields of `values` (all of the form's, or only those I changed) that differ from `base`. */
  private changedFrom(base: Values, values: Values): Values {
    return changedFrom(this.specs, base, values);
  }

  private dirty(): boolean {
    for (const control of this.controls) {
      const parsed = parseInput(control.spec, control.input.value);
      if (!parsed.ok || parsed.value !== this.base[control.spec.key]) return true;
    }
    return false;
  }

  // -------------------------------------------------------------------------------------------
  // Saving, and what a conflict offers

  private async save(): Promise<void> {
    if (this.busy || this.state !== 'ready' || !this.record) return;
    this.messageText = null;
    this.errorLines = [];
    const { values, problems } = this.readForm();
    if (problems.length) {
      this.errorLines = [t('edit.problem.check')];
      this.render();
      problems[0].input.focus();
      return;
    }
    const changes = this.changedFrom(this.base, values);
    if (!Object.keys(changes).length) {
      this.messageText = t('edit.noChanges');
      this.render();
      return;
    }
    await this.sendUpdate(changes, this.record.version, this.base);
  }

  private async sendUpdate(changes: Values, version: number, base: Values): Promise<void> {
    const generation = this.generation;
    this.busy = 'update';
    this.conflict = null;
    this.errorLines = [];
    this.render();
    try {
      const record = await editApi.update<EditableRecord>(this.subject, this.id, version, changes);
      if (generation !== this.generation) return;
      this.take(record);
      this.messageText = t('edit.saved', { version: record.version });
      this.host.stored(this.subject, record);
    } catch (error) {
      if (generation !== this.generation) return;
      this.failed(error, 'update', base, changes);
    } finally {
      if (generation === this.generation) {
        this.busy = null;
        this.render();
        // What happened is said at the top of the form: bring it into view (a phone shows little).
        if (this.messageText) this.message.scrollIntoView?.({ block: 'nearest' });
        else if (this.errorLines.length && !this.controls.some((c) => c.serverProblem)) this.error.scrollIntoView?.({ block: 'nearest' });
      }
    }
  }

  /** A refusal: a conflict to resolve, field problems next to their fields, or a message. */
  private failed(error: unknown, operation: Operation, base: Values, changes: Values): void {
    if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') {
      // Edits and the status endpoint (decommissioning) both answer with the whole current state.
      const theirs = (error.details as { current?: EditableRecord } | undefined)?.current;
      if (theirs && typeof theirs.version === 'number') {
        this.showConflict({ operation, theirs, base, changes });
        return;
      }
      this.errorLines = [problemText(error)];
      return;
    }
    if (error instanceof ApiError && error.httpStatus === 404) {
      this.state = 'deleted';
      this.messageText = t('edit.gone');
      this.host.removed(this.subject, this.id);
      return;
    }
    if (error instanceof ApiError && operation === 'decommission' && error.code === 'REASON_REQUIRED') {
      this.reasonProblem.textContent = error.serverMessage ?? t('edit.problem.required');
      this.reasonInput.setAttribute('aria-invalid', 'true');
      return;
    }
    if (error instanceof ApiError && operation === 'update') {
      const { fields, rest } = serverFieldProblems(error);
      let first: FieldControl | null = null;
      for (const control of this.controls) {
        const problem = fields.get(control.spec.key);
        if (!problem) continue;
        control.serverProblem = problem;
        this.showProblem(control, null);
        first ??= control;
        fields.delete(control.spec.key);
      }
      for (const [field, problem] of fields) rest.push(`${fieldName(field)}: ${problem}`);
      // The server's summary line ("check the fields below"), then what no field could show; a
      // duplicate code says it all next to the field.
      this.errorLines = [error.code === 'DUPLICATE_CODE' && !rest.length ? t('edit.problem.check') : problemText(error), ...rest];
      first?.input.focus();
      return;
    }
    this.errorLines = [problemText(error)];
  }

  private showConflict(conflict: Conflict): void {
    this.conflict = conflict;
    this.confirming = null;
    // The map shows what is on the server now.
    this.host.stored(this.subject, conflict.theirs);
    this.render();
    this.conflictBox.scrollIntoView?.({ block: 'nearest' });
  }

  /** Drops my edits and bases the form on their version. */
  private reloadTheirs(): void {
    const conflict = this.conflict;
    if (!conflict) return;
    this.conflict = null;
    this.take(conflict.theirs);
    this.messageText = t('edit.reloaded', { version: conflict.theirs.version });
    this.errorLines = [];
    this.render();
    this.message.scrollIntoView?.({ block: 'nearest' });
  }

  /** Sends again, on top of their version: my changed fields only, theirs for everything else. */
  private async applyMine(): Promise<void> {
    const conflict = this.conflict;
    if (!conflict || this.busy) return;
    const theirs = valuesOf(this.specs, conflict.theirs);
    if (conflict.operation === 'delete') return this.remove(conflict.theirs.version);
    if (conflict.operation === 'decommission') return this.decommission(conflict.theirs.version);
    const changes = mineOnTop(this.specs, conflict);
    if (!Object.keys(changes).length) {
      // What I wanted is what the server has now.
      this.conflict = null;
      this.take(conflict.theirs);
      this.messageText = t('edit.conflict.same');
      this.render();
      return;
    }
    this.record = conflict.theirs;
    await this.sendUpdate(changes, conflict.theirs.version, theirs);
    // Inputs I did not touch now show their values (the record the server answered with).
  }

  private renderConflict(): void {
    const conflict = this.conflict;
    if (!conflict) {
      this.conflictBox.replaceChildren();
      this.conflictBox.hidden = true;
      return;
    }
    this.conflictBox.hidden = false;
    const before = this.record;
    const title = el('p', 'serat-editor__conflict-title');
    title.append(
      el('strong', undefined, t('edit.conflict.title')),
      el('span', undefined, ` ${t('edit.conflict.versions', { read: before?.version ?? '?', current: conflict.theirs.version })}`),
    );
    const table = el('table', 'serat-editor__compare');
    table.dataset.testid = 'editor-compare';
    const head = el('tr');
    head.append(el('th', undefined, t('edit.conflict.field')), el('th', undefined, t('edit.conflict.theirs')), el('th', undefined, t('edit.conflict.mine')));
    const thead = el('thead');
    thead.append(head);
    const tbody = el('tbody');
    const row = (key: string, label: string, theirsText: string, mineText: string, kind: 'theirs' | 'mine' | 'clash', mineMuted: boolean) => {
      const tr = el('tr', `serat-editor__compare-row serat-editor__compare-row--${kind}`);
      tr.dataset.field = key;
      tr.dataset.change = kind;
      const th = el('th');
      th.append(el('span', undefined, label), el('span', 'serat-editor__compare-why', t(`edit.why.${kind}` as MessageKey)));
      const theirsCell = el('td', 'serat-editor__compare-theirs', theirsText);
      theirsCell.dataset.testid = `conflict-theirs-${key}`;
      const mineCell = el('td', `serat-editor__compare-mine${mineMuted ? ' serat-editor__compare-mine--same' : ''}`, mineText);
      mineCell.dataset.testid = `conflict-mine-${key}`;
      tr.append(th, theirsCell, mineCell);
      tbody.append(tr);
    };
    // Status and position are not in the form, but someone else may have changed them.
    const baseStatus = (before as { status?: string } | null)?.status;
    const theirStatus = (conflict.theirs as { status?: string }).status;
    const mineStatus = conflict.operation === 'decommission' ? 'decommissioned' : null;
    const statusByThem = !!theirStatus && !!baseStatus && theirStatus !== baseStatus;
    if (mineStatus || statusByThem) {
      const kind = mineStatus ? (statusByThem ? 'clash' : 'mine') : 'theirs';
      row('status', t('edit.field.status'), statusLabel(theirStatus), mineStatus ? statusLabel(mineStatus) : t('edit.conflict.notMine'), kind, !mineStatus);
    }
    if (before && JSON.stringify(before.geometry) !== JSON.stringify(conflict.theirs.geometry)) {
      row('geometry', t('edit.field.geometry'), t('edit.conflict.moved'), t('edit.conflict.notMine'), 'theirs', true);
    }
    const compared = compareFields(this.specs, conflict);
    for (const field of compared) {
      const { spec, mine } = field;
      row(spec.key, t(spec.label), displayValue(spec, field.theirs), mine ? displayValue(spec, mine.value) : t('edit.conflict.notMine'), field.change, !mine);
    }
    const shown = compared.length;
    if (!tbody.childElementCount || (!shown && conflict.operation === 'update')) {
      // Someone saved without changing anything the form shows: only the version moved on.
      const only = el('td', 'serat-editor__compare-only', t('edit.conflict.onlyVersion'));
      only.colSpan = 3;
      const tr = el('tr');
      tr.append(only);
      tbody.append(tr);
    }
    table.append(thead, tbody);
    const scroller = el('div', 'serat-planner__table-wrap');
    scroller.append(table);

    const explain = el(
      'p',
      'serat-planner__hint',
      t(conflict.operation === 'update' ? 'edit.conflict.explain' : conflict.operation === 'delete' ? 'edit.conflict.explainDelete' : 'edit.conflict.explainDecommission', {
        current: conflict.theirs.version,
      }),
    );
    const apply = button('serat-button serat-button--primary', 'editor-apply-mine');
    apply.textContent = this.busy
      ? t('edit.saving')
      : t(conflict.operation === 'update' ? 'edit.conflict.applyMine' : conflict.operation === 'delete' ? 'edit.conflict.deleteAnyway' : 'edit.conflict.decommissionAnyway');
    if (conflict.operation !== 'update') apply.classList.add('serat-editor__danger-primary');
    apply.disabled = !!this.busy;
    apply.addEventListener('click', () => void this.applyMine());
    const reload = button('serat-button serat-button--secondary', 'editor-reload-theirs');
    reload.textContent = t('edit.conflict.reloadTheirs');
    reload.disabled = !!this.busy;
    reload.addEventListener('click', () => this.reloadTheirs());
    const buttons = el('div', 'serat-planner__buttons');
    buttons.append(apply, reload);
    this.conflictBox.replaceChildren(title, scroller, explain, buttons);
  }

  // -------------------------------------------------------------------------------------------
  // Decommissioning and deleting

  private ask(what: 'delete' | 'decommission'): void {
    if (this.busy || this.state !== 'ready') return;
    this.confirming = this.confirming === what ? null : what;
    this.conflict = null;
    this.errorLines = [];
    this.messageText = null;
    this.reasonProblem.textContent = '';
    this.render();
    if (this.confirming === 'decommission') this.reasonInput.focus();
    if (this.confirming) this.more.scrollIntoView?.({ block: 'nearest' });
  }

  private async remove(version = this.record?.version): Promise<void> {
    if (this.busy || !this.record || version === undefined) return;
    const generation = this.generation;
    const code = this.record.code;
    const base = this.conflict ? valuesOf(this.specs, this.conflict.theirs) : this.base;
    this.busy = 'delete';
    this.errorLines = [];
    this.render();
    try {
      await editApi.remove(this.subject, this.id, version);
      if (generation !== this.generation) return;
      this.conflict = null;
      this.confirming = null;
      this.state = 'deleted';
      this.messageText = t('edit.deleted', { code });
      this.host.removed(this.subject, this.id);
    } catch (error) {
      if (generation !== this.generation) return;
      this.conflict = null;
      this.failed(error, 'delete', base, {});
    } finally {
      if (generation === this.generation) {
        this.busy = null;
        this.render();
      }
    }
  }

  private async decommission(version = this.record?.version): Promise<void> {
    if (this.busy || !this.record || version === undefined || this.subject === 'site') return;
    const note = this.reasonInput.value.trim();
    if (!note) {
      this.reasonProblem.textContent = t('edit.reasonRequired');
      this.reasonInput.setAttribute('aria-invalid', 'true');
      this.confirming = 'decommission';
      this.conflict = null;
      this.render();
      this.reasonInput.focus();
      return;
    }
    const generation = this.generation;
    const subject = this.subject;
    const code = this.record.code;
    const base = this.conflict ? valuesOf(this.specs, this.conflict.theirs) : this.base;
    this.busy = 'decommission';
    this.errorLines = [];
    this.render();
    try {
      const state: SubjectState = await fieldApi.changeStatus(subject, this.id, { status: 'decommissioned', version, note, deviceTime: new Date().toISOString() });
      if (generation !== this.generation) return;
      this.conflict = null;
      this.confirming = null;
      this.reasonInput.value = '';
      this.messageText = t('edit.decommissioned', { code, version: state.version });
      // The status moved the version on: read the record again so the form is based on it.
      const { record } = await editApi.read(subject, this.id);
      if (generation !== this.generation) return;
      this.take(record);
      this.host.stored(subject, record);
    } catch (error) {
      if (generation !== this.generation) return;
      this.conflict = null;
      this.failed(error, 'decommission', base, {});
    } finally {
      if (generation === this.generation) {
        this.busy = null;
        this.render();
      }
    }
  }

  private renderMore(): void {
    const record = this.record;
    const children: HTMLElement[] = [el('h3', 'serat-planner__heading', t('edit.more'))];
    const status = (record as { status?: string } | null)?.status;
    const row = el('div', 'serat-planner__buttons');
    if (this.subject !== 'site') {
      if (status === 'decommissioned') children.push(el('p', 'serat-planner__hint', t('edit.final')));
      else {
        this.decommissionButton.textContent = t('edit.decommission');
        this.decommissionButton.disabled = !!this.busy;
        this.decommissionButton.setAttribute('aria-expanded', String(this.confirming === 'decommission'));
        row.append(this.decommissionButton);
      }
    }
    this.deleteButton.textContent = t('edit.delete');
    this.deleteButton.disabled = !!this.busy;
    this.deleteButton.setAttribute('aria-expanded', String(this.confirming === 'delete'));
    row.append(this.deleteButton);
    children.push(row);

    if (this.confirming === 'decommission' && record) {
      const box = el('div', 'serat-editor__confirm');
      box.dataset.testid = 'editor-decommission-box';
      const label = el('label', 'serat-field__label', t('edit.reason'));
      label.htmlFor = this.reasonInput.id;
      this.reasonInput.placeholder = t('edit.reasonPlaceholder');
      this.reasonInput.setAttribute('aria-describedby', this.reasonProblem.id);
      this.reasonProblem.hidden = !this.reasonProblem.textContent;
      const confirm = button('serat-button serat-button--primary serat-editor__danger-primary', 'editor-decommission-confirm');
      confirm.textContent = this.busy === 'decommission' ? t('edit.saving') : t('edit.decommissionConfirm');
      confirm.disabled = !!this.busy;
      confirm.addEventListener('click', () => void this.decommission());
      const cancel = button('serat-button serat-button--secondary', 'editor-decommission-cancel');
      cancel.textContent = t('edit.back');
      cancel.disabled = !!this.busy;
      cancel.addEventListener('click', () => this.ask('decommission'));
      const buttons = el('div', 'serat-planner__buttons');
      buttons.append(confirm, cancel);
      box.append(el('p', 'serat-editor__confirm-text', t('edit.decommissionAsk', { code: record.code })), label, this.reasonInput, this.reasonProblem, buttons);
      children.push(box);
    }
    if (this.confirming === 'delete' && record) {
      const box = el('div', 'serat-editor__confirm');
      box.dataset.testid = 'editor-delete-box';
      box.setAttribute('role', 'alertdialog');
      const text = el('p', 'serat-editor__confirm-text', t(DELETE_ASK[this.subject], { code: record.code }));
      text.id = 'serat-editor-delete-text';
      box.setAttribute('aria-describedby', text.id);
      const confirm = button('serat-button serat-button--primary serat-editor__danger-primary', 'editor-delete-confirm');
      confirm.textContent = this.busy === 'delete' ? t('edit.deleting') : t('edit.deleteConfirm');
      confirm.disabled = !!this.busy;
      confirm.addEventListener('click', () => void this.remove());
      const cancel = button('serat-button serat-button--secondary', 'editor-delete-cancel');
      cancel.textContent = t('edit.back');
      cancel.disabled = !!this.busy;
      cancel.addEventListener('click', () => this.ask('delete'));
      const buttons = el('div', 'serat-planner__buttons');
      buttons.append(confirm, cancel);
      box.append(text, buttons);
      children.push(box);
    }
    this.more.replaceChildren(...children);
  }

  // -------------------------------------------------------------------------------------------
  // Drawing the panel

  private renderButtons(): void {
    this.saveButton.textContent = this.busy === 'update' ? t('edit.saving') : t('edit.save');
    this.saveButton.disabled = !!this.busy || this.state !== 'ready' || !!this.conflict;
    // While a conflict is open its own buttons decide; saving the form again is not one of them.
    this.saveButton.hidden = !!this.conflict;
    this.saveButton.classList.toggle('serat-button--busy', this.busy === 'update');
    this.cancelButton.textContent = this.dirty() ? t('edit.discard') : t('edit.close');
  }

  private render(): void {
    if (this.state === 'closed') return;
    this.title.textContent = t(TITLES[this.subject]);
    this.root.setAttribute('aria-label', t(TITLES[this.subject]));
    this.closeButton.title = t('edit.close');
    this.closeButton.setAttribute('aria-label', t('edit.close'));
    this.retryButton.textContent = t('edit.retry');

    const record = this.record;
    const summary: HTMLElement[] = [el('div', 'serat-popup__kind', t(KINDS[this.subject]))];
    const titleLine = el('div', 'serat-editor__code');
    titleLine.append(el('span', 'serat-popup__title', record?.code ?? '…'));
    const status = (record as { status?: string } | null)?.status;
    if (status) titleLine.append(statusChip(status));
    if (record) {
      const version = el('span', 'serat-editor__version', t('edit.version', { version: record.version }));
      version.dataset.testid = 'editor-version';
      version.dataset.version = String(record.version);
      titleLine.append(version);
    }
    summary.push(titleLine);
    if (this.storedAt && this.state === 'ready') {
      const since = this.storedAt > '1971' ? formatDateTimeWib(this.storedAt) : null;
      summary.push(el('p', 'serat-planner__message serat-editor__stored', since ? t('edit.storedCopy', { time: since }) : t('edit.storedCopyUndated')));
    }
    this.summary.replaceChildren(...summary);

    this.message.textContent = this.messageText ?? '';
    this.message.hidden = !this.messageText;
    this.error.replaceChildren(...this.errorLines.map((line) => el('p', undefined, line)));
    this.error.hidden = !this.errorLines.length;
    this.renderConflict();

    const children: HTMLElement[] = [this.summary, this.message, this.error];
    if (this.state === 'loading') children.push(el('p', 'serat-planner__hint', t('edit.loading')));
    if (this.state === 'failed') {
      const failed = el('div', 'serat-planner__message serat-planner__message--error', `${t('edit.loadFailed')} ${this.loadError ?? ''}`.trim());
      failed.setAttribute('role', 'alert');
      children.push(failed, this.retryButton);
    }
    if (this.state === 'ready') {
      children.push(this.conflictBox);
      for (const control of this.controls) {
        control.label.textContent = t(control.spec.label);
        control.hint.textContent = control.spec.hint ? t(control.spec.hint) : '';
        control.hint.hidden = !control.spec.hint;
        if (control.input instanceof HTMLInputElement) control.input.placeholder = control.spec.placeholder ? t(control.spec.placeholder) : '';
        const disabled = !!this.busy || !!this.conflict;
        control.input.disabled = disabled;
      }
      this.fieldsBox.replaceChildren(...this.controls.map((control) => control.wrap));
      const buttons = el('div', 'serat-planner__buttons serat-editor__buttons');
      buttons.append(this.saveButton, this.cancelButton);
      this.form.replaceChildren(this.fieldsBox, buttons);
      this.renderButtons();
      this.renderMore();
      children.push(this.form, this.more);
    }
    if (this.state === 'deleted') {
      const done = button('serat-button serat-button--secondary', 'editor-done');
      done.textContent = t('edit.close');
      done.addEventListener('click', () => this.close());
      children.push(done);
    }
    this.body.replaceChildren(...children);
  }
}
