/**
 * The attribute form's state as signals: the record as stored (with its version), the text in
 * each input, the problems shown next to them, and what a save, a delete or a decommissioning
 * did, a 409's conflict included. The components read these and call the actions; the rules
 * (reading typed text, what changed, mine on top of theirs) are editor-form.ts's.
 *
 * Nothing here touches the DOM: where the reader's eye (or the keyboard focus) should go next is
 * said through `attention`, which the panel carries out after it has drawn.
 */
import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import { ApiError, editApi, fieldApi, type Editable, type EditableRecord, type SubjectState } from '../../shared/api';
import type { Params } from '../../shared/translate';
import {
  changedFrom,
  fieldsOf,
  inputText,
  mineOnTop,
  parseInput,
  problemText,
  serverFieldProblems,
  valuesOf,
  fieldName,
  type Conflict,
  type FieldSpec,
  type Operation,
  type Values,
} from './editor-form';
import type { EditorKey } from './editor.i18n';

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

export type EditorState = 'closed' | 'loading' | 'failed' | 'ready' | 'deleted';

/**
 * A line shown to the reader: this feature's text (translated when drawn, so a language switch
 * reaches it) or the server's own words (in the language the request was made in).
 */
export type Line = { key: EditorKey; params?: Params } | { text: string };

/** Where to take the reader after a step: a field, the reason, or a part of the panel into view. */
export type Attention = { target: 'first' } | { target: 'field'; key: string } | { target: 'reason' } | { target: 'message' | 'error' | 'conflict' | 'more' };

export function createEditorStore(host: EditorHost) {
  let enabled = false;
  /** Bumped on every open, close and load: an answer for an older one is dropped. */
  let generation = 0;

  const subject = signal<Editable>('segment');
  const id = signal('');
  const specs = signal<FieldSpec[]>([]);
  const state = signal<EditorState>('closed');
  const record = signal<EditableRecord | null>(null);
  /** The values of the version the form is based on. */
  const base = signal<Values>({});
  /** When the answer was the device's offline copy: when it was stored. */
  const storedAt = signal<string | null>(null);
  const texts = signal<Record<string, string>>({});
  /** Fields whose own check (editor-form's parseInput) is shown; its text is read when drawn. */
  const checked = signal<Record<string, boolean>>({});
  /** The server's word on a field, until the field is changed again. */
  const serverProblems = signal<Record<string, string>>({});
  const busy = signal<Operation | null>(null);
  const confirming = signal<'delete' | 'decommission' | null>(null);
  const conflict = signal<Conflict | null>(null);
  const message = signal<Line | null>(null);
  const errorLines = signal<Line[]>([]);
  const loadError = signal<string | null>(null);
  const reason = signal('');
  const reasonProblem = signal<Line | null>(null);
  const attention = signal<(Attention & { seq: number }) | null>(null);
  let seq = 0;

  const look = (next: Attention) => {
    attention.value = { ...next, seq: ++seq };
  };

  /** The problem shown next to a field: the server's, else its own check's while that is shown. */
  function problemOf(key: string): string | null {
    const server = serverProblems.value[key];
    if (server) return server;
    if (!checked.value[key]) return null;
    const spec = specs.value.find((s) => s.key === key);
    const parsed = spec ? parseInput(spec, texts.value[key] ?? '') : null;
    return parsed && !parsed.ok ? parsed.problem : null;
  }

  const without = <T>(map: Record<string, T>, key: string) => {
    if (!(key in map)) return map;
    const next = { ...map };
    delete next[key];
    return next;
  };

  /** Bases the form on a stored state: its values fill the inputs, its version is the one sent. */
  function take(next: EditableRecord): void {
    const values = valuesOf(specs.value, next);
    batch(() => {
      record.value = next;
      base.value = values;
      texts.value = Object.fromEntries(specs.value.map((spec) => [spec.key, inputText(spec, values[spec.key])]));
      checked.value = {};
      serverProblems.value = {};
    });
  }

  /** The form as the api would read it; the fields that will not do show their problem. */
  function readForm(): { values: Values; problems: string[] } {
    const values: Values = {};
    const problems: string[] = [];
    for (const spec of specs.value) {
      const parsed = parseInput(spec, texts.value[spec.key] ?? '');
      if (parsed.ok) values[spec.key] = parsed.value;
      else problems.push(spec.key);
    }
    if (problems.length) checked.value = { ...checked.value, ...Object.fromEntries(problems.map((key) => [key, true])) };
    return { values, problems };
  }

  const dirty = computed(() => {
    for (const spec of specs.value) {
      const parsed = parseInput(spec, texts.value[spec.key] ?? '');
      if (!parsed.ok || parsed.value !== base.value[spec.key]) return true;
    }
    return false;
  });

  /** The form moves the record to another phase (or out of one): that changes what the phase contracted, and needs a reason. */
  const phaseChanged = computed(() => {
    const spec = specs.value.find((s) => s.key === 'phaseId');
    if (!spec || texts.value.phaseId === undefined) return false;
    const parsed = parseInput(spec, texts.value.phaseId);
    return parsed.ok && parsed.value !== (base.value.phaseId ?? null);
  });

  function gone(): void {
    state.value = 'deleted';
    message.value = { key: 'edit.gone' };
    host.removed(subject.value, id.value);
  }

  async function load(): Promise<void> {
    const mine = ++generation;
    batch(() => {
      state.value = 'loading';
      loadError.value = null;
    });
    try {
      // The phase list is read alongside (once per session), so a phase nothing uses yet can be chosen.
      const [{ record: read, storedAt: at }] = await Promise.all([editApi.read(subject.value, id.value), host.loadPhases()]);
      if (mine !== generation) return;
      batch(() => {
        storedAt.value = at;
        take(read);
        state.value = 'ready';
      });
      if (!at) host.stored(subject.value, read);
      look({ target: 'first' });
    } catch (error) {
      if (mine !== generation) return;
      if (error instanceof ApiError && error.httpStatus === 404) gone();
      else
        batch(() => {
          state.value = 'failed';
          loadError.value = problemText(error);
        });
    }
  }

  /** A refusal: a conflict to resolve, field problems next to their fields, or a message. */
  function failed(error: unknown, operation: Operation, from: Values, changes: Values): void {
    if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') {
      // Edits and the status endpoint (decommissioning) both answer with the whole current state.
      const theirs = (error.details as { current?: EditableRecord } | undefined)?.current;
      if (theirs && typeof theirs.version === 'number') {
        batch(() => {
          conflict.value = { operation, theirs, base: from, changes };
          confirming.value = null;
        });
        // The map shows what is on the server now.
        host.stored(subject.value, theirs);
        look({ target: 'conflict' });
        return;
      }
      errorLines.value = [{ text: problemText(error) }];
      return;
    }
    if (error instanceof ApiError && error.httpStatus === 404) return gone();
    if (error instanceof ApiError && operation === 'decommission' && error.code === 'REASON_REQUIRED') {
      reasonProblem.value = error.serverMessage ? { text: error.serverMessage } : { key: 'edit.problem.required' };
      return;
    }
    if (error instanceof ApiError && operation === 'update' && error.code === 'SCOPE_REASON_REQUIRED') {
      reasonProblem.value = error.serverMessage ? { text: error.serverMessage } : { key: 'edit.phaseReasonRequired' };
      look({ target: 'reason' });
      return;
    }
    if (error instanceof ApiError && operation === 'update') {
      const { fields, rest } = serverFieldProblems(error);
      // What is wrong with the phase change's reason shows under it.
      const reasonField = fields.get('phaseReason');
      if (reasonField) {
        reasonProblem.value = { text: reasonField };
        fields.delete('phaseReason');
      }
      const onForm: Record<string, string> = {};
      for (const spec of specs.value) {
        const problem = fields.get(spec.key);
        if (!problem) continue;
        onForm[spec.key] = problem;
        fields.delete(spec.key);
      }
      for (const [field, problem] of fields) rest.push(`${fieldName(field)}: ${problem}`);
      serverProblems.value = { ...serverProblems.value, ...onForm };
      // The server's summary line ("check the fields below"), then what no field could show; a
      // duplicate code says it all next to the field.
      const summary: Line = error.code === 'DUPLICATE_CODE' && !rest.length ? { key: 'edit.problem.check' } : { text: problemText(error) };
      errorLines.value = [summary, ...rest.map((text) => ({ text }))];
      const first = specs.value.find((spec) => spec.key in onForm);
      if (first) look({ target: 'field', key: first.key });
      return;
    }
    errorLines.value = [{ text: problemText(error) }];
  }

  async function sendUpdate(changes: Values, version: number, from: Values): Promise<void> {
    const mine = generation;
    batch(() => {
      busy.value = 'update';
      conflict.value = null;
      errorLines.value = [];
    });
    try {
      // A move to another phase carries its reason (the phase's scope history keeps it).
      const body = 'phaseId' in changes ? { ...changes, phaseReason: reason.value.trim() } : changes;
      const saved = await editApi.update<EditableRecord>(subject.value, id.value, version, body);
      if (mine !== generation) return;
      batch(() => {
        take(saved);
        message.value = { key: 'edit.saved', params: { version: saved.version } };
        // The reason went with the change; the next one gives its own.
        reason.value = '';
        reasonProblem.value = null;
      });
      host.stored(subject.value, saved);
    } catch (error) {
      if (mine !== generation) return;
      failed(error, 'update', from, changes);
    } finally {
      if (mine === generation) {
        busy.value = null;
        // What happened is said at the top of the form: bring it into view (a phone shows little).
        if (message.value) look({ target: 'message' });
        else if (errorLines.value.length && !Object.keys(serverProblems.value).length && !conflict.value) look({ target: 'error' });
      }
    }
  }

  async function remove(version = record.value?.version): Promise<void> {
    const current = record.value;
    if (busy.value || !current || version === undefined) return;
    const mine = generation;
    const from = conflict.value ? valuesOf(specs.value, conflict.value.theirs) : base.value;
    batch(() => {
      busy.value = 'delete';
      errorLines.value = [];
    });
    try {
      await editApi.remove(subject.value, id.value, version);
      if (mine !== generation) return;
      batch(() => {
        conflict.value = null;
        confirming.value = null;
        state.value = 'deleted';
        message.value = { key: 'edit.deleted', params: { code: current.code } };
      });
      host.removed(subject.value, id.value);
    } catch (error) {
      if (mine !== generation) return;
      conflict.value = null;
      failed(error, 'delete', from, {});
    } finally {
      if (mine === generation) busy.value = null;
    }
  }

  async function decommission(version = record.value?.version): Promise<void> {
    const current = record.value;
    if (busy.value || !current || version === undefined || subject.value === 'site') return;
    const note = reason.value.trim();
    if (!note) {
      batch(() => {
        reasonProblem.value = { key: 'edit.reasonRequired' };
        confirming.value = 'decommission';
        conflict.value = null;
      });
      look({ target: 'reason' });
      return;
    }
    const mine = generation;
    const which = subject.value;
    const from = conflict.value ? valuesOf(specs.value, conflict.value.theirs) : base.value;
    batch(() => {
      busy.value = 'decommission';
      errorLines.value = [];
    });
    try {
      const changed: SubjectState = await fieldApi.changeStatus(which, id.value, { status: 'decommissioned', version, note, deviceTime: new Date().toISOString() });
      if (mine !== generation) return;
      const done = () => {
        conflict.value = null;
        confirming.value = null;
        reason.value = '';
        message.value = { key: 'edit.decommissioned', params: { code: current.code, version: changed.version } };
      };
      // The status moved the version on: read the record again so the form is based on it. The
      // panel says "decommissioned" together with the record that is.
      let read: EditableRecord;
      try {
        read = (await editApi.read(which, id.value)).record;
      } catch (error) {
        if (mine === generation) batch(done);
        throw error;
      }
      if (mine !== generation) return;
      batch(() => {
        done();
        take(read);
      });
      host.stored(which, read);
    } catch (error) {
      if (mine !== generation) return;
      conflict.value = null;
      failed(error, 'decommission', from, {});
    } finally {
      if (mine === generation) busy.value = null;
    }
  }

  function close(): void {
    if (state.value === 'closed') return;
    generation += 1;
    batch(() => {
      state.value = 'closed';
      busy.value = null;
    });
    host.unfocus();
  }

  return {
    subject: subject as ReadonlySignal<Editable>,
    id: id as ReadonlySignal<string>,
    specs: specs as ReadonlySignal<FieldSpec[]>,
    state: state as ReadonlySignal<EditorState>,
    record: record as ReadonlySignal<EditableRecord | null>,
    base: base as ReadonlySignal<Values>,
    storedAt: storedAt as ReadonlySignal<string | null>,
    texts: texts as ReadonlySignal<Record<string, string>>,
    busy: busy as ReadonlySignal<Operation | null>,
    confirming: confirming as ReadonlySignal<'delete' | 'decommission' | null>,
    conflict: conflict as ReadonlySignal<Conflict | null>,
    message: message as ReadonlySignal<Line | null>,
    errorLines: errorLines as ReadonlySignal<Line[]>,
    loadError: loadError as ReadonlySignal<string | null>,
    reason: reason as ReadonlySignal<string>,
    reasonProblem: reasonProblem as ReadonlySignal<Line | null>,
    phaseChanged,
    attention: attention as ReadonlySignal<(Attention & { seq: number }) | null>,
    dirty,
    problemOf,
    phases: () => host.phases(),

    /** For admin and planner only. */
    setRole(role: string | null, roles: readonly string[]): void {
      enabled = !!role && roles.includes(role);
      if (!enabled) close();
    },
    open(to: Editable, featureId: string): boolean {
      if (!enabled) return false;
      host.opening();
      batch(() => {
        // Open from here on: the panel is drawn before the map fits the feature beside it.
        state.value = 'loading';
        subject.value = to;
        id.value = featureId;
        specs.value = fieldsOf(to, () => host.phases());
        record.value = null;
        base.value = {};
        texts.value = {};
        checked.value = {};
        serverProblems.value = {};
        storedAt.value = null;
        busy.value = null;
        conflict.value = null;
        confirming.value = null;
        message.value = null;
        errorLines.value = [];
        reason.value = '';
        reasonProblem.value = null;
      });
      host.focus(to, featureId);
      void load();
      return true;
    },
    close,
    retry: () => load(),

    /** Typing: a problem already shown clears as soon as it is fixed; new ones wait for the blur. */
    input(key: string, text: string): void {
      const shown = problemOf(key) !== null;
      const spec = specs.value.find((s) => s.key === key);
      batch(() => {
        serverProblems.value = without(serverProblems.value, key);
        texts.value = { ...texts.value, [key]: text };
        checked.value = { ...checked.value, [key]: shown && !!spec && !parseInput(spec, text).ok };
      });
    },
    /** Leaving a field (or choosing in a list) checks it. */
    check(key: string): void {
      batch(() => {
        serverProblems.value = without(serverProblems.value, key);
        checked.value = { ...checked.value, [key]: true };
      });
    },

    async save(): Promise<void> {
      const current = record.value;
      if (busy.value || state.value !== 'ready' || !current) return;
      batch(() => {
        message.value = null;
        errorLines.value = [];
      });
      const { values, problems } = readForm();
      if (problems.length) {
        errorLines.value = [{ key: 'edit.problem.check' }];
        look({ target: 'field', key: problems[0] });
        return;
      }
      const changes = changedFrom(specs.value, base.value, values);
      if (!Object.keys(changes).length) {
        message.value = { key: 'edit.noChanges' };
        return;
      }
      if ('phaseId' in changes && !reason.value.trim()) {
        batch(() => {
          reasonProblem.value = { key: 'edit.phaseReasonRequired' };
          errorLines.value = [{ key: 'edit.problem.check' }];
        });
        look({ target: 'reason' });
        return;
      }
      await sendUpdate(changes, current.version, base.value);
    },

    /** Drops my edits and bases the form on their version. */
    reloadTheirs(): void {
      const open = conflict.value;
      if (!open) return;
      batch(() => {
        conflict.value = null;
        take(open.theirs);
        message.value = { key: 'edit.reloaded', params: { version: open.theirs.version } };
        errorLines.value = [];
      });
      look({ target: 'message' });
    },

    /** Sends again, on top of their version: my changed fields only, theirs for everything else. */
    async applyMine(): Promise<void> {
      const open = conflict.value;
      if (!open || busy.value) return;
      if (open.operation === 'delete') return remove(open.theirs.version);
      if (open.operation === 'decommission') return decommission(open.theirs.version);
      const changes = mineOnTop(specs.value, open);
      if (!Object.keys(changes).length) {
        // What I wanted is what the server has now.
        batch(() => {
          conflict.value = null;
          take(open.theirs);
          message.value = { key: 'edit.conflict.same' };
        });
        return;
      }
      const theirs = valuesOf(specs.value, open.theirs);
      // The record the answer replaces is theirs; inputs I did not touch then show their values.
      record.value = open.theirs;
      await sendUpdate(changes, open.theirs.version, theirs);
    },

    /** Opens (or closes again) the question before a delete or a decommissioning. */
    ask(what: 'delete' | 'decommission'): void {
      if (busy.value || state.value !== 'ready') return;
      const next = confirming.value === what ? null : what;
      batch(() => {
        confirming.value = next;
        conflict.value = null;
        errorLines.value = [];
        message.value = null;
        reasonProblem.value = null;
      });
      if (next === 'decommission') look({ target: 'reason' });
      else if (next) look({ target: 'more' });
    },
    setReason(text: string): void {
      batch(() => {
        reason.value = text;
        reasonProblem.value = null;
      });
    },
    remove: () => remove(),
    decommission: () => decommission(),
  };
}

export type EditorStore = ReturnType<typeof createEditorStore>;
