import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Domain } from '../api';
import { customDomains } from '../api-admin';
import { Confirm, LoadError, PageHead, useResource } from '../components/common';
import { CopyButton } from '../components/CopyButton';
import { describe, Field, FormError } from '../components/Field';
import { Empty, Loading } from '../components/Loading';
import { toast } from '../components/Toasts';
import { formatDate, formatDateTime } from '../format';
import { useApp } from '../session';
import { errorText } from './SignIn';
import '../admin.css';

/** The host visitors reach this instance on: what a custom domain's CNAME must point at. */
const instanceHost = () => window.location.hostname;

type Check = { state: 'checking' } | { state: 'done'; verified: boolean; problem: string | null; at: string } | { state: 'failed'; message: string };

/** The verification badge and, when it failed, why. */
function Verification({ check, onCheck, hostname }: { check?: Check; onCheck: () => void; hostname: string }) {
  const label = !check || check.state === 'checking' ? 'Checking…' : check.state === 'failed' ? 'Check failed' : check.verified ? 'Verified' : 'Not verified';
  const badge = check?.state === 'done' && check.verified ? 'badge-active' : check?.state === 'done' || check?.state === 'failed' ? 'badge-expired' : 'badge-scheduled';
  return (
    <div class="verification" role="status">
      <span class={`badge ${badge}`}>{label}</span>
      {check?.state === 'done' && !check.verified && <span>{check.problem}</span>}
      {check?.state === 'failed' && <span>{check.message}</span>}
      {check?.state === 'done' && <span class="muted">Checked {formatDateTime(check.at)}</span>}
      <button type="button" class="small" disabled={check?.state === 'checking'} onClick={onCheck}>
        Check again<span class="visually-hidden"> {hostname}</span>
      </button>
    </div>
  );
}

export default function Domains() {
  const app = useApp();
  const list = useResource(() => customDomains.list());
  const [hostname, setHostname] = useState('');
  const [makeDefault, setMakeDefault] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState('');
  const [deleting, setDeleting] = useState<Domain | null>(null);
  const [checks, setChecks] = useState<Record<string, Check>>({});

  const check = (domain: Domain) => {
    setChecks((current) => ({ ...current, [domain.id]: { state: 'checking' } }));
    customDomains.check(domain.id).then(
      (answer) => setChecks((current) => ({ ...current, [domain.id]: { state: 'done', verified: answer.verified, problem: answer.problem, at: answer.checked_at } })),
      (caught) => setChecks((current) => ({ ...current, [domain.id]: { state: 'failed', message: errorText(caught) } })),
    );
  };

  // Each domain is asked once when the list arrives (the API stores no verification state).
  useEffect(() => {
    for (const domain of list.data?.data ?? []) if (!checks[domain.id]) check(domain);
  }, [list.data]);

  const add = async (event: Event) => {
    event.preventDefault();
    setBusy('add');
    setErrors({});
    try {
      const created = await customDomains.create({ hostname: hostname.trim(), is_default: makeDefault });
      toast(`Added ${created.hostname}`);
      setHostname('');
      setMakeDefault(false);
      list.reload();
    } catch (caught) {
      setErrors(caught instanceof ApiError && caught.details.length ? caught.fieldErrors(['hostname', 'is_default']) : { '': errorText(caught) });
    } finally {
      setBusy('');
    }
  };

  const setDefault = async (domain: Domain, on: boolean) => {
    setBusy(domain.id);
    try {
      await customDomains.update(domain.id, { is_default: on });
      toast(on ? `${domain.hostname} is now the default domain` : 'The instance domain is the default again');
      list.reload();
    } catch (caught) {
      toast(errorText(caught), 'error');
    } finally {
      setBusy('');
    }
  };

  return (
    <>
      <PageHead title="Domains" />
      {app.isAdmin && (
        <form class="card" onSubmit={add} noValidate aria-labelledby="add-domain-title">
          <h2 id="add-domain-title">Add a domain</h2>
          <FormError message={errors['']} />
          <div class="inline-form">
            <Field id="domain-hostname" label="Host name" error={errors.hostname} hint="e.g. go.example.com">
              <input {...describe('domain-hostname', errors.hostname, 'e.g. go.example.com')} value={hostname} autocomplete="off" spellcheck={false} onInput={(e) => setHostname(e.currentTarget.value)} />
            </Field>
            <label class="check">
              <input type="checkbox" checked={makeDefault} onChange={(e) => setMakeDefault(e.currentTarget.checked)} />
              Make it the default for new links
            </label>
            <button type="submit" class="primary" disabled={busy === 'add'}>
              {busy === 'add' ? 'Adding…' : 'Add domain'}
            </button>
          </div>
        </form>
      )}
      {list.error ? (
        <LoadError message={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading domains…" />
      ) : list.data.data.length === 0 ? (
        <Empty title="No custom domains yet.">
          <p>Links use the instance domain until you add one.</p>
        </Empty>
      ) : (
        <ul class="cards">
          {list.data.data.map((domain) => (
            <li class="card" key={domain.id}>
              <div class="section-head">
                <h2 class="mono">{domain.hostname}</h2>
                <div class="actions">
                  {domain.is_default && <span class="badge badge-active">default</span>}
                </div>
              </div>
              <Verification check={checks[domain.id]} onCheck={() => check(domain)} hostname={domain.hostname} />
              <p>Create this record at your DNS provider (and serve the domain through your proxy to this MASK):</p>
              <div class="table-wrap" role="region" aria-label={`DNS record for ${domain.hostname}`} tabIndex={0}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Type</th>
                      <th scope="col">Name</th>
                      <th scope="col">Value</th>
                      <th scope="col">
                        <span class="visually-hidden">Copy</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <td>CNAME</td>
                      <td class="mono">{domain.hostname}</td>
                      <td class="mono">{instanceHost()}</td>
                      <td>
                        <CopyButton text={instanceHost()} what={`CNAME value for ${domain.hostname}`} />
                      </td>
                    </tr>
                  </tbody>
                </table>
              </div>
              <p class="muted">
                Added {formatDate(domain.created_at)} · short URLs use {domain.secure ? 'https://' : 'http://'}
              </p>
              {app.isAdmin && (
                <div class="actions">
                  <button type="button" disabled={busy !== ''} onClick={() => void setDefault(domain, !domain.is_default)}>
                    {domain.is_default ? 'Stop being the default' : 'Set as default'}
                    <span class="visually-hidden"> {domain.hostname}</span>
                  </button>
                  <button type="button" class="danger" onClick={() => setDeleting(domain)}>
                    Delete<span class="visually-hidden"> {domain.hostname}</span>
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {deleting && (
        <Confirm
          title={`Delete ${deleting.hostname}?`}
          action="Delete domain"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await customDomains.remove(deleting.id);
            toast(`Deleted ${deleting.hostname}`);
            list.reload();
          }}
        >
          <p>A domain that links or pages still use cannot be deleted; the server says which.</p>
        </Confirm>
      )}
    </>
  );
}
