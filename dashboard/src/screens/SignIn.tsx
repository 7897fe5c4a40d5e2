import { useEffect, useState } from 'preact/hooks';
import { ApiError, auth, type Session } from '../api';
import { describe, Field, FormError } from '../components/Field';

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429 && error.retryAfter) return `${error.message} (try again in ${error.retryAfter} s)`;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [sso, setSso] = useState<{ enabled: boolean; label: string } | null>(null);

  useEffect(() => {
    document.title = 'Sign in · MASK';
    auth.oidc().then(setSso, () => setSso(null));
    // The single sign-on callback comes back here with ?sso_error= when it could not sign in.
    const ssoError = new URLSearchParams(window.location.search).get('sso_error');
    if (ssoError === 'no_account') setError('No account here uses the email address your identity provider gave: ask an admin for an invitation.');
    else if (ssoError) setError('Single sign-on did not go through. Try again, or sign in with your password.');
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    setFields({});
    try {
      onSignedIn(await auth.login(email.trim(), password));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 401) setError('Email or password is incorrect.');
      else if (caught instanceof ApiError && caught.details.length) {
        const byField = caught.fieldErrors(['email', 'password']);
        setFields(byField);
        setError(byField[''] ?? '');
      } else setError(errorText(caught));
      setPassword('');
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
        <h1>Sign in</h1>
        <form onSubmit={submit} noValidate>
          <FormError message={error} />
          <Field id="signin-email" label="Email" error={fields.email}>
            <input
              {...describe('signin-email', fields.email)}
              type="email"
              autocomplete="username"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </Field>
          <Field id="signin-password" label="Password" error={fields.password}>
            <input
              {...describe('signin-password', fields.password)}
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </Field>
          <button type="submit" class="primary wide" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <div class="sso-slot">
          {sso?.enabled && (
            <a class="button wide" href={auth.oidcStartUrl()} data-external>
              {sso.label || 'Single sign-on'}
            </a>
          )}
        </div>
      </div>
    </main>
  );
}
