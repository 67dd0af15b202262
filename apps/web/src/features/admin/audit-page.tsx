import { useSignal } from '@preact/signals';
import { Button, Field } from '../../shared/components';
import { formatDateTimeWib } from '../../shared/format';
import type { AuditEntry, AuditFilter } from './admin-api';
import { roleLabel, statusLabel } from '../../shared/i18n';
import { actionLabel, entityLabel, ENTITY_TYPES, fieldLabel, t } from './admin.i18n';
import type { AuditStore } from './admin-store';
import { FailureMessage } from './failure-message';
import { PagerBar } from './pager';

/** The filter as typed: days are whole days in WIB, the time the interface shows. */
export interface AuditFilterForm {
  entity: string;
  entityId: string;
  user: string;
  fromDay: string;
  toDay: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const startOfDayWib = (day: string) => new Date(`${day}T00:00:00+07:00`);

/** The query of GET /api/audit; the last day counts whole (`to` is exclusive there). */
export function auditFilterOf(form: AuditFilterForm): AuditFilter {
  const filter: AuditFilter = {};
  if (form.entity) filter.entity = form.entity;
  if (form.entityId.trim()) filter.entityId = form.entityId.trim();
  if (form.user) filter.user = form.user;
  if (/^\d{4}-\d{2}-\d{2}$/.test(form.fromDay)) filter.from = startOfDayWib(form.fromDay).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(form.toDay)) filter.to = new Date(startOfDayWib(form.toDay).getTime() + DAY_MS).toISOString();
  return filter;
}

/** The value of a changed field, in the reader's words where the vocabulary is known. */
function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('audit.yes') : t('audit.no');
  if (Array.isArray(value)) return value.map((entry) => valueText(field, entry)).join(', ') || '—';
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  if (field === 'role') return roleLabel(text);
  if (field === 'status') return statusLabel(text);
  if (field === 'password') return text === '(reset)' ? t('audit.passwordReset') : t('audit.passwordHidden');
  return text;
}

function Changes({ entry }: { entry: AuditEntry }) {
  const fields = Object.entries(entry.changes ?? {});
  if (!fields.length) return <span class="serat-admin__muted">—</span>;
  return (
    <ul class="serat-admin__changes">
      {fields.map(([field, change]) => (
        <li key={field} data-field={field}>
          <span class="serat-admin__field">{fieldLabel(field)}</span>: {valueText(field, change?.before)} → {valueText(field, change?.after)}
        </li>
      ))}
    </ul>
  );
}

export function AuditPage({ store }: { store: AuditStore }) {
  const form = useSignal<AuditFilterForm>({ entity: '', entityId: '', user: '', fromDay: '', toDay: '' });
  const set = (change: Partial<AuditFilterForm>) => (form.value = { ...form.value, ...change });
  const f = form.value;
  const actors = store.actors.value;
  const actorName = (entry: AuditEntry) => actors.find((user) => user.id === entry.actorId)?.username ?? entry.actorLabel;
  const subjectName = (entry: AuditEntry) => (entry.entityType === 'user' ? actors.find((user) => user.id === entry.entityId)?.username : undefined) ?? entry.entityId ?? '—';
  const rangeWrong = Boolean(f.fromDay && f.toDay && f.fromDay > f.toDay);

  return (
    <div class="serat-admin__page-body" data-testid="admin-audit">
      <form
        class="serat-admin__filters"
        aria-label={t('audit.filters')}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!rangeWrong) void store.apply(auditFilterOf(form.value));
        }}
      >
        <Field id="audit-entity" label={t('audit.entity')}>
          <select id="audit-entity" class="serat-input" value={f.entity} onChange={(event) => set({ entity: event.currentTarget.value })} data-testid="audit-entity">
            <option value="">{t('audit.all')}</option>
            {ENTITY_TYPES.map((type) => (
              <option key={type} value={type}>
                {entityLabel(type)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="audit-entity-id" label={t('audit.entityId')}>
          <input id="audit-entity-id" class="serat-input" value={f.entityId} onInput={(event) => set({ entityId: event.currentTarget.value })} data-testid="audit-entity-id" />
        </Field>
        <Field id="audit-user" label={t('audit.actor')}>
          <select id="audit-user" class="serat-input" value={f.user} onChange={(event) => set({ user: event.currentTarget.value })} data-testid="audit-user">
            <option value="">{t('audit.anyone')}</option>
            {actors.map((user) => (
              <option key={user.id} value={user.id}>
                {user.displayName} ({user.username})
              </option>
            ))}
          </select>
        </Field>
        <Field id="audit-from" label={t('audit.from')}>
          <input id="audit-from" class="serat-input" type="date" value={f.fromDay} onInput={(event) => set({ fromDay: event.currentTarget.value })} data-testid="audit-from" />
        </Field>
        <Field id="audit-to" label={t('audit.to')} error={rangeWrong ? t('audit.rangeWrong') : null}>
          <input
            id="audit-to"
            class="serat-input"
            type="date"
            value={f.toDay}
            onInput={(event) => set({ toDay: event.currentTarget.value })}
            aria-invalid={rangeWrong ? 'true' : undefined}
            data-testid="audit-to"
          />
        </Field>
        <div class="serat-admin__buttons">
          <Button
            onClick={() => {
              form.value = { entity: '', entityId: '', user: '', fromDay: '', toDay: '' };
              void store.apply({});
            }}
            data-testid="audit-clear"
          >
            {t('audit.clear')}
          </Button>
          <Button type="submit" variant="primary" disabled={rangeWrong} data-testid="audit-apply">
            {t('audit.apply')}
          </Button>
        </div>
      </form>
      <FailureMessage failure={store.failure.value} testId="audit-error" />
      <table class="serat-admin__table" aria-busy={store.loading.value} data-testid="audit-table">
        <caption class="serat-visually-hidden">{t('audit.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.at')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.subject')}</th>
            <th scope="col">{t('audit.changes')}</th>
          </tr>
        </thead>
        <tbody>
          {store.items.value.map((entry) => (
            <tr key={entry.id} data-testid="audit-row" data-action={entry.action} data-entity={entry.entityType} data-entity-id={entry.entityId ?? ''}>
              <td>{formatDateTimeWib(entry.at)}</td>
              <td>{actorName(entry)}</td>
              <td>{actionLabel(entry.action)}</td>
              <td>
                {entityLabel(entry.entityType)} <span class="serat-admin__muted">{subjectName(entry)}</span>
              </td>
              <td>
                <Changes entry={entry} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!store.loading.value && !store.failure.value && store.items.value.length === 0 && (
        <p class="serat-admin__empty" data-testid="audit-empty">
          {t('audit.none')}
        </p>
      )}
      <PagerBar pager={store} testId="audit-pager" />
    </div>
  );
}
