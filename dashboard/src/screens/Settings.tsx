import { useEffect, useState } from 'preact/hooks';
import { ApiError, domains as domainApi } from '../api';
import { workspace as workspaceApi, type Workspace } from '../api-admin';
import { LoadError, PageHead } from '../components/common';
import { describe, Field, FormError } from '../components/Field';
import { Loading } from '../components/Loading';
import { toast } from '../components/Toasts';
import { formatDate, formatNumber } from '../format';
import { href } from '../router';
import { useApp } from '../session';
import { PasswordForm } from './PasswordForm';
import { errorText } from './SignIn';
import '../admin.css';

/** "12 of 1,000", or "12 (no limit)". */
const use = (used: number, max: number | null) => (max === null ? `${formatNumber(used)} (no limit)` : `${formatNumber(used)} of ${formatNumber(max)}`);

export default function Settings() {
  const app = useApp();
  return (
    <>
      <PageHead title="Settings" />
      {app.isAdmin ? (
        <WorkspaceSettings />
      ) : (
        <section class="card">
          <h2>Workspace</h2>
          <p>Only owners and admins change workspace settings.</p>
        </section>
      )}
      <section class="card" aria-labelledby="account-settings-title">
        <h2 id="account-settings-title">Your account</h2>
        <PasswordForm />
        <p>
          Sessions on your other devices, and signing out everywhere: <a href={href('account')}>Account</a>.
        </p>
      </section>
    </>
  );
}

function WorkspaceSettings() {
  const [ws, setWs] = useState<Workspace | null>(null);
  const [hosts, setHosts] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [defaultDomain, setDefaultDomain] = useState('');
  const [loadError, setLoadError] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const load = () => {
    setLoadError('');
    workspaceApi.get().then(
      (loaded) => {
        setWs(loaded);
        setName(loaded.name);
        setDefaultDomain(loaded.default_domain);
      },
      (caught) => setLoadError(errorText(caught)),
    );
    domainApi.list().then((page) => setHosts(page.data.map((d) => d.hostname)), () => undefined);
  };
  useEffect(load, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const saved = await workspaceApi.update({ name: name.trim(), default_domain: defaultDomain });
      setWs(saved);
      toast('Workspace saved');
    } catch (caught) {
      setErrors(caught instanceof ApiError && caught.details.length ? caught.fieldErrors(['name', 'default_domain']) : { '': errorText(caught) });
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <LoadError message={loadError} retry={load} />;
  if (!ws) return <Loading label="Loading the workspace…" />;
  const choices = [...new Set([ws.default_domain, ...hosts])];
  return (
    <>
      <form class="card" onSubmit={submit} noValidate aria-labelledby="workspace-title">
        <h2 id="workspace-title">Workspace</h2>
        <FormError message={errors['']} />
        <div class="grid-2">
          <Field id="ws-name" label="Name" error={errors.name}>
            <input {...describe('ws-name', errors.name)} value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <Field id="ws-domain" label="Default domain for new links" error={errors.default_domain}>
            <select {...describe('ws-domain', errors.default_domain)} value={defaultDomain} onChange={(e) => setDefaultDomain(e.currentTarget.value)}>
              {choices.map((host) => (
                <option key={host}>{host}</option>
              ))}
              <option value="">The instance domain</option>
            </select>
          </Field>
        </div>
        <div class="dialog-actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save workspace'}
          </button>
        </div>
      </form>
      <section class="card" aria-labelledby="plan-title">
        <h2 id="plan-title">Plan: {ws.plan.name}</h2>
        <p class="muted">The operator sets the plan; it is shown here read-only. Use of the {ws.usage.mode} mode this month:</p>
        <dl class="facts">
          <dt>Links</dt>
          <dd>
            {use(ws.usage.links, ws.plan.max_links)}
            {ws.plan.max_links !== null && <Meter value={ws.usage.links} max={ws.plan.max_links} label="Links used" />}
          </dd>
          <dt>Clicks this month</dt>
          <dd>
            {use(ws.usage.clicks_this_month, ws.plan.max_clicks_per_month)}, counted until {formatDate(ws.usage.period_end)}
            {ws.plan.max_clicks_per_month !== null && <Meter value={ws.usage.clicks_this_month} max={ws.plan.max_clicks_per_month} label="Clicks used" />}
          </dd>
          <dt>API requests per minute per key</dt>
          <dd>{ws.plan.rate_limit_per_key === null ? 'The instance default' : formatNumber(ws.plan.rate_limit_per_key)}</dd>
        </dl>
      </section>
    </>
  );
}

function Meter({ value, max, label }: { value: number; max: number; label: string }) {
  return <progress class="meter" value={Math.min(value, max)} max={max} aria-label={label} />;
}
