import { CopyButton } from './CopyButton';

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
