import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorText } from '../screens/SignIn';
import { Dialog } from './Dialog';
import { describe, FormError } from './Field';

/** Loads once (and again on `reload`); `error` is the API's message. */
export function useResource<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState('');
  const reload = useCallback(() => {
    setError('');
    load().then(setData, (caught) => setError(errorText(caught)));
  }, deps);
  useEffect(reload, [reload]);
  return { data, setData, error, reload };
}

export function LoadError({ message, retry }: { message: string; retry: () => void }) {
  return (
    <div role="alert" class="form-error">
      <p>{message}</p>
      <button type="button" onClick={retry}>
        Try again
      </button>
    </div>
  );
}

/** The page heading with the screen's main actions beside it; sets the document title. */
export function PageHead({ title, children }: { title: string; children?: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · MASK`;
  }, [title]);
  return (
    <div class="page-head">
      <h1>{title}</h1>
      {children && <div>{children}</div>}
    </div>
  );
}

/**
 * Asks before an action; while it runs the button is busy, and a refusal shows the API's message in the dialog.
 */
export function Confirm(props: {
  title: string;
  children: ComponentChildren;
  action: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = async () => {
    setBusy(true);
    setError('');
    try {
      await props.onConfirm();
      props.onClose();
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      {props.children}
      <FormError message={error} />
      <div class="dialog-actions">
        <button type="button" onClick={props.onClose} autofocus>
          Cancel
        </button>
        <button type="button" class={props.danger === false ? 'primary' : 'danger'} disabled={busy} onClick={() => void run()}>
          {busy ? 'Working…' : props.action}
        </button>
      </div>
    </Dialog>
  );
}

/** Saves a Blob under `name` through a temporary object URL. */
export function save(data: Blob, name: string): void {
  const url = URL.createObjectURL(data);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The Cancel and submit buttons at the foot of a dialog's form. */
export function FormActions({ onCancel, busy, label, busyLabel }: { onCancel: () => void; busy: boolean; label: string; busyLabel: string }) {
  return (
    <div class="dialog-actions">
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? busyLabel : label}
      </button>
    </div>
  );
}

/** A grid of checkboxes, one per option (shown in monospace), with the API's error for the whole group. */
export function CheckboxGroup(props: { id: string; options: readonly string[]; chosen: (option: string) => boolean; onToggle: (option: string, on: boolean) => void; disabled?: boolean; error?: string }) {
  return (
    <>
      <div class="scope-grid">
        {props.options.map((option) => (
          <label class="check" key={option}>
            <input type="checkbox" disabled={props.disabled} checked={props.chosen(option)} onChange={(e) => props.onToggle(option, e.currentTarget.checked)} />
            <span class="mono">{option}</span>
          </label>
        ))}
      </div>
      {props.error && (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </>
  );
}

/** A column head: its text ('' for a hidden "Actions" head), or the text and a class. */
type Column = string | [string, string];

/** A labelled table that scrolls sideways on its own when narrow: the column heads, then `children` as its rows. */
export function TableRegion({ label, columns, children, class: className }: { label: string; columns: Column[]; children: ComponentChildren; class?: string }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table class={className}>
        <thead>
          <tr>
            {columns.map((column) => {
              const [text, cls] = typeof column === 'string' ? [column, undefined] : column;
              return (
                <th scope="col" class={cls} key={text || 'actions'}>
                  {text || <span class="visually-hidden">Actions</span>}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** The API's messages for the entries of a list field (`allowed_ips.2`) as "Line 3: …", and for the list itself as they are. */
export function lineErrors(details: { field: string; message: string }[], field: string): string[] {
  return details
    .filter((d) => d.field === field || d.field.startsWith(`${field}.`))
    .map((d) => {
      const index = new RegExp(`^${field}\\.(\\d+)$`).exec(d.field)?.[1];
      return index === undefined ? d.message : `Line ${Number(index) + 1}: ${d.message}`;
    });
}

/** A textarea of one entry per line, with the API's messages per line listed under it. */
export function LinesField(props: { id: string; label: string; hint: string; value: string; onInput: (value: string) => void; errors: string[]; disabled?: boolean }) {
  const error = props.errors.length ? ' ' : undefined;
  return (
    <div class={`field ${props.errors.length ? 'field-invalid' : ''}`}>
      <label for={props.id}>{props.label}</label>
      <textarea {...describe(props.id, error, props.hint)} rows={3} value={props.value} disabled={props.disabled} onInput={(e) => props.onInput(e.currentTarget.value)} />
      <p class="hint" id={`${props.id}-hint`}>
        {props.hint}
      </p>
      {props.errors.length > 0 && (
        <ul class="field-error" id={`${props.id}-error`}>
          {props.errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The non-empty trimmed lines of a textarea. */
export const linesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
