import { useEffect, useState } from 'preact/hooks';
import { ApiError, auth, type Session } from '../api';
import { describe, Field, FormError } from '../components/Field';
import { Loading } from '../components/Loading';
import { navigate } from '../router';
import { errorText } from './SignIn';

const FIELDS = ['name', 'email', 'password'];

/**
 * First start: the one-time setup link creates the owner account and signs it in. The same page takes the password
 * reset links (`mask users reset-password`, `mask users create` without a password), which set the password of the
 * account with that email.
 */
export function Setup({ token, onSignedIn }: { token: string; onSignedIn: (session: Session) => void }) {
  const [valid, setValid] = useState<boolean | undefined>(token ? undefined : false);
  const [checkError, setCheckError] = useState('');
  const [reset, setReset] = useState(false);
  const [form, setForm] = useState({ name: '', email: '', password: '', confirm: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = 'Set up MASK';
    if (!token) return;
    auth.checkSetup(token).then(
      (answer) => {
        setReset(answer.kind === 'password_reset');
        if (answer.kind === 'password_reset') document.title = 'Set a new password · MASK';
        setValid(answer.valid);
      },
      (error) => {
        if (error instanceof ApiError && error.status === 404) setValid(false);
        else setCheckError(errorText(error));
      },
    );
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
      onSignedIn(await auth.setup({ token, email: form.email.trim(), name: form.name.trim(), password: form.password }));
      navigate('links', { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.details.length) setErrors(error.fieldErrors(FIELDS));
      else if (error instanceof ApiError && error.status === 404) setValid(false);
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
        <h1>{reset ? 'Set a new password' : 'Create the owner account'}</h1>
        {checkError ? (
          <p role="alert" class="form-error">
            {checkError}
          </p>
        ) : valid === undefined ? (
          <Loading label="Checking the setup link…" rows={2} />
        ) : !valid ? (
          <div role="alert">
            <p>This setup link is invalid or has already been used.</p>
            <p class="muted">Start the server again to print a new one, or sign in if the owner account exists.</p>
            <a class="button" href="login">
              Go to sign-in
            </a>
          </div>
        ) : (
          <form onSubmit={submit} noValidate>
            {reset && <p class="muted">Enter the email of your account and choose a new password; your other sessions end.</p>}
            <FormError message={errors['']} />
            <Field id="setup-name" label="Your name" error={errors.name}>
              <input {...describe('setup-name', errors.name)} autocomplete="name" required value={form.name} onInput={set('name')} />
            </Field>
            <Field id="setup-email" label="Email" error={errors.email}>
              <input {...describe('setup-email', errors.email)} type="email" autocomplete="email" required value={form.email} onInput={set('email')} />
            </Field>
            <Field id="setup-password" label="Password" error={errors.password}>
              <input
                {...describe('setup-password', errors.password)}
                type="password"
                autocomplete="new-password"
                required
                value={form.password}
                onInput={set('password')}
              />
            </Field>
            <Field id="setup-confirm" label="Repeat the password" error={errors.confirm}>
              <input
                {...describe('setup-confirm', errors.confirm)}
                type="password"
                autocomplete="new-password"
                required
                value={form.confirm}
                onInput={set('confirm')}
              />
            </Field>
            <button type="submit" class="primary wide" disabled={busy}>
              {busy ? 'Saving…' : reset ? 'Set password and sign in' : 'Create account and sign in'}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
