import type { ComponentChildren } from 'preact';

interface Props {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: ComponentChildren;
  class?: string;
}

/** ARIA wiring for the control inside a Field: its error and hint describe it. */
export function describe(id: string, error?: string, hint?: string) {
  const ids = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return { id, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': ids || undefined };
}

/** A labelled form control with its hint and its error (the API's own message for that field). */
export function Field({ id, label, error, hint, children, class: className }: Props) {
  return (
    <div class={`field ${className ?? ''} ${error ? 'field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A form-level error (no matching field, or a refusal such as 403). */
export function FormError({ message }: { message?: string }) {
  return (
    <div role="alert" class="form-error-slot">
      {message && <p class="form-error">{message}</p>}
    </div>
  );
}
