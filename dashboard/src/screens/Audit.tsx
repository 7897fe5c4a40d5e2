import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { audit, type AuditEntry, type AuditFilters } from '../api-admin';
import { LoadError, PageHead, TableRegion } from '../components/common';
import { describe, Field } from '../components/Field';
import { Empty, Loading } from '../components/Loading';
import { formatDateTime, localMidnight } from '../format';
import { errorText } from './SignIn';
import '../admin.css';

interface Form {
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string;
  from: string;
  to: string;
}

const EMPTY: Form = { actor: '', action: '', resource_type: '', resource_id: '', from: '', to: '' };
const FIELDS = ['actor', 'action', 'resource_type', 'resource_id', 'start', 'end'];

/** The actor box takes a key id, a user id or one of the actor types. */
function filtersOf(form: Form): AuditFilters {
  const actor = form.actor.trim();
  return {
    action: form.action.trim() || undefined,
    actor_key_id: actor.startsWith('key_') ? actor : undefined,
    actor_user_id: actor.startsWith('usr_') ? actor : undefined,
    actor_type: ['api_key', 'user', 'system'].includes(actor) ? actor : undefined,
    resource_type: form.resource_type.trim() || undefined,
    resource_id: form.resource_id.trim() || undefined,
    start: form.from ? localMidnight(form.from) : undefined,
    end: form.to ? localMidnight(form.to, 1) : undefined,
  };
}

const show = (value: unknown): string => (value === undefined || value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

export default function Audit() {
  const [form, setForm] = useState<Form>(EMPTY);
  const [applied, setApplied] = useState<Form>(EMPTY);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [open, setOpen] = useState<string | null>(null);

  const load = (more: boolean) => {
    setError('');
    audit.list(filtersOf(applied), more ? cursor : null).then(
      (page) => {
        setEntries((current) => (more && current ? [...current, ...page.data] : page.data));
        setCursor(page.pagination.has_more ? page.pagination.cursor : null);
        setFieldErrors({});
      },
      (caught) => {
        if (caught instanceof ApiError && caught.details.length) {
          const mapped = caught.fieldErrors(FIELDS);
          setFieldErrors({ ...mapped, actor: mapped.actor_key_id ?? mapped.actor_user_id ?? mapped.actor ?? '', from: mapped.start ?? '', to: mapped.end ?? '' });
          setEntries([]);
        } else setError(errorText(caught));
      },
    );
  };
  useEffect(() => load(false), [applied]);

  const input = (name: keyof Form, label: string, hint?: string, type = 'text') => (
    <Field id={`audit-${name}`} label={label} error={fieldErrors[name]} hint={hint}>
      <input {...describe(`audit-${name}`, fieldErrors[name], hint)} type={type} value={form[name]} onInput={(e) => setForm({ ...form, [name]: e.currentTarget.value })} />
    </Field>
  );

  return (
    <>
      <PageHead title="Audit log" />
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(form);
        }}
        aria-label="Filters"
      >
        {input('actor', 'Actor', 'key_…, usr_…, api_key, user or system')}
        {input('action', 'Action', 'e.g. link.created or key.*')}
        {input('resource_type', 'Resource type', 'e.g. link, api_key')}
        {input('resource_id', 'Resource id')}
        {input('from', 'From', undefined, 'date')}
        {input('to', 'To', undefined, 'date')}
        <button type="submit" class="primary">
          Apply
        </button>
        <button
          type="button"
          onClick={() => {
            setForm(EMPTY);
            setApplied(EMPTY);
          }}
        >
          Reset
        </button>
      </form>
      {error ? (
        <LoadError message={error} retry={() => load(false)} />
      ) : !entries ? (
        <Loading label="Loading the audit log…" />
      ) : entries.length === 0 ? (
        <Empty title="No entries match." />
      ) : (
        <ul class="plain audit-list">
          {entries.map((entry) => {
            const fields = Object.entries(entry.changes);
            return (
              <li key={entry.id} class="card audit-entry">
                <div class="section-head">
                  <p>
                    <strong class="mono">{entry.action}</strong> on <span class="mono">{entry.resource_type}</span>{' '}
                    <span class="mono">{entry.resource_id ?? ''}</span>
                  </p>
                  <span class="muted">{formatDateTime(entry.created_at)}</span>
                </div>
                <p class="muted">
                  By {entry.actor_type === 'system' ? 'the system' : entry.actor_type === 'user' ? `user ${entry.actor_user_id}` : `key ${entry.actor_key_id}`}
                  {entry.request_id && <> · request {entry.request_id}</>}
                </p>
                {fields.length > 0 && (
                  <>
                    <button type="button" class="small" aria-expanded={open === entry.id} onClick={() => setOpen(open === entry.id ? null : entry.id)}>
                      {open === entry.id ? 'Hide changes' : `Show ${fields.length} change${fields.length === 1 ? '' : 's'}`}
                    </button>
                    {open === entry.id && (
                      <TableRegion label={`Changes of ${entry.action}`} columns={['Field', 'Before', 'After']} class="diff">
                        {fields.map(([field, change]) => (
                          <tr key={field}>
                            <th scope="row" class="mono">
                              {field}
                            </th>
                            <td class="diff-before">
                              <del>{show(change.before)}</del>
                            </td>
                            <td class="diff-after">
                              <ins>{show(change.after)}</ins>
                            </td>
                          </tr>
                        ))}
                      </TableRegion>
                    )}
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {cursor && (
        <button type="button" class="more" onClick={() => load(true)}>
          Load more
        </button>
      )}
    </>
  );
}
