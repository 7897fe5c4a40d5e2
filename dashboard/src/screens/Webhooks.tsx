import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { EVENT_TYPES, webhooks, type Delivery, type Endpoint } from '../api-admin';
import { CheckboxGroup, Confirm, FormActions, LoadError, PageHead, useResource } from '../components/common';
import { CopyButton } from '../components/CopyButton';
import { Dialog } from '../components/Dialog';
import { describe, Field, FormError } from '../components/Field';
import { Empty, Loading } from '../components/Loading';
import { SecretDialog } from '../components/Secret';
import { toast } from '../components/Toasts';
import { formatDateTime } from '../format';
import { useApp } from '../session';
import { errorText } from './SignIn';
import '../admin.css';

const REASONS: Record<string, string> = {
  manual: 'it was disabled by hand',
  endpoint_gone: 'it answered 410 Gone',
  failing: 'every delivery attempt failed for too long',
};

const SINCE = { all: 'Any time', '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days' } as const;
const SINCE_MS: Record<string, number> = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3 };

export default function Webhooks() {
  const app = useApp();
  const canWrite = app.isAdmin;
  const list = useResource(() => webhooks.list());
  const [selected, setSelected] = useState<string | null>(null);
  const [modal, setModal] = useState<{ kind: 'form'; endpoint?: Endpoint } | { kind: 'secret' | 'reveal'; secret: string; title: string } | { kind: 'delete' | 'rotate'; endpoint: Endpoint } | null>(null);
  const endpoints = list.data?.data ?? [];
  const current = endpoints.find((endpoint) => endpoint.id === selected) ?? null;

  const enable = async (endpoint: Endpoint) => {
    try {
      await webhooks.update(endpoint.id, { enabled: true });
      toast('Endpoint enabled');
      list.reload();
    } catch (caught) {
      toast(errorText(caught), 'error');
    }
  };

  const reveal = async (endpoint: Endpoint) => {
    try {
      const { secret } = await webhooks.revealSecret(endpoint.id);
      setModal({ kind: 'reveal', secret, title: 'Signing secret' });
    } catch (caught) {
      toast(errorText(caught), 'error');
    }
  };

  return (
    <>
      <PageHead title="Webhooks">
        {canWrite && (
          <button type="button" class="primary" onClick={() => setModal({ kind: 'form' })}>
            New endpoint
          </button>
        )}
      </PageHead>
      {list.error ? (
        <LoadError message={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading endpoints…" />
      ) : endpoints.length === 0 ? (
        <Empty title="No webhook endpoints yet.">
          <p>An endpoint receives signed POST requests when links are created, changed or clicked.</p>
        </Empty>
      ) : (
        <ul class="cards">
          {endpoints.map((endpoint) => (
            <li class="card" key={endpoint.id}>
              <div class="section-head">
                <h2 class="mono truncate">{endpoint.url}</h2>
                <span class={`badge ${endpoint.enabled ? 'badge-active' : 'badge-expired'}`}>{endpoint.enabled ? 'Enabled' : 'Disabled'}</span>
              </div>
              {endpoint.description && <p>{endpoint.description}</p>}
              <p class="muted">Events: {endpoint.events.join(', ')}</p>
              {!endpoint.enabled && (
                <div class="notice" role="note">
                  <p>
                    Disabled {formatDateTime(endpoint.disabled_at)} because {REASONS[endpoint.disabled_reason ?? 'manual']}. No deliveries are sent
                    while it is disabled. Fix the receiver, then enable it again{canWrite ? ' with the button below' : ' (an admin can)'}.
                  </p>
                </div>
              )}
              {endpoint.enabled && endpoint.failing_since && <p class="field-error">Failing since {formatDateTime(endpoint.failing_since)}.</p>}
              <div class="actions">
                <button type="button" aria-expanded={selected === endpoint.id} onClick={() => setSelected(selected === endpoint.id ? null : endpoint.id)}>
                  {selected === endpoint.id ? 'Hide deliveries' : 'Deliveries'}
                  <span class="visually-hidden"> of {endpoint.url}</span>
                </button>
                {canWrite && (
                  <>
                    {!endpoint.enabled && (
                      <button type="button" class="primary" onClick={() => void enable(endpoint)}>
                        Enable
                      </button>
                    )}
                    <button type="button" onClick={() => setModal({ kind: 'form', endpoint })}>
                      Edit<span class="visually-hidden"> {endpoint.url}</span>
                    </button>
                    <button type="button" onClick={() => void reveal(endpoint)}>
                      Reveal secret<span class="visually-hidden"> of {endpoint.url}</span>
                    </button>
                    <button type="button" onClick={() => setModal({ kind: 'rotate', endpoint })}>
                      Rotate secret<span class="visually-hidden"> of {endpoint.url}</span>
                    </button>
                    <button type="button" class="danger" onClick={() => setModal({ kind: 'delete', endpoint })}>
                      Delete<span class="visually-hidden"> {endpoint.url}</span>
                    </button>
                  </>
                )}
              </div>
              {current?.id === endpoint.id && <DeliveryLog endpoint={endpoint} canWrite={canWrite} />}
            </li>
          ))}
        </ul>
      )}
      {modal?.kind === 'form' && (
        <EndpointForm
          endpoint={modal.endpoint}
          onClose={() => setModal(null)}
          onSaved={(secret) => {
            list.reload();
            if (secret) setModal({ kind: 'secret', secret, title: 'Signing secret of the new endpoint' });
            else {
              setModal(null);
              toast('Endpoint saved');
            }
          }}
        />
      )}
      {modal?.kind === 'reveal' && (
        <Dialog title={modal.title} onClose={() => setModal(null)}>
          <div class="secret-row">
            <code class="mono secret-value" tabIndex={0} aria-label="signing secret">
              {modal.secret}
            </code>
            <CopyButton text={modal.secret} what="signing secret" />
          </div>
          <p class="muted">Keep it on your receiver only. This reveal is recorded in the audit log.</p>
          <div class="dialog-actions">
            <button type="button" class="primary" onClick={() => setModal(null)}>
              Done
            </button>
          </div>
        </Dialog>
      )}
      {modal?.kind === 'secret' && (
        <SecretDialog title={modal.title} value={modal.secret} what="signing secret" onClose={() => setModal(null)}>
          <p class="muted">Verify each delivery's webhook-signature header with it (Standard Webhooks).</p>
        </SecretDialog>
      )}
      {modal?.kind === 'rotate' && (
        <Confirm
          title="Rotate the signing secret?"
          action="Rotate secret"
          danger={false}
          onClose={() => setModal(null)}
          onConfirm={async () => {
            const rotated = await webhooks.rotateSecret(modal.endpoint.id, 86400);
            list.reload();
            setTimeout(() => setModal({ kind: 'secret', secret: rotated.secret, title: 'New signing secret' }));
          }}
        >
          <p>
            A new secret is made now and shown once. For 24 hours deliveries carry signatures with both, so your receiver can switch
            without losing any.
          </p>
        </Confirm>
      )}
      {modal?.kind === 'delete' && (
        <Confirm
          title="Delete this endpoint?"
          action="Delete endpoint"
          onClose={() => setModal(null)}
          onConfirm={async () => {
            await webhooks.remove(modal.endpoint.id);
            toast('Endpoint deleted');
            list.reload();
          }}
        >
          <p class="mono">{modal.endpoint.url}</p>
          <p>It receives nothing more, and its delivery log is deleted.</p>
        </Confirm>
      )}
    </>
  );
}

function EndpointForm({ endpoint, onClose, onSaved }: { endpoint?: Endpoint; onClose: () => void; onSaved: (secret?: string) => void }) {
  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [all, setAll] = useState(endpoint ? endpoint.events.includes('*') : false);
  const [events, setEvents] = useState<string[]>(endpoint?.events.filter((e) => e !== '*') ?? ['link.created']);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    const body = { url: url.trim(), description: description.trim() || null, events: all ? ['*'] : events };
    try {
      if (endpoint) {
        await webhooks.update(endpoint.id, body);
        onSaved();
      } else onSaved((await webhooks.create(body)).secret);
    } catch (caught) {
      setErrors(caught instanceof ApiError && caught.details.length ? caught.fieldErrors(['url', 'description', 'events']) : { '': errorText(caught) });
      setBusy(false);
    }
  };
  return (
    <Dialog title={endpoint ? 'Edit endpoint' : 'New endpoint'} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <FormError message={errors['']} />
        <Field id="webhook-url" label="Endpoint URL" error={errors.url}>
          <input {...describe('webhook-url', errors.url)} type="url" inputMode="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
        </Field>
        <Field id="webhook-description" label="Description" error={errors.description}>
          <input {...describe('webhook-description', errors.description)} value={description} maxLength={500} onInput={(e) => setDescription(e.currentTarget.value)} />
        </Field>
        <fieldset aria-describedby={errors.events ? 'webhook-events-error' : undefined}>
          <legend>Events</legend>
          <label class="check">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
            All events, including ones added later
          </label>
          <CheckboxGroup
            id="webhook-events"
            options={EVENT_TYPES}
            disabled={all}
            chosen={(type) => all || events.includes(type)}
            onToggle={(type, on) => setEvents((current) => (on ? [...current, type] : current.filter((t) => t !== type)))}
            error={errors.events}
          />
        </fieldset>
        <FormActions onCancel={onClose} busy={busy} label={endpoint ? 'Save endpoint' : 'Create endpoint'} busyLabel="Saving…" />
      </form>
    </Dialog>
  );
}

function DeliveryLog({ endpoint, canWrite }: { endpoint: Endpoint; canWrite: boolean }) {
  const [status, setStatus] = useState('');
  const [eventType, setEventType] = useState('');
  const [since, setSince] = useState<keyof typeof SINCE>('all');
  const [testType, setTestType] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  // Status, event and time are filtered by the API, so the newest 100 shown are the newest 100 that match.
  const log = useResource(
    () =>
      webhooks.deliveries(endpoint.id, {
        status: status || undefined,
        event_type: eventType || undefined,
        created_after: since === 'all' ? undefined : new Date(Date.now() - SINCE_MS[since]).toISOString(),
      }),
    [endpoint.id, status, eventType, since],
  );

  // Pending attempts finish within seconds: refresh while any is shown.
  useEffect(() => {
    if (!log.data?.data.some((d) => d.status === 'pending')) return;
    const timer = setTimeout(log.reload, 1500);
    return () => clearTimeout(timer);
  }, [log.data]);

  const sendTest = async () => {
    try {
      await webhooks.test(endpoint.id, testType || undefined);
      toast('Test event queued');
      log.reload();
    } catch (caught) {
      toast(errorText(caught), 'error');
    }
  };

  const shown = log.data?.data ?? [];
  const prefix = `dl-${endpoint.id}`;
  return (
    <section class="deliveries" aria-label={`Deliveries of ${endpoint.url}`}>
      <div class="filters">
        <Field id={`${prefix}-status`} label="Status">
          <select id={`${prefix}-status`} value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">Any</option>
            <option value="pending">Pending</option>
            <option value="succeeded">Succeeded</option>
            <option value="failed">Failed</option>
          </select>
        </Field>
        <Field id={`${prefix}-event`} label="Event">
          <select id={`${prefix}-event`} value={eventType} onChange={(e) => setEventType(e.currentTarget.value)}>
            <option value="">Any</option>
            {EVENT_TYPES.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
        </Field>
        <Field id={`${prefix}-since`} label="Time">
          <select id={`${prefix}-since`} value={since} onChange={(e) => setSince(e.currentTarget.value as keyof typeof SINCE)}>
            {Object.entries(SINCE).map(([value, label]) => (
              <option value={value} key={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        {canWrite && (
          <div class="inline-form">
            <Field id={`${prefix}-test`} label="Test event type">
              <select id={`${prefix}-test`} value={testType} onChange={(e) => setTestType(e.currentTarget.value)}>
                <option value="">Endpoint's first event</option>
                {EVENT_TYPES.map((type) => (
                  <option key={type}>{type}</option>
                ))}
              </select>
            </Field>
            <button type="button" onClick={() => void sendTest()}>
              Send test event
            </button>
          </div>
        )}
        <button type="button" class="small" onClick={log.reload}>
          Refresh
        </button>
      </div>
      {log.error ? (
        <LoadError message={log.error} retry={log.reload} />
      ) : !log.data ? (
        <Loading label="Loading deliveries…" />
      ) : shown.length === 0 ? (
        <Empty title="No deliveries match." />
      ) : (
        <ul class="plain delivery-list">
          {shown.map((delivery) => (
            <li key={delivery.id}>
              <button type="button" class="delivery-row" aria-expanded={open === delivery.id} onClick={() => setOpen(open === delivery.id ? null : delivery.id)}>
                <span class={`badge ${delivery.status === 'succeeded' ? 'badge-active' : delivery.status === 'failed' ? 'badge-expired' : 'badge-scheduled'}`}>{delivery.status}</span>
                <span class="mono">{delivery.event_type}</span>
                <span>
                  {delivery.trigger} · attempt {delivery.attempt}
                </span>
                <span>{delivery.status_code ?? '—'}</span>
                <span class="muted">{formatDateTime(delivery.attempted_at ?? delivery.scheduled_at)}</span>
              </button>
              {open === delivery.id && <Attempt endpointId={endpoint.id} delivery={delivery} canWrite={canWrite} onReplayed={log.reload} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Attempt({ endpointId, delivery, canWrite, onReplayed }: { endpointId: string; delivery: Delivery; canWrite: boolean; onReplayed: () => void }) {
  const detail = useResource(() => webhooks.delivery(endpointId, delivery.id), [delivery.id]);
  const replay = async () => {
    try {
      await webhooks.replay(endpointId, delivery.id);
      toast('Replay queued');
      onReplayed();
    } catch (caught) {
      toast(errorText(caught), 'error');
    }
  };
  if (detail.error) return <LoadError message={detail.error} retry={detail.reload} />;
  if (!detail.data) return <Loading label="Loading the attempt…" rows={2} />;
  const d = detail.data;
  return (
    <div class="attempt">
      <div class="grid-2">
        <div>
          <h3>Request</h3>
          <dl class="facts">
            <dt>webhook-id</dt>
            <dd class="mono">{d.message_id}</dd>
            <dt>Scheduled</dt>
            <dd>{formatDateTime(d.scheduled_at)}</dd>
          </dl>
          <pre class="code" tabIndex={0} aria-label="Request body">
            {JSON.stringify(d.payload, null, 2)}
          </pre>
        </div>
        <div>
          <h3>Response</h3>
          <dl class="facts">
            <dt>Status</dt>
            <dd>{d.status_code ?? '—'}</dd>
            <dt>Time</dt>
            <dd>{d.duration_ms === null ? '—' : `${d.duration_ms} ms`}</dd>
            {d.error && (
              <>
                <dt>Error</dt>
                <dd>{d.error}</dd>
              </>
            )}
            {d.next_attempt_at && (
              <>
                <dt>Next attempt</dt>
                <dd>{formatDateTime(d.next_attempt_at)}</dd>
              </>
            )}
          </dl>
          <pre class="code" tabIndex={0} aria-label="Response body">
            {d.response_body || '(empty)'}
          </pre>
        </div>
      </div>
      {canWrite && (
        <button type="button" onClick={() => void replay()}>
          Replay
        </button>
      )}
    </div>
  );
}
