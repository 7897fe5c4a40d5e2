import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { campaigns, UTM_FIELDS, utmTemplates, type Campaign, type CampaignInput, type ConversionCounts, type ConversionReport, type UtmTemplate } from '../api-organize';
import { Confirm, FormActions, LoadError, PageHead, TableRegion, useResource } from '../components/common';
import { Dialog } from '../components/Dialog';
import { describe, Field, FormError } from '../components/Field';
import { Empty, Loading } from '../components/Loading';
import { toast } from '../components/Toasts';
import { addDays, browserTimeZone, formatDate, formatNumber, fromLocalInput, toLocalInput, today } from '../format';
import { href } from '../router';
import { useApp } from '../session';
import { errorText } from './SignIn';
import '../admin.css';

type Values = Record<'name' | 'description' | 'starts_at' | 'ends_at' | (typeof UTM_FIELDS)[number], string>;
const FORM_FIELDS = ['name', 'description', 'starts_at', 'ends_at', ...UTM_FIELDS] as const;

function valuesOf(campaign: Campaign | null): Values {
  const values = { name: campaign?.name ?? '', description: campaign?.description ?? '', starts_at: toLocalInput(campaign?.starts_at), ends_at: toLocalInput(campaign?.ends_at) } as Values;
  for (const field of UTM_FIELDS) values[field] = campaign?.[field] ?? '';
  return values;
}

/** Revenue per currency (minor units) as money: "€1,234.50 · $20.00". */
export function revenueText(revenue: Record<string, number>): string {
  const parts = Object.entries(revenue).map(([currency, minor]) => {
    try {
      const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
      return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
    } catch {
      return `${minor} ${currency}`;
    }
  });
  return parts.length ? parts.join(' · ') : '—';
}

function CampaignDialog({ campaign, onClose, onSaved }: { campaign: Campaign | null; onClose: () => void; onSaved: () => void }) {
  const [values, setValues] = useState(() => valuesOf(campaign));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const attrs = (name: keyof Values) => ({
    ...describe(`campaign-${name}`, errors[name]),
    value: values[name],
    onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => setValues({ ...values, [name]: e.currentTarget.value }),
  });
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    const body: CampaignInput = { name: values.name.trim(), description: values.description.trim() || null, starts_at: fromLocalInput(values.starts_at), ends_at: fromLocalInput(values.ends_at) };
    for (const field of UTM_FIELDS) body[field] = values[field].trim() || null;
    try {
      if (campaign) await campaigns.update(campaign.id, body);
      else await campaigns.create(body);
      toast(campaign ? 'Campaign saved' : `Campaign ${body.name} created`);
      onSaved();
      onClose();
    } catch (caught) {
      setErrors(caught instanceof ApiError && caught.details.length ? caught.fieldErrors(FORM_FIELDS) : { '': errorText(caught) });
      setBusy(false);
    }
  };
  return (
    <Dialog title={campaign ? `Edit ${campaign.name}` : 'New campaign'} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <FormError message={errors['']} />
        <Field id="campaign-name" label="Name" error={errors.name}>
          <input {...attrs('name')} maxLength={100} />
        </Field>
        <Field id="campaign-description" label="Description" error={errors.description}>
          <textarea {...attrs('description')} rows={2} />
        </Field>
        <div class="grid-2">
          <Field id="campaign-starts_at" label="Starts" error={errors.starts_at}>
            <input type="datetime-local" {...attrs('starts_at')} />
          </Field>
          <Field id="campaign-ends_at" label="Ends" error={errors.ends_at}>
            <input type="datetime-local" {...attrs('ends_at')} />
          </Field>
        </div>
        <fieldset>
          <legend>UTM defaults of its links</legend>
          <div class="grid-3">
            {UTM_FIELDS.map((field) => (
              <Field id={`campaign-${field}`} label={field} error={errors[field]} key={field}>
                <input {...attrs(field)} maxLength={255} autocomplete="off" />
              </Field>
            ))}
          </div>
        </fieldset>
        <FormActions onCancel={onClose} busy={busy} label={campaign ? 'Save campaign' : 'Create campaign'} busyLabel="Saving…" />
      </form>
    </Dialog>
  );
}

function TemplateDialog({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const [values, setValues] = useState<Record<string, string>>({ name: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const body = { name: (values.name ?? '').trim(), ...Object.fromEntries(UTM_FIELDS.map((f) => [f, values[f]?.trim() || null])) };
      await utmTemplates.create(body);
      toast(`UTM template ${body.name} created`);
      onSaved();
      onClose();
    } catch (caught) {
      setErrors(caught instanceof ApiError && caught.details.length ? caught.fieldErrors(['name', ...UTM_FIELDS]) : { '': errorText(caught) });
      setBusy(false);
    }
  };
  return (
    <Dialog title="New UTM template" onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <FormError message={errors['']} />
        {(['name', ...UTM_FIELDS] as const).map((field) => (
          <Field id={`template-${field}`} label={field === 'name' ? 'Template name' : field} error={errors[field]} key={field}>
            <input {...describe(`template-${field}`, errors[field])} value={values[field] ?? ''} maxLength={field === 'name' ? 100 : 255} onInput={(e) => setValues({ ...values, [field]: e.currentTarget.value })} />
          </Field>
        ))}
        <FormActions onCancel={onClose} busy={busy} label="Create template" busyLabel="Saving…" />
      </form>
    </Dialog>
  );
}

const RANGES = { '7': 'Last 7 days', '30': 'Last 30 days', '90': 'Last 90 days' } as const;

function CountCells({ counts }: { counts: ConversionCounts }) {
  return (
    <>
      <td class="num">{formatNumber(counts.clicks)}</td>
      <td class="num">{formatNumber(counts.unique_visitors)}</td>
      <td class="num">{formatNumber(counts.leads)}</td>
      <td class="num">{formatNumber(counts.sales)}</td>
      <td class="num">{revenueText(counts.revenue)}</td>
    </>
  );
}

const COUNT_COLUMNS: [string, string][] = [
  ['Clicks', 'num'],
  ['Uniques', 'num'],
  ['Leads', 'num'],
  ['Sales', 'num'],
  ['Revenue', 'num'],
];

/** One campaign's clicks, uniques, leads, sales and revenue over a range: per day and per link. */
function CampaignAnalytics({ campaignId }: { campaignId: string }) {
  const campaign = useResource(() => campaigns.get(campaignId), [campaignId]);
  const [days, setDays] = useState<keyof typeof RANGES>('30');
  const [report, setReport] = useState<{ series: ConversionReport<ConversionCounts & { start: string }>; links: ConversionReport<ConversionCounts & { value: string | null }> } | null>(null);
  const [error, setError] = useState('');
  const timezone = browserTimeZone();
  useEffect(() => {
    setReport(null);
    setError('');
    const range = { start: addDays(today(), 1 - Number(days)), end: addDays(today(), 1), timezone };
    Promise.all([campaigns.series(campaignId, { ...range, interval: 'day' }), campaigns.byLink(campaignId, range)]).then(
      ([series, links]) => setReport({ series, links }),
      (caught) => setError(errorText(caught)),
    );
  }, [campaignId, days]);
  const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: timezone });
  return (
    <>
      <PageHead title={campaign.data ? `Campaign ${campaign.data.name}` : 'Campaign'} />
      <p>
        <a href={href('campaigns')}>All campaigns</a>
      </p>
      {campaign.error && <LoadError message={campaign.error} retry={campaign.reload} />}
      <Field id="campaign-range" label="Range">
        <select id="campaign-range" value={days} onChange={(e) => setDays(e.currentTarget.value as keyof typeof RANGES)}>
          {Object.entries(RANGES).map(([value, label]) => (
            <option value={value} key={value}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      {error ? (
        <p role="alert" class="form-error">
          {error}
        </p>
      ) : !report ? (
        <Loading rows={5} />
      ) : (
        <>
          <dl class="facts card" aria-label="Totals">
            <dt>Clicks</dt>
            <dd>{formatNumber(report.series.totals.clicks)}</dd>
            <dt>Uniques</dt>
            <dd>{formatNumber(report.series.totals.unique_visitors)}</dd>
            <dt>Leads</dt>
            <dd>{formatNumber(report.series.totals.leads)}</dd>
            <dt>Sales</dt>
            <dd>{formatNumber(report.series.totals.sales)}</dd>
            <dt>Revenue</dt>
            <dd>{revenueText(report.series.totals.revenue)}</dd>
          </dl>
          <h2>By link</h2>
          {report.links.data.length === 0 ? (
            <p class="muted">No clicks or conversions in this range.</p>
          ) : (
            <TableRegion label="By link" columns={['Link', ...COUNT_COLUMNS]}>
              {report.links.data.map((row) => (
                <tr key={row.value ?? ''}>
                  <th scope="row">
                    {row.value ? (
                      <a class="mono" href={href(`links/${encodeURIComponent(row.value)}/analytics`)}>
                        {row.value}
                      </a>
                    ) : (
                      'Unknown'
                    )}
                  </th>
                  <CountCells counts={row} />
                </tr>
              ))}
            </TableRegion>
          )}
          <h2>Over time</h2>
          <TableRegion label="Over time" columns={['Day', ...COUNT_COLUMNS]}>
            {report.series.data.map((row) => (
              <tr key={row.start}>
                <th scope="row">{day.format(new Date(row.start))}</th>
                <CountCells counts={row} />
              </tr>
            ))}
          </TableRegion>
        </>
      )}
    </>
  );
}

/** Campaigns (with their UTM defaults and analytics) and the workspace's UTM templates. */
export default function Campaigns({ id }: { id?: string }) {
  const app = useApp();
  const list = useResource(() => campaigns.list());
  const templates = useResource(() => utmTemplates.list());
  const [editing, setEditing] = useState<Campaign | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Campaign | null>(null);
  const [newTemplate, setNewTemplate] = useState(false);
  const [deletingTemplate, setDeletingTemplate] = useState<UtmTemplate | null>(null);
  if (id) return <CampaignAnalytics campaignId={id} />;

  const utm = (item: Campaign | UtmTemplate) =>
    UTM_FIELDS.filter((f) => item[f])
      .map((f) => `${f.slice(4)}=${item[f]}`)
      .join(' · ') || '—';
  return (
    <>
      <PageHead title="Campaigns">
        {app.canWrite && (
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            New campaign
          </button>
        )}
      </PageHead>
      {list.error ? (
        <LoadError message={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading rows={4} />
      ) : list.data.data.length === 0 ? (
        <Empty title="No campaigns yet.">
          <p class="muted">A campaign groups links, gives them UTM defaults and adds up their clicks, leads and sales.</p>
        </Empty>
      ) : (
        <TableRegion label="Campaigns" columns={['Name', 'Runs', 'UTM defaults', '']}>
          {list.data.data.map((campaign) => (
            <tr key={campaign.id}>
              <th scope="row">{campaign.name}</th>
              <td>
                {formatDate(campaign.starts_at)} – {formatDate(campaign.ends_at)}
              </td>
              <td class="mono">{utm(campaign)}</td>
              <td class="actions">
                <a class="button small" href={href(`campaigns/${encodeURIComponent(campaign.id)}`)}>
                  Analytics<span class="visually-hidden"> of {campaign.name}</span>
                </a>
                {app.canWrite && (
                  <>
                    <button type="button" class="small" onClick={() => setEditing(campaign)}>
                      Edit<span class="visually-hidden"> {campaign.name}</span>
                    </button>
                    <button type="button" class="small danger" onClick={() => setDeleting(campaign)}>
                      Delete<span class="visually-hidden"> {campaign.name}</span>
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </TableRegion>
      )}

      <div class="page-head">
        <h2>UTM templates</h2>
        {app.canWrite && (
          <button type="button" onClick={() => setNewTemplate(true)}>
            New UTM template
          </button>
        )}
      </div>
      <p class="muted">Chosen in the link form when creating a link, a template fills the UTM fields left empty.</p>
      {templates.error ? (
        <LoadError message={templates.error} retry={templates.reload} />
      ) : !templates.data ? (
        <Loading rows={2} />
      ) : templates.data.data.length === 0 ? (
        <p class="muted">No UTM templates yet.</p>
      ) : (
        <TableRegion label="UTM templates" columns={['Name', 'Values', '']}>
          {templates.data.data.map((template) => (
            <tr key={template.id}>
              <th scope="row">{template.name}</th>
              <td class="mono">{utm(template)}</td>
              <td class="actions">
                {app.canWrite && (
                  <button type="button" class="small danger" onClick={() => setDeletingTemplate(template)}>
                    Delete<span class="visually-hidden"> template {template.name}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </TableRegion>
      )}

      {editing && <CampaignDialog campaign={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={list.reload} />}
      {newTemplate && <TemplateDialog onClose={() => setNewTemplate(false)} onSaved={templates.reload} />}
      {deleting && (
        <Confirm
          title={`Delete ${deleting.name}?`}
          action="Delete campaign"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await campaigns.remove(deleting.id);
            toast(`Campaign ${deleting.name} deleted`);
            list.reload();
          }}
        >
          <p>Its links leave the campaign; recorded conversions keep it.</p>
        </Confirm>
      )}
      {deletingTemplate && (
        <Confirm
          title={`Delete template ${deletingTemplate.name}?`}
          action="Delete template"
          onClose={() => setDeletingTemplate(null)}
          onConfirm={async () => {
            await utmTemplates.remove(deletingTemplate.id);
            toast(`UTM template ${deletingTemplate.name} deleted`);
            templates.reload();
          }}
        >
          <p>Links created with it keep their UTM values.</p>
        </Confirm>
      )}
    </>
  );
}
