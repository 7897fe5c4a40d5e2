import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { conversionSettings, PIXEL_PROVIDERS, pixels, type ConversionSettings, type Pixel, type PixelProvider } from '../api-organize';
import { Confirm, LinesField, lineErrors, linesOf, LoadError, PageHead, TableRegion, useResource } from '../components/common';
import { CopyButton } from '../components/CopyButton';
import { describe, Field, FormError } from '../components/Field';
import { Loading } from '../components/Loading';
import { toast } from '../components/Toasts';
import { useApp } from '../session';
import { errorText } from './SignIn';
import '../admin.css';

const PROVIDER_LABELS: Record<PixelProvider, string> = { meta: 'Meta', google_ads: 'Google Ads', linkedin: 'LinkedIn', tiktok: 'TikTok', custom: 'Custom script' };
const ID_HINTS: Partial<Record<PixelProvider, string>> = { meta: 'The numeric pixel id', google_ads: 'AW-…', linkedin: 'The partner id', tiktok: 'The pixel code' };

/** `fresh`: the key was just created or rotated here (kept by the parent: a save re-creates this form). */
function SettingsForm({ settings, onSaved, fresh, onRotated }: { settings: ConversionSettings; onSaved: (next: ConversionSettings) => void; fresh: boolean; onRotated: () => void }) {
  const [track, setTrack] = useState(settings.track_conversions);
  const [param, setParam] = useState(settings.click_id_param);
  const [windowDays, setWindowDays] = useState(String(settings.attribution_window_days));
  const [origins, setOrigins] = useState(settings.allowed_origins.join('\n'));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [originProblems, setOriginProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setOriginProblems([]);
    try {
      const next = await conversionSettings.update({
        track_conversions: track,
        click_id_param: param.trim(),
        attribution_window_days: Number(windowDays),
        allowed_origins: linesOf(origins),
      });
      toast('Conversion settings saved');
      onSaved(next);
    } catch (caught) {
      if (caught instanceof ApiError && caught.details.length) {
        setErrors(caught.fieldErrors(['track_conversions', 'click_id_param', 'attribution_window_days', 'allowed_origins']));
        setOriginProblems(lineErrors(caught.details, 'allowed_origins'));
      } else setErrors({ '': errorText(caught) });
    } finally {
      setBusy(false);
    }
  };

  const rotate = async () => {
    setBusy(true);
    try {
      onSaved(await conversionSettings.rotateKey());
      onRotated();
      toast(settings.publishable_key ? 'Publishable key rotated' : 'Publishable key created');
    } catch (caught) {
      setErrors({ '': errorText(caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="conversion-settings-title">
      <h2 id="conversion-settings-title">Conversion tracking</h2>
      <form onSubmit={save} noValidate>
        <FormError message={errors['']} />
        <label class="check">
          <input type="checkbox" checked={track} onChange={(e) => setTrack(e.currentTarget.checked)} />
          Track conversions on links by default (links in a campaign always do)
        </label>
        <div class="grid-2">
          <Field id="click-id-param" label="Click id parameter" error={errors.click_id_param} hint="Appended to the destination: ?mask_click_id=clk_…">
            <input {...describe('click-id-param', errors.click_id_param, 'x')} value={param} onInput={(e) => setParam(e.currentTarget.value)} autocomplete="off" />
          </Field>
          <Field id="attribution-window" label="Attribution window (days)" error={errors.attribution_window_days} hint="1 to 365">
            <input type="number" min={1} max={365} {...describe('attribution-window', errors.attribution_window_days, 'x')} value={windowDays} onInput={(e) => setWindowDays(e.currentTarget.value)} />
          </Field>
        </div>
        <LinesField
          id="allowed-origins"
          label="Allowed origins"
          hint="One per line, such as https://shop.example.com: the pages that may use the publishable key."
          value={origins}
          onInput={setOrigins}
          errors={originProblems}
        />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
      </form>
      <h3>Publishable key</h3>
      <p class="muted">For the track calls from your web pages (only from the allowed origins). Rotating it stops the old one at once.</p>
      {settings.publishable_key ? (
        <>
          {fresh && (
            <p class="warning" role="note">
              A new key: replace the old one in your pages now.
            </p>
          )}
          <div class="secret-row">
            <code class="mono secret-value" tabIndex={0} aria-label="Publishable key">
              {settings.publishable_key}
            </code>
            <CopyButton text={settings.publishable_key} what="publishable key" />
          </div>
        </>
      ) : (
        <p>No publishable key yet.</p>
      )}
      <button type="button" disabled={busy} onClick={() => void rotate()}>
        {settings.publishable_key ? 'Rotate publishable key' : 'Create publishable key'}
      </button>
    </section>
  );
}

function PixelForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [provider, setProvider] = useState<PixelProvider>('meta');
  const [value, setValue] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const custom = provider === 'custom';
  const add = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await pixels.create({ name: name.trim(), provider, ...(custom ? { script_url: value.trim() } : { pixel_id: value.trim() }) });
      toast(`Pixel ${name.trim()} added`);
      setName('');
      setValue('');
      onCreated();
    } catch (caught) {
      if (caught instanceof ApiError && caught.details.length) {
        const byField = caught.fieldErrors(['name', 'provider', 'pixel_id', 'script_url']);
        setErrors({ ...byField, value: [byField.pixel_id, byField.script_url].filter(Boolean).join(' ') });
      } else setErrors({ '': errorText(caught) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inline-form" onSubmit={add} noValidate aria-label="New pixel">
      <Field id="pixel-name" label="Pixel name" error={errors.name}>
        <input {...describe('pixel-name', errors.name)} value={name} maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field id="pixel-provider" label="Provider" error={errors.provider}>
        <select {...describe('pixel-provider', errors.provider)} value={provider} onChange={(e) => setProvider(e.currentTarget.value as PixelProvider)}>
          {PIXEL_PROVIDERS.map((p) => (
            <option value={p} key={p}>
              {PROVIDER_LABELS[p]}
            </option>
          ))}
        </select>
      </Field>
      <Field id="pixel-value" label={custom ? 'Script URL' : 'Pixel id'} error={errors.value} hint={custom ? 'https:// on a host the operator allows' : ID_HINTS[provider]}>
        <input {...describe('pixel-value', errors.value, 'x')} value={value} onInput={(e) => setValue(e.currentTarget.value)} autocomplete="off" />
      </Field>
      <button type="submit" disabled={busy}>
        Add pixel
      </button>
      <FormError message={errors['']} />
    </form>
  );
}

/** Conversion tracking settings (admins) and retargeting pixels, attached to links in the link form. */
export default function Conversions() {
  const app = useApp();
  const list = useResource(() => pixels.list());
  const settings = useResource(() => (app.isAdmin ? conversionSettings.get() : Promise.resolve(null)));
  const [deleting, setDeleting] = useState<Pixel | null>(null);
  const [rotated, setRotated] = useState(false);
  return (
    <>
      <PageHead title="Conversions and pixels" />
      {app.isAdmin &&
        (settings.error ? (
          <LoadError message={settings.error} retry={settings.reload} />
        ) : !settings.data ? (
          <Loading rows={4} />
        ) : (
          <SettingsForm key={settings.data.updated_at ?? 'new'} settings={settings.data} onSaved={settings.setData} fresh={rotated} onRotated={() => setRotated(true)} />
        ))}
      <section class="card" aria-labelledby="pixels-title">
        <h2 id="pixels-title">Retargeting pixels</h2>
        <p class="muted">A link with pixels loads them on a short page before forwarding (not for visitors asking not to be tracked). Attach them in the link form.</p>
        {list.error ? (
          <LoadError message={list.error} retry={list.reload} />
        ) : !list.data ? (
          <Loading rows={2} />
        ) : list.data.data.length === 0 ? (
          <p class="muted">No pixels yet.</p>
        ) : (
          <TableRegion label="Pixels" columns={['Name', 'Provider', 'Id or script', '']}>
            {list.data.data.map((pixel) => (
              <tr key={pixel.id}>
                <th scope="row">{pixel.name}</th>
                <td>{PROVIDER_LABELS[pixel.provider]}</td>
                <td class="mono">{pixel.pixel_id ?? pixel.script_url}</td>
                <td class="actions">
                  {app.canWrite && (
                    <button type="button" class="small danger" onClick={() => setDeleting(pixel)}>
                      Delete<span class="visually-hidden"> pixel {pixel.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </TableRegion>
        )}
        {app.canWrite && <PixelForm onCreated={list.reload} />}
      </section>
      {deleting && (
        <Confirm
          title={`Delete pixel ${deleting.name}?`}
          action="Delete pixel"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await pixels.remove(deleting.id);
            toast(`Pixel ${deleting.name} deleted`);
            list.reload();
          }}
        >
          <p>Links using it stop loading it.</p>
        </Confirm>
      )}
    </>
  );
}
