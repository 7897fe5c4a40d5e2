import { useEffect, useState } from 'preact/hooks';
import { auth, type SessionInfo } from '../api';
import { Dialog } from '../components/Dialog';
import { Loading } from '../components/Loading';
import { toast } from '../components/Toasts';
import { formatDateTime } from '../format';
import { useApp } from '../session';
import { errorText } from './SignIn';

/** A short "Firefox on Linux"-style name of a user agent; the full string stays in the title. */
function deviceName(agent: string | null): string {
  if (!agent) return 'Unknown device';
  const browser = /Edg\//.test(agent)
    ? 'Edge'
    : /OPR\//.test(agent)
      ? 'Opera'
      : /Firefox\//.test(agent)
        ? 'Firefox'
        : /Chrom(e|ium)\//.test(agent)
          ? 'Chrome'
          : /Safari\//.test(agent)
            ? 'Safari'
            : 'Browser';
  const os = /iPhone|iPad|iPod/.test(agent)
    ? 'iOS'
    : /Android/.test(agent)
      ? 'Android'
      : /Windows/.test(agent)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(agent)
          ? 'macOS'
          : /CrOS/.test(agent)
            ? 'ChromeOS'
            : /Linux/.test(agent)
              ? 'Linux'
              : '';
  return os ? `${browser} on ${os}` : browser;
}

export function Account() {
  const app = useApp();
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');
  const [confirmAll, setConfirmAll] = useState(false);

  const load = () => {
    setError('');
    auth.sessions().then(
      (answer) => setSessions(answer.data),
      (caught) => setError(errorText(caught)),
    );
  };

  useEffect(() => {
    document.title = 'Account · MASK';
    load();
  }, []);

  const revoke = async (session: SessionInfo) => {
    setBusy(session.id);
    try {
      await auth.revokeSession(session.id);
      setSessions((current) => current?.filter((item) => item.id !== session.id) ?? null);
      toast(`Signed out ${deviceName(session.user_agent)}`);
    } catch (caught) {
      toast(errorText(caught), 'error');
    } finally {
      setBusy('');
    }
  };

  const revokeOthers = async () => {
    setBusy('others');
    try {
      await auth.revokeOthers();
      setSessions((current) => current?.filter((item) => item.current) ?? null);
      setConfirmAll(false);
      toast('Signed out everywhere else');
    } catch (caught) {
      toast(errorText(caught), 'error');
    } finally {
      setBusy('');
    }
  };

  const others = sessions?.filter((session) => !session.current).length ?? 0;

  return (
    <>
      <div class="page-head">
        <h1>Account</h1>
      </div>
      <section class="card" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <dl class="facts">
          <dt>Name</dt>
          <dd>{app.session.user.name || '—'}</dd>
          <dt>Email</dt>
          <dd>{app.session.user.email}</dd>
          <dt>Workspaces</dt>
          <dd>
            <ul class="plain">
              {app.session.workspaces.map((ws) => (
                <li key={ws.id}>
                  {ws.name} <span class="muted">({ws.role})</span>
                </li>
              ))}
            </ul>
          </dd>
        </dl>
      </section>

      <section class="card" aria-labelledby="sessions-title">
        <div class="section-head">
          <h2 id="sessions-title">Where you are signed in</h2>
          <button type="button" class="danger" disabled={others === 0 || busy !== ''} onClick={() => setConfirmAll(true)}>
            Sign out everywhere else
          </button>
        </div>
        {error ? (
          <div role="alert" class="form-error">
            <p>{error}</p>
            <button type="button" onClick={load}>
              Try again
            </button>
          </div>
        ) : !sessions ? (
          <Loading label="Loading sessions…" rows={3} />
        ) : (
          <div class="table-wrap" role="region" aria-label="Sessions" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">Address</th>
                  <th scope="col">Signed in</th>
                  <th scope="col">Last active</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((session) => (
                  <tr key={session.id}>
                    <th scope="row" title={session.user_agent ?? undefined}>
                      {deviceName(session.user_agent)}
                      {session.current && <span class="badge badge-active">this device</span>}
                    </th>
                    <td class="mono">{session.ip ?? '—'}</td>
                    <td>{formatDateTime(session.created_at)}</td>
                    <td>{formatDateTime(session.last_seen_at)}</td>
                    <td class="actions">
                      {session.current ? (
                        <button type="button" class="small" onClick={() => void app.signOut()}>
                          Sign out
                        </button>
                      ) : (
                        <button
                          type="button"
                          class="small danger"
                          disabled={busy !== ''}
                          onClick={() => void revoke(session)}
                        >
                          {busy === session.id ? 'Revoking…' : 'Revoke'}
                          <span class="visually-hidden">
                            {' '}
                            {deviceName(session.user_agent)}, signed in {formatDateTime(session.created_at)}
                          </span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {confirmAll && (
        <Dialog title="Sign out everywhere else?" onClose={() => setConfirmAll(false)}>
          <p>
            {others} other session{others === 1 ? '' : 's'} will be signed out at once. This device stays signed in.
          </p>
          <div class="dialog-actions">
            <button type="button" onClick={() => setConfirmAll(false)} autofocus>
              Cancel
            </button>
            <button type="button" class="danger" disabled={busy !== ''} onClick={() => void revokeOthers()}>
              Sign out {others} session{others === 1 ? '' : 's'}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
