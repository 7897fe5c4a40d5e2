import { useEffect, useState } from 'preact/hooks';
import { ApiError, auth, type Role, type Session } from '../api';
import { describe, Field, FormError } from '../components/Field';
import { Loading } from '../components/Loading';
import { navigate } from '../router';
import { errorText } from './SignIn';

type Invitation = { email: string; workspace_name: string; role: Role };

export function Invite({ token, onSignedIn }: { token: string; onSignedIn: (session: Session) => void }) {
  const [invitation, setInvitation] = useState<Invitation | null | undefined>(token ? undefined : null);
  const [checkError, setCheckError] = useState('');
  const [form, setForm] = useState({ name: '', password: '', confirm: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = 'Accept invitation · MASK';
    if (!token) return;
    auth.invitation(token).then(setInvitation, (error) => {
      if (error instanceof ApiError && error.status === 404) setInvitation(null);
      else setCheckError(errorText(error));
    });
  }, [token]);

  const set = (key: keyof typeof form) => (event: Event) => setForm({ ...form, [key]: (event.currentTarget as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    if (form.password !== form.confirm) {
      setErrors({ confirm: 'The two passwords differ.' });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      onSignedIn(await auth.acceptInvitation(token, { name: form.name.trim(), password: form.password }));
      navigate('links', { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.details.length) setErrors(error.fieldErrors(['name', 'password']));
      else if (error instanceof ApiError && error.status === 404) setInvitation(null);
      else setErrors({ '': errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="center-page" id="main">
      <div class="card narrow">
        <p class="brand" aria-hidden="true">
          MASK
        </p>
        <h1>Accept invitation</h1>
        {checkError ? (
          <p role="alert" class="form-error">
            {checkError}
          </p>
        ) : invitation === undefined ? (
          <Loading label="Checking the invitation…" rows={2} />
        ) : invitation === null ? (
          <div role="alert">
            <p>This invitation is invalid, has expired or has already been accepted.</p>
            <p class="muted">Ask the person who invited you for a new one.</p>
            <a class="button" href="login">
              Go to sign-in
            </a>
          </div>
        ) : (
          <form onSubmit={submit} noValidate>
            <p>
              Join <strong>{invitation.workspace_name}</strong> as <strong>{invitation.role}</strong>.
            </p>
            <FormError message={errors['']} />
            <Field id="invite-email" label="Email">
              <input id="invite-email" type="email" value={invitation.email} readOnly autocomplete="username" />
            </Field>
            <Field id="invite-name" label="Your name" error={errors.name}>
              <input {...describe('invite-name', errors.name)} autocomplete="name" required value={form.name} onInput={set('name')} />
            </Field>
            <Field id="invite-password" label="Choose a password" error={errors.password}>
              <input
                {...describe('invite-password', errors.password)}
                type="password"
                autocomplete="new-password"
                required
                value={form.password}
                onInput={set('password')}
              />
            </Field>
            <Field id="invite-confirm" label="Repeat the password" error={errors.confirm}>
              <input
                {...describe('invite-confirm', errors.confirm)}
                type="password"
                autocomplete="new-password"
                required
                value={form.confirm}
                onInput={set('confirm')}
              />
            </Field>
            <button type="submit" class="primary wide" disabled={busy}>
              {busy ? 'Joining…' : 'Join and sign in'}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
