import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { keys, SCOPES, type ApiKey, type CreatedKey, type Scope } from '../api-admin';
import { CheckboxGroup, Confirm, FormActions, LinesField, lineErrors, linesOf, LoadError, PageHead, TableRegion, useResource } from '../components/common';
import { Dialog } from '../components/Dialog';
import { describe, Field, FormError } from '../components/Field';
import { Empty, Loading } from '../components/Loading';
import { SecretDialog } from '../components/Secret';
import { toast } from '../components/Toasts';
import { formatDateTime } from '../format';
import { useApp } from '../session';
import { errorText } from './SignIn';
import '../admin.css';

type Mode = 'live' | 'test';

export const PRESETS: { name: string; scopes: Scope[] }[] = [
  { name: 'Read-only analytics', scopes: ['links:read', 'analytics:read'] },
  { name: 'Links automation', scopes: ['links:read', 'links:write', 'analytics:read', 'webhooks:read', 'webhooks:write'] },
  { name: 'Full admin', scopes: ['admin'] },
];

const GRACE = [
  { seconds: 0, label: 'None: the old key stops now' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86400, label: '24 hours' },
  { seconds: 7 * 86400, label: '7 days' },
];

function keyState(key: ApiKey): { label: string; badge: string } {
  if (key.revoked_at) return { label: 'Revoked', badge: 'badge-expired' };
  if (key.expires_at && Date.parse(key.expires_at) <= Date.now()) return { label: 'Expired', badge: 'badge-expired' };
  if (key.expires_at) return { label: 'Rotated, in grace period', badge: 'badge-scheduled' };
  return { label: 'Active', badge: 'badge-active' };
}

export default function Keys() {
  const app = useApp();
  const [mode, setMode] = useState<Mode>('live');
  const [showRevoked, setShowRevoked] = useState(false);
  const list = useResource(() => keys.list(mode, showRevoked), [mode, showRevoked]);
  const [modal, setModal] = useState<{ kind: 'create' } | { kind: 'secret'; key: CreatedKey; title: string } | { kind: 'rotate' | 'revoke' | 'ips'; key: ApiKey } | null>(null);

  return (
    <>
      <PageHead title="API keys">
        {app.isAdmin && (
          <button type="button" class="primary" onClick={() => setModal({ kind: 'create' })}>
            New {mode} key
          </button>
        )}
      </PageHead>
      <div class="filters">
        <fieldset class="presets">
          <legend>Mode</legend>
          {(['live', 'test'] as const).map((value) => (
            <label class={`chip ${mode === value ? 'chip-on' : ''}`} key={value}>
              <input type="radio" name="key-mode" value={value} checked={mode === value} onChange={() => setMode(value)} />
              {value === 'live' ? 'Live keys' : 'Test keys'}
            </label>
          ))}
        </fieldset>
        <label class="check">
          <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.currentTarget.checked)} />
          Show revoked keys
        </label>
      </div>
      {list.error ? (
        <LoadError message={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading keys…" />
      ) : list.data.data.length === 0 ? (
        <Empty title={`No ${mode} keys.`} />
      ) : (
        <TableRegion label="API keys" columns={['Name', 'Key', 'Scopes', 'Allowed IPs', 'State', 'Last used', 'Expires', '']}>
              {list.data.data.map((key) => {
                const state = keyState(key);
                const usable = !key.revoked_at && !key.expires_at;
                return (
                  <tr key={key.id}>
                    <th scope="row">{key.name}</th>
                    <td class="mono">
                      {key.prefix}…{key.last4}
                    </td>
                    <td>{key.scopes.join(', ')}</td>
                    <td class="mono">{key.allowed_ips?.join(', ') ?? 'Any'}</td>
                    <td>
                      <span class={`badge ${state.badge}`}>{state.label}</span>
                    </td>
                    <td>{key.last_used_at ? formatDateTime(key.last_used_at) : 'Never'}</td>
                    <td>{key.expires_at ? formatDateTime(key.expires_at) : 'Never'}</td>
                    <td class="actions">
                      {usable && app.isAdmin && (
                        <>
                          <button type="button" class="small" onClick={() => setModal({ kind: 'ips', key })}>
                            IPs<span class="visually-hidden"> allowed for {key.name}</span>
                          </button>
                          <button type="button" class="small" onClick={() => setModal({ kind: 'rotate', key })}>
                            Rotate<span class="visually-hidden"> {key.name}</span>
                          </button>
                          <button type="button" class="small danger" onClick={() => setModal({ kind: 'revoke', key })}>
                            Revoke<span class="visually-hidden"> {key.name}</span>
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
        </TableRegion>
      )}
      {modal?.kind === 'create' && (
        <CreateKey
          mode={mode}
          onClose={() => setModal(null)}
          onCreated={(key) => {
            list.reload();
            setModal({ kind: 'secret', key, title: 'Your new API key' });
          }}
        />
      )}
      {modal?.kind === 'secret' && (
        <SecretDialog title={modal.title} value={modal.key.key} what="API key" onClose={() => setModal(null)} />
      )}
      {modal?.kind === 'rotate' && (
        <RotateKey
          apiKey={modal.key}
          mode={mode}
          onClose={() => setModal(null)}
          onRotated={(key) => {
            list.reload();
            setModal({ kind: 'secret', key, title: 'The replacement key' });
          }}
        />
      )}
      {modal?.kind === 'ips' && (
        <AllowedIps
          apiKey={modal.key}
          mode={mode}
          onClose={() => setModal(null)}
          onSaved={() => {
            toast(`Allowed IPs of ${modal.key.name} saved`);
            list.reload();
            setModal(null);
          }}
        />
      )}
      {modal?.kind === 'revoke' && (
        <Confirm
          title={`Revoke ${modal.key.name}?`}
          action="Revoke key"
          onClose={() => setModal(null)}
          onConfirm={async () => {
            await keys.revoke(mode, modal.key.id);
            toast(`Revoked ${modal.key.name}`);
            list.reload();
          }}
        >
          <p>
            Requests with <span class="mono">{modal.key.prefix}…{modal.key.last4}</span> are refused from the next one on. This cannot be undone.
          </p>
        </Confirm>
      )}
    </>
  );
}

function CreateKey({ mode, onClose, onCreated }: { mode: Mode; onClose: () => void; onCreated: (key: CreatedKey) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(PRESETS[0].scopes);
  const [ips, setIps] = useState('');
  const [ipErrors, setIpErrors] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const toggle = (scope: Scope, on: boolean) => setScopes((current) => (on ? [...current, scope] : current.filter((s) => s !== scope)));
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setIpErrors([]);
    try {
      const allowed = linesOf(ips);
      onCreated(await keys.create(mode, { name: name.trim(), scopes, ...(allowed.length ? { allowed_ips: allowed } : {}) }));
    } catch (caught) {
      setErrors(caught instanceof ApiError && caught.details.length ? caught.fieldErrors(['name', 'scopes', 'allowed_ips']) : { '': errorText(caught) });
      if (caught instanceof ApiError) setIpErrors(lineErrors(caught.details, 'allowed_ips'));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`New ${mode} API key`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <FormError message={errors['']} />
        <Field id="key-name" label="Name" error={errors.name} hint="Who or what uses it, e.g. Zapier">
          <input {...describe('key-name', errors.name, 'hint')} value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <fieldset class="presets">
          <legend>Presets</legend>
          {PRESETS.map((preset) => (
            <button type="button" class="small" key={preset.name} aria-pressed={preset.scopes.join() === scopes.join()} onClick={() => setScopes(preset.scopes)}>
              {preset.name}
            </button>
          ))}
        </fieldset>
        <fieldset aria-describedby={errors.scopes ? 'key-scopes-error' : undefined}>
          <legend>Scopes</legend>
          <CheckboxGroup id="key-scopes" options={SCOPES} chosen={(scope) => scopes.includes(scope as Scope)} onToggle={(scope, on) => toggle(scope as Scope, on)} error={errors.scopes} />
        </fieldset>
        <LinesField id="key-ips" label="Allowed IPs" hint={IPS_HINT} value={ips} onInput={setIps} errors={ipErrors} />
        <FormActions onCancel={onClose} busy={busy} label="Create key" busyLabel="Creating…" />
      </form>
    </Dialog>
  );
}

const IPS_HINT = 'One IPv4 or IPv6 address or CIDR range per line (203.0.113.7, 10.0.0.0/8). Empty: any address.';

/** The key's IP allow-list, one entry per line; the API's message for each bad entry is shown with its line. */
function AllowedIps({ apiKey, mode, onClose, onSaved }: { apiKey: ApiKey; mode: Mode; onClose: () => void; onSaved: () => void }) {
  const [ips, setIps] = useState((apiKey.allowed_ips ?? []).join('\n'));
  const [ipErrors, setIpErrors] = useState<string[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setIpErrors([]);
    setError('');
    try {
      const allowed = linesOf(ips);
      await keys.update(mode, apiKey.id, { allowed_ips: allowed.length ? allowed : null });
      onSaved();
    } catch (caught) {
      const lines = caught instanceof ApiError ? lineErrors(caught.details, 'allowed_ips') : [];
      if (lines.length) setIpErrors(lines);
      else setError(errorText(caught));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Allowed IPs of ${apiKey.name}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <FormError message={error} />
        <LinesField id="edit-key-ips" label="Allowed IPs" hint={IPS_HINT} value={ips} onInput={setIps} errors={ipErrors} />
        <FormActions onCancel={onClose} busy={busy} label="Save allowed IPs" busyLabel="Saving…" />
      </form>
    </Dialog>
  );
}

function RotateKey({ apiKey, mode, onClose, onRotated }: { apiKey: ApiKey; mode: Mode; onClose: () => void; onRotated: (key: CreatedKey) => void }) {
  const [grace, setGrace] = useState(3600);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      onRotated(await keys.rotate(mode, apiKey.id, grace));
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Rotate ${apiKey.name}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <FormError message={error} />
        <p>A replacement key with the same name and scopes is created. The old key keeps working during the grace period.</p>
        <Field id="rotate-grace" label="Grace period">
          <select id="rotate-grace" value={grace} onChange={(e) => setGrace(Number(e.currentTarget.value))}>
            {GRACE.map((option) => (
              <option value={option.seconds} key={option.seconds}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
        <FormActions onCancel={onClose} busy={busy} label="Rotate key" busyLabel="Rotating…" />
      </form>
    </Dialog>
  );
}
