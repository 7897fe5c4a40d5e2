import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, links, type Link, type LinkInput } from '../api';
import { fromLocalInput, toLocalInput } from '../format';
import { errorText } from '../screens/SignIn';
import { Dialog } from './Dialog';
import { lazy } from './Lazy';
import type { OrganizeInput } from './LinkOrganizeFields';
import { describe, Field, FormError } from './Field';

/** Every writable field of POST /links (engine/contracts/links.ts), in form order. */
export const FIELDS = [
  'url',
  'slug',
  'domain',
  'title',
  'tags',
  'notes',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'ios_target',
  'android_target',
  'starts_at',
  'expires_at',
  'max_clicks',
  'password',
] as const;
type FieldName = (typeof FIELDS)[number];
/** Folder, campaign, UTM template and pixels: their own chunk (they need lists the first screen does not). */
const OrganizeFields = lazy<{ link?: Link; value: OrganizeInput; onChange: (value: OrganizeInput) => void; errors: Record<string, string> }>(() => import('./LinkOrganizeFields'));
const ERROR_FIELDS = [...FIELDS, 'folder_id', 'campaign_id', 'utm_template_id', 'pixel_ids'];
type Values = Record<FieldName, string>;

function valuesOf(link?: Link): Values {
  return {
    url: link?.url ?? '',
    slug: link?.slug ?? '',
    domain: link?.domain ?? '',
    title: link?.title ?? '',
    tags: link?.tags.join(', ') ?? '',
    notes: link?.notes ?? '',
    utm_source: link?.utm_source ?? '',
    utm_medium: link?.utm_medium ?? '',
    utm_campaign: link?.utm_campaign ?? '',
    ios_target: link?.ios_target ?? '',
    android_target: link?.android_target ?? '',
    starts_at: toLocalInput(link?.starts_at),
    expires_at: toLocalInput(link?.expires_at),
    max_clicks: link?.max_clicks != null ? String(link.max_clicks) : '',
    password: '',
  };
}

const splitTags = (text: string) =>
  text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);

/** The value of one field as the API takes it; null for "none". */
function apiValue(name: FieldName, text: string): LinkInput[keyof LinkInput] {
  const value = name === 'notes' ? text : text.trim();
  if (name === 'tags') return value ? splitTags(value) : null;
  if (name === 'starts_at' || name === 'expires_at') return fromLocalInput(value);
  if (name === 'max_clicks') return value === '' ? null : Number(value);
  return value === '' ? null : value;
}

/** POST body: only what was filled in. PATCH body: only what changed (slug and domain cannot change). */
function bodyOf(values: Values, original: Values | null, removePassword: boolean): LinkInput {
  const body: Record<string, unknown> = {};
  for (const name of FIELDS) {
    if (name === 'password') continue;
    if (original) {
      if (name === 'slug' || name === 'domain' || values[name] === original[name]) continue;
      if (name === 'tags' && splitTags(values.tags).join('\n') === splitTags(original.tags).join('\n')) continue;
      body[name] = apiValue(name, values[name]);
    } else {
      const value = apiValue(name, values[name]);
      if (value !== null) body[name] = value;
    }
  }
  if (values.password) body.password = values.password;
  else if (original && removePassword) body.password = null;
  return body as LinkInput;
}

interface Props {
  link?: Link;
  domainOptions: string[];
  onSaved: (link: Link, created: boolean) => void;
  onClose: () => void;
}

export function LinkForm({ link, domainOptions, onSaved, onClose }: Props) {
  const [original] = useState(() => (link ? valuesOf(link) : null));
  const [values, setValues] = useState<Values>(() => valuesOf(link));
  const [removePassword, setRemovePassword] = useState(false);
  const [organize, setOrganize] = useState<OrganizeInput>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  // A refused save: bring the first invalid field (or the form's own message) into view, where the submit button is
  // usually far below it, and put the keyboard there.
  useEffect(() => {
    const form = formRef.current;
    if (!form || Object.keys(errors).length === 0) return;
    const invalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid) invalid.focus();
    else form.querySelector('.form-error')?.scrollIntoView({ block: 'nearest' });
  }, [errors]);

  const input = (name: FieldName) => (event: Event) => setValues({ ...values, [name]: (event.currentTarget as HTMLInputElement).value });
  const attrs = (name: FieldName, hint?: string) => ({
    ...describe(`link-${name}`, errors[name], hint),
    name,
    value: values[name],
    onInput: input(name),
  });

  const submit = async (event: Event) => {
    event.preventDefault();
    const body = { ...bodyOf(values, original, removePassword), ...organize };
    if (link && Object.keys(body).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const saved = link ? await links.update(link.id, body) : await links.create(body);
      onSaved(saved, !link);
    } catch (error) {
      if (error instanceof ApiError && error.details.length) setErrors(error.fieldErrors(ERROR_FIELDS));
      else if (error instanceof ApiError && error.status === 409 && !link) setErrors({ slug: error.message });
      else setErrors({ '': errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  const hints: Partial<Record<FieldName, string>> = {
    url: 'https:// address visitors are sent to.',
    slug: link ? 'The slug cannot be changed.' : '4–64 letters, digits, - or _. Leave empty for a random one.',
    domain: link ? 'The domain cannot be changed.' : 'Leave empty for the workspace default.',
    tags: 'Up to 10, separated by commas.',
    starts_at: 'Your local time. Before it, the link answers 404.',
    expires_at: 'Your local time. After it, the link answers 410.',
    max_clicks: 'The link stops after this many counted clicks.',
    password: link?.password_protected ? 'Leave empty to keep the current password.' : 'Visitors must enter it first (4–128 characters).',
  };
  const field = (name: FieldName, label: string, control: preact.JSX.Element) => (
    <Field id={`link-${name}`} label={label} error={errors[name]} hint={hints[name]}>
      {control}
    </Field>
  );

  return (
    <Dialog title={link ? 'Edit link' : 'New link'} onClose={onClose} wide>
      <form ref={formRef} onSubmit={submit} noValidate class="link-form">
        <FormError message={errors['']} />
        <fieldset>
          <legend>Destination</legend>
          {field('url', 'Destination URL', <input {...attrs('url', hints.url)} type="url" required inputMode="url" autocomplete="off" />)}
          <div class="grid-2">
            {field('slug', 'Slug', <input {...attrs('slug', hints.slug)} readOnly={!!link} autocomplete="off" spellcheck={false} />)}
            {field(
              'domain',
              'Domain',
              <>
                <input {...attrs('domain', hints.domain)} readOnly={!!link} list="link-domain-options" autocomplete="off" />
                <datalist id="link-domain-options">
                  {domainOptions.map((host) => (
                    <option value={host} key={host} />
                  ))}
                </datalist>
              </>,
            )}
          </div>
          {field('title', 'Title', <input {...attrs('title')} maxLength={500} />)}
        </fieldset>
        <fieldset>
          <legend>Organise</legend>
          {field('tags', 'Tags', <input {...attrs('tags', hints.tags)} autocomplete="off" />)}
          {field('notes', 'Notes', <textarea {...attrs('notes')} rows={2} maxLength={500} />)}
          <OrganizeFields link={link} value={organize} onChange={setOrganize} errors={errors} />
        </fieldset>
        <fieldset>
          <legend>UTM parameters</legend>
          <div class="grid-3">
            {field('utm_source', 'utm_source', <input {...attrs('utm_source')} maxLength={255} autocomplete="off" />)}
            {field('utm_medium', 'utm_medium', <input {...attrs('utm_medium')} maxLength={255} autocomplete="off" />)}
            {field('utm_campaign', 'utm_campaign', <input {...attrs('utm_campaign')} maxLength={255} autocomplete="off" />)}
          </div>
        </fieldset>
        <fieldset>
          <legend>Device targets</legend>
          <div class="grid-2">
            {field('ios_target', 'iOS destination', <input {...attrs('ios_target')} type="url" inputMode="url" autocomplete="off" />)}
            {field('android_target', 'Android destination', <input {...attrs('android_target')} type="url" inputMode="url" autocomplete="off" />)}
          </div>
        </fieldset>
        <fieldset>
          <legend>Schedule and limits</legend>
          <div class="grid-2">
            {field('starts_at', 'Starts at', <input {...attrs('starts_at', hints.starts_at)} type="datetime-local" />)}
            {field('expires_at', 'Expires at', <input {...attrs('expires_at', hints.expires_at)} type="datetime-local" />)}
            {field('max_clicks', 'Maximum clicks', <input {...attrs('max_clicks', hints.max_clicks)} type="number" min={1} step={1} inputMode="numeric" />)}
            {field('password', 'Password', <input {...attrs('password', hints.password)} type="password" autocomplete="new-password" />)}
          </div>
          {link?.password_protected && (
            <label class="check">
              <input type="checkbox" checked={removePassword} disabled={!!values.password} onChange={(e) => setRemovePassword(e.currentTarget.checked)} />
              Remove the password
            </label>
          )}
        </fieldset>
        <div class="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : link ? 'Save changes' : 'Create link'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
