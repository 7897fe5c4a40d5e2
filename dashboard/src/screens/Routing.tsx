import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { CONDITION_TYPES, DEVICE_TYPES, routing, WEEKDAYS, type Condition, type ConditionType, type Preview, type Rule, type RuleInput, type Variant } from '../api-routing';
import { Confirm, FormActions, LoadError, PageHead, useResource } from '../components/common';
import { Dialog } from '../components/Dialog';
import { describe, Field, FormError } from '../components/Field';
import { Loading } from '../components/Loading';
import { toast } from '../components/Toasts';
import { href } from '../router';
import { useApp } from '../session';
import { errorText } from './SignIn';
import '../admin.css';

const TYPE_LABELS: Record<ConditionType, string> = {
  country: 'Country',
  device: 'Device type',
  os: 'Operating system',
  browser: 'Browser',
  language: 'Language',
  time: 'Time window',
  query: 'Query parameter',
  referrer: 'Referrer host',
  bot: 'Bot or person',
};

const VALUE_HINTS: Partial<Record<ConditionType, string>> = {
  country: 'ISO country codes, comma-separated: DE, AT',
  device: `Comma-separated: ${DEVICE_TYPES.join(', ')}`,
  os: 'Comma-separated: iOS, Android, Windows…',
  browser: 'Comma-separated: Chrome, Safari, Firefox…',
  language: 'Language tags, comma-separated: fr, pt-BR',
  referrer: 'Host names, comma-separated: t.co, news.example.com',
};

/** A condition as the form edits it: list values as one comma-separated text. */
interface Draft {
  type: ConditionType;
  values: string;
  start: string;
  end: string;
  days: string[];
  timezone: string;
  name: string;
  value: string;
  bot: boolean;
}

const blank = (type: ConditionType = 'country'): Draft => ({ type, values: '', start: '', end: '', days: [], timezone: 'UTC', name: '', value: '', bot: true });

function toDraft(condition: Condition): Draft {
  const draft = blank(condition.type);
  if ('values' in condition) draft.values = condition.values.join(', ');
  if (condition.type === 'time') Object.assign(draft, { start: condition.start, end: condition.end, days: condition.days ?? [], timezone: condition.timezone ?? 'UTC' });
  if (condition.type === 'query') Object.assign(draft, { name: condition.name, value: condition.value ?? '' });
  if (condition.type === 'bot') draft.bot = condition.value;
  return draft;
}

function fromDraft(draft: Draft): Condition {
  switch (draft.type) {
    case 'time':
      return { type: 'time', start: draft.start.trim(), end: draft.end.trim(), ...(draft.days.length ? { days: draft.days } : {}), timezone: draft.timezone.trim() || 'UTC' };
    case 'query':
      return { type: 'query', name: draft.name.trim(), ...(draft.value ? { value: draft.value } : {}) };
    case 'bot':
      return { type: 'bot', value: draft.bot };
    default:
      return { type: draft.type, values: draft.values.split(',').map((v) => v.trim()).filter(Boolean) };
  }
}

/** One line a person can read: "Country is DE or AT". */
export function conditionText(condition: Condition): string {
  const label = TYPE_LABELS[condition.type as ConditionType] ?? condition.type;
  if ('values' in condition) return `${label} is ${condition.values.join(' or ')}`;
  if (condition.type === 'time') return `${condition.days?.length ? `${condition.days.join(', ')} ` : ''}${condition.start}–${condition.end} (${condition.timezone ?? 'UTC'})`;
  if (condition.type === 'query') return condition.value === undefined ? `Query has ${condition.name}` : `Query ${condition.name}=${condition.value}`;
  return condition.value ? 'Visitor is a bot' : 'Visitor is a person';
}

/** The API's messages under `prefix` (`conditions.2`, `variants`), each with what follows the prefix. */
function messagesAt(details: { field: string; message: string }[], prefix: string): string {
  return details
    .filter((d) => d.field === prefix || d.field.startsWith(`${prefix}.`))
    .map((d) => d.message)
    .join(' ');
}

type Details = { field: string; message: string }[];

/** Weighted destinations (2–10, weights adding up to 100), with the API's messages per row. */
function VariantsEditor({ idPrefix, rows, onChange, details, disabled }: { idPrefix: string; rows: Variant[]; onChange: (rows: Variant[]) => void; details: Details; disabled?: boolean }) {
  const total = rows.reduce((sum, row) => sum + (Number.isFinite(row.weight) ? row.weight : 0), 0);
  const whole = details.filter((d) => d.field === 'variants').map((d) => d.message).join(' ');
  return (
    <fieldset class="variants">
      <legend>A/B variants</legend>
      {rows.length === 0 && <p class="muted">No split: every visitor gets the one destination.</p>}
      {rows.map((row, index) => {
        const urlError = messagesAt(details, `variants.${index}.url`);
        const weightError = messagesAt(details, `variants.${index}.weight`);
        return (
          <div class="inline-form" key={index}>
            <Field id={`${idPrefix}-variant-${index}-url`} label={`Variant ${index + 1} URL`} error={urlError}>
              <input type="url" {...describe(`${idPrefix}-variant-${index}-url`, urlError)} disabled={disabled} value={row.url} onInput={(e) => onChange(rows.map((r, i) => (i === index ? { ...r, url: e.currentTarget.value } : r)))} />
            </Field>
            <Field id={`${idPrefix}-variant-${index}-weight`} label={`Variant ${index + 1} weight`} error={weightError} class="narrow-field">
              <input
                type="number"
                min={1}
                max={100}
                {...describe(`${idPrefix}-variant-${index}-weight`, weightError)}
                disabled={disabled}
                value={row.weight}
                onInput={(e) => onChange(rows.map((r, i) => (i === index ? { ...r, weight: e.currentTarget.valueAsNumber } : r)))}
              />
            </Field>
            {!disabled && (
              <button type="button" class="small" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
                Remove<span class="visually-hidden"> variant {index + 1}</span>
              </button>
            )}
          </div>
        );
      })}
      {rows.length > 0 && (
        <p class={total === 100 ? 'muted' : 'warning'} aria-live="polite">
          Weights add up to {total} (must be 100).
        </p>
      )}
      {whole && (
        <p class="field-error" id={`${idPrefix}-variants-error`}>
          {whole}
        </p>
      )}
      {!disabled && rows.length < 10 && (
        <button type="button" class="small" onClick={() => onChange([...rows, { url: '', weight: rows.length ? 0 : 50 }])}>
          Add variant
        </button>
      )}
    </fieldset>
  );
}

function ConditionEditor({ index, draft, onChange, onRemove, error }: { index: number; draft: Draft; onChange: (draft: Draft) => void; onRemove?: () => void; error: string }) {
  const base = `condition-${index}`;
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  return (
    <fieldset class="condition">
      <legend>Condition {index + 1}</legend>
      <div class="inline-form">
        <Field id={`${base}-type`} label="Type">
          <select id={`${base}-type`} value={draft.type} onChange={(e) => onChange(blank(e.currentTarget.value as ConditionType))}>
            {CONDITION_TYPES.map((type) => (
              <option value={type} key={type}>
                {TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </Field>
        {VALUE_HINTS[draft.type] !== undefined && (
          <Field id={`${base}-values`} label="Values" hint={VALUE_HINTS[draft.type]} error={error}>
            <input {...describe(`${base}-values`, error, VALUE_HINTS[draft.type])} value={draft.values} onInput={(e) => set({ values: e.currentTarget.value })} />
          </Field>
        )}
        {draft.type === 'time' && (
          <>
            <Field id={`${base}-start`} label="From" hint="HH:MM, or a date and time">
              <input {...describe(`${base}-start`, undefined, 'x')} value={draft.start} placeholder="09:00" onInput={(e) => set({ start: e.currentTarget.value })} />
            </Field>
            <Field id={`${base}-end`} label="Until" hint="Exclusive">
              <input {...describe(`${base}-end`, undefined, 'x')} value={draft.end} placeholder="17:30" onInput={(e) => set({ end: e.currentTarget.value })} />
            </Field>
            <Field id={`${base}-timezone`} label="Time zone">
              <input id={`${base}-timezone`} value={draft.timezone} onInput={(e) => set({ timezone: e.currentTarget.value })} />
            </Field>
          </>
        )}
        {draft.type === 'query' && (
          <>
            <Field id={`${base}-name`} label="Parameter">
              <input id={`${base}-name`} value={draft.name} onInput={(e) => set({ name: e.currentTarget.value })} />
            </Field>
            <Field id={`${base}-value`} label="Value" hint="Empty: the parameter need only be present">
              <input {...describe(`${base}-value`, undefined, 'x')} value={draft.value} onInput={(e) => set({ value: e.currentTarget.value })} />
            </Field>
          </>
        )}
        {draft.type === 'bot' && (
          <Field id={`${base}-bot`} label="Visitor">
            <select id={`${base}-bot`} value={draft.bot ? 'bot' : 'person'} onChange={(e) => set({ bot: e.currentTarget.value === 'bot' })}>
              <option value="bot">is a bot</option>
              <option value="person">is a person</option>
            </select>
          </Field>
        )}
        {onRemove && (
          <button type="button" class="small" onClick={onRemove}>
            Remove<span class="visually-hidden"> condition {index + 1}</span>
          </button>
        )}
      </div>
      {draft.type === 'time' && (
        <div class="scope-grid" role="group" aria-label={`Days of condition ${index + 1} (none: every day)`}>
          {WEEKDAYS.map((day) => (
            <label class="check" key={day}>
              <input type="checkbox" checked={draft.days.includes(day)} onChange={(e) => set({ days: e.currentTarget.checked ? [...draft.days, day] : draft.days.filter((d) => d !== day) })} />
              <span>{day}</span>
            </label>
          ))}
        </div>
      )}
      {error && VALUE_HINTS[draft.type] === undefined && (
        <p class="field-error" id={`${base}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

function RuleDialog({ linkId, rule, onClose, onSaved }: { linkId: string; rule: Rule | null; onClose: () => void; onSaved: () => void }) {
  const [url, setUrl] = useState(rule?.url ?? '');
  const [drafts, setDrafts] = useState<Draft[]>(rule ? rule.conditions.map(toDraft) : [blank()]);
  const [variants, setVariants] = useState<Variant[]>(rule?.variants ?? []);
  const [details, setDetails] = useState<Details>([]);
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setDetails([]);
    setFormError('');
    const body: RuleInput = { conditions: drafts.map(fromDraft), url: url.trim(), variants: variants.length ? variants : null };
    try {
      if (rule) await routing.update(linkId, rule.id, body);
      else await routing.create(linkId, { ...body, variants: body.variants ?? undefined });
      toast(rule ? 'Rule saved' : 'Rule added');
      onSaved();
      onClose();
    } catch (caught) {
      if (caught instanceof ApiError && caught.details.length) {
        setDetails(caught.details);
        const known = caught.details.filter((d) => !/^(url|conditions\.\d+|variants)(\.|$)/.test(d.field));
        setFormError(known.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join(' '));
      } else setFormError(errorText(caught));
      setBusy(false);
    }
  };

  const urlError = messagesAt(details, 'url');
  const listError = details.filter((d) => d.field === 'conditions').map((d) => d.message).join(' ');
  return (
    <Dialog title={rule ? `Edit rule ${rule.position + 1}` : 'New rule'} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <p class="muted">All conditions must hold for the rule to send a visitor to its destination.</p>
        {drafts.map((draft, index) => (
          <ConditionEditor
            key={index}
            index={index}
            draft={draft}
            error={messagesAt(details, `conditions.${index}`)}
            onChange={(next) => setDrafts(drafts.map((d, i) => (i === index ? next : d)))}
            onRemove={drafts.length > 1 ? () => setDrafts(drafts.filter((_, i) => i !== index)) : undefined}
          />
        ))}
        {listError && <p class="field-error">{listError}</p>}
        <button type="button" class="small" onClick={() => setDrafts([...drafts, blank()])}>
          Add condition
        </button>
        <Field id="rule-url" label="Destination URL" error={urlError}>
          <input type="url" {...describe('rule-url', urlError)} value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
        </Field>
        <VariantsEditor idPrefix="rule" rows={variants} onChange={setVariants} details={details} />
        <FormError message={formError} />
        <FormActions onCancel={onClose} busy={busy} label={rule ? 'Save rule' : 'Add rule'} busyLabel="Saving…" />
      </form>
    </Dialog>
  );
}

function SplitForm({ linkId, initial, canWrite, onSaved }: { linkId: string; initial: Variant[] | null; canWrite: boolean; onSaved: () => void }) {
  const [rows, setRows] = useState<Variant[]>(initial ?? []);
  const [details, setDetails] = useState<Details>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setDetails([]);
    setError('');
    try {
      await routing.updateLink(linkId, { variants: rows.length ? rows : null });
      toast(rows.length ? 'A/B split saved' : 'A/B split removed');
      onSaved();
    } catch (caught) {
      if (caught instanceof ApiError && caught.details.length) setDetails(caught.details);
      else setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="split-title">
      <h2 id="split-title">A/B split of the link</h2>
      <p class="muted">Used when no rule matches. Bots always get the link’s own destination; each person keeps their variant.</p>
      <form onSubmit={save} noValidate>
        <VariantsEditor idPrefix="link" rows={rows} onChange={setRows} details={details} disabled={!canWrite} />
        <FormError message={error} />
        {canWrite && (
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save split'}
          </button>
        )}
      </form>
    </section>
  );
}

function PreviewForm({ linkId, initial, canWrite, onSaved }: { linkId: string; initial: Preview | null; canWrite: boolean; onSaved: () => void }) {
  const [preview, setPreview] = useState<Preview>(initial ?? { title: null, description: null, image_url: null });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const field = (key: keyof Preview) => ({
    value: preview[key] ?? '',
    disabled: !canWrite,
    onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => setPreview({ ...preview, [key]: e.currentTarget.value || null }),
  });
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    const empty = !preview.title && !preview.description && !preview.image_url;
    try {
      await routing.updateLink(linkId, { preview: empty ? null : preview });
      toast(empty ? 'Social preview removed' : 'Social preview saved');
      onSaved();
    } catch (caught) {
      if (caught instanceof ApiError && caught.details.length) {
        const byField: Record<string, string> = {};
        for (const d of caught.details) {
          const key = d.field.replace(/^preview\.?/, '') || '';
          byField[key] = byField[key] ? `${byField[key]} ${d.message}` : d.message;
        }
        setErrors(byField);
      } else setErrors({ '': errorText(caught) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="preview-title">
      <h2 id="preview-title">Social preview</h2>
      <p class="muted">What Slack, X, Facebook, LinkedIn and other link previews show. Leave all empty for none.</p>
      <form onSubmit={save} noValidate>
        <Field id="preview-title-input" label="Preview title" error={errors.title}>
          <input {...describe('preview-title-input', errors.title)} {...field('title')} />
        </Field>
        <Field id="preview-description" label="Preview description" error={errors.description}>
          <textarea {...describe('preview-description', errors.description)} rows={2} {...field('description')} />
        </Field>
        <Field id="preview-image" label="Preview image URL" error={errors.image_url}>
          <input type="url" {...describe('preview-image', errors.image_url)} {...field('image_url')} />
        </Field>
        <FormError message={errors['']} />
        {canWrite && (
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save preview'}
          </button>
        )}
      </form>
    </section>
  );
}

/** Smart routing of one link: its rules in evaluation order, its own A/B split and its social preview. */
export default function Routing({ id: linkId = '' }: { id?: string }) {
  const app = useApp();
  const link = useResource(() => routing.link(linkId), [linkId]);
  const rules = useResource(() => routing.rules(linkId), [linkId]);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  const [busy, setBusy] = useState(false);

  const move = async (index: number, by: -1 | 1) => {
    const list = [...(rules.data?.data ?? [])];
    const [moved] = list.splice(index, 1);
    list.splice(index + by, 0, moved);
    setBusy(true);
    try {
      rules.setData(await routing.reorder(linkId, list.map((r) => r.id)));
      toast(`Rule moved to position ${index + by + 1}`);
    } catch (caught) {
      toast(errorText(caught), 'error');
    } finally {
      setBusy(false);
    }
  };

  const short = link.data?.short_url.replace(/^https?:\/\//, '') ?? linkId;
  const list = rules.data?.data ?? [];
  return (
    <>
      <PageHead title="Smart routing">
        {app.canWrite && link.data && (
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            Add rule
          </button>
        )}
      </PageHead>
      <p>
        <a href={href('links')}>All links</a> · <span class="mono">{short}</span> ·{' '}
        <a href={href(`links/${encodeURIComponent(linkId)}/analytics`)}>Clicks by rule and variant</a>
      </p>
      {link.error && <LoadError message={link.error} retry={link.reload} />}
      <section class="card" aria-labelledby="rules-title">
        <h2 id="rules-title">Rules</h2>
        <p class="muted">The first rule whose conditions all hold picks the destination; otherwise the link’s own {link.data ? <span class="mono">{link.data.url}</span> : 'destination'}.</p>
        {rules.error ? (
          <LoadError message={rules.error} retry={rules.reload} />
        ) : !rules.data ? (
          <Loading rows={3} />
        ) : list.length === 0 ? (
          <p class="muted">No rules yet.</p>
        ) : (
          <ol class="cards rules">
            {list.map((rule, index) => (
              <li class="card" key={rule.id}>
                <h3>Rule {index + 1}</h3>
                <ul>
                  {rule.conditions.map((condition, i) => (
                    <li key={i}>{conditionText(condition)}</li>
                  ))}
                </ul>
                <p>
                  → <span class="mono">{rule.url}</span>
                </p>
                {rule.variants && <p class="muted">Split: {rule.variants.map((v) => `${v.weight}% ${v.url}`).join(', ')}</p>}
                {app.canWrite && (
                  <div class="actions">
                    <button type="button" class="small" disabled={busy || index === 0} onClick={() => void move(index, -1)}>
                      Move up<span class="visually-hidden"> rule {index + 1}</span>
                    </button>
                    <button type="button" class="small" disabled={busy || index === list.length - 1} onClick={() => void move(index, 1)}>
                      Move down<span class="visually-hidden"> rule {index + 1}</span>
                    </button>
                    <button type="button" class="small" onClick={() => setEditing(rule)}>
                      Edit<span class="visually-hidden"> rule {index + 1}</span>
                    </button>
                    <button type="button" class="small danger" onClick={() => setDeleting(rule)}>
                      Delete<span class="visually-hidden"> rule {index + 1}</span>
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
      {/* Each form starts over only when its own saved value changes: keyed by the link's updated_at, saving the split
          reloaded the link and wiped whatever was being typed into the preview meanwhile. */}
      {link.data && <SplitForm key={JSON.stringify(link.data.variants)} linkId={linkId} initial={link.data.variants} canWrite={app.canWrite} onSaved={link.reload} />}
      {link.data && <PreviewForm key={JSON.stringify(link.data.preview)} linkId={linkId} initial={link.data.preview} canWrite={app.canWrite} onSaved={link.reload} />}
      {editing && <RuleDialog linkId={linkId} rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={rules.reload} />}
      {deleting && (
        <Confirm
          title={`Delete rule ${deleting.position + 1}?`}
          action="Delete rule"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await routing.remove(linkId, deleting.id);
            toast('Rule deleted');
            rules.reload();
          }}
        >
          <p>Visitors it matched go on to the next rule, or the link’s own destination.</p>
        </Confirm>
      )}
    </>
  );
}
