import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { changePassword } from '../api-admin';
import { describe, Field, FormError } from '../components/Field';
import { toast } from '../components/Toasts';
import { errorText } from './SignIn';

/** POST /auth/password: the current password and a new one (twice); other sessions end. */
export function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (next !== repeat) {
      setErrors({ repeat: 'The two new passwords differ.' });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await changePassword({ current_password: current, new_password: next });
      setCurrent('');
      setNext('');
      setRepeat('');
      toast('Password changed; your other sessions were signed out');
    } catch (caught) {
      setErrors(caught instanceof ApiError && caught.details.length ? caught.fieldErrors(['current_password', 'new_password']) : { '': errorText(caught) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="password-title">
      <h3 id="password-title">Change your password</h3>
      <FormError message={errors['']} />
      <div class="grid-3">
        <Field id="pw-current" label="Current password" error={errors.current_password}>
          <input {...describe('pw-current', errors.current_password)} type="password" autocomplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </Field>
        <Field id="pw-new" label="New password" error={errors.new_password} hint="10–200 characters">
          <input {...describe('pw-new', errors.new_password, 'hint')} type="password" autocomplete="new-password" value={next} onInput={(e) => setNext(e.currentTarget.value)} />
        </Field>
        <Field id="pw-repeat" label="Repeat the new password" error={errors.repeat}>
          <input {...describe('pw-repeat', errors.repeat)} type="password" autocomplete="new-password" value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} />
        </Field>
      </div>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
