import type { ComponentChildren } from 'preact';
import { CopyButton } from './CopyButton';
import { Dialog } from './Dialog';

/** A secret shown once: the value, a copy button and the warning that it will not be shown again. */
export function Secret({ value, what }: { value: string; what: string }) {
  return (
    <div class="secret">
      <p class="warning" role="note">
        Copy the {what} now: it is shown only once and cannot be shown again.
      </p>
      <div class="secret-row">
        <code class="mono secret-value" tabIndex={0} aria-label={what}>
          {value}
        </code>
        <CopyButton text={value} what={what} />
      </div>
    </div>
  );
}

/** A dialog showing a secret once, closed by acknowledging it was stored. */
export function SecretDialog({ title, value, what, onClose, children }: { title: string; value: string; what: string; onClose: () => void; children?: ComponentChildren }) {
  return (
    <Dialog title={title} onClose={onClose}>
      <Secret value={value} what={what} />
      {children}
      <div class="dialog-actions">
        <button type="button" class="primary" onClick={onClose}>
          I have stored it
        </button>
      </div>
    </Dialog>
  );
}
