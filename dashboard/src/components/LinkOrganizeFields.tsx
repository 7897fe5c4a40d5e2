import { useEffect, useState } from 'preact/hooks';
import type { Link, LinkInput } from '../api';
import { campaigns, folders, pixels, utmTemplates, type Campaign, type Folder, type Pixel, type UtmTemplate } from '../api-organize';
import { describe, Field } from './Field';

export type OrganizeInput = Pick<LinkInput, 'folder_id' | 'campaign_id' | 'utm_template_id' | 'pixel_ids'>;

interface Choices {
  folders: Folder[];
  campaigns: Campaign[];
  templates: UtmTemplate[];
  pixels: Pixel[];
}

const settled = <T,>(result: PromiseSettledResult<{ data: T[] }>): T[] => (result.status === 'fulfilled' ? result.value.data : []);

/**
 * Folder, campaign, UTM template (new links only: the API fills the UTM fields left empty from it) and pixels of a
 * link. Its own chunk, loaded with the form. `value` holds only what the person changed.
 */
export default function LinkOrganizeFields({ link, value, onChange, errors }: { link?: Link; value: OrganizeInput; onChange: (value: OrganizeInput) => void; errors: Record<string, string> }) {
  const [choices, setChoices] = useState<Choices | null>(null);
  useEffect(() => {
    Promise.allSettled([folders.list(), campaigns.list(), link ? Promise.resolve({ data: [] }) : utmTemplates.list(), pixels.list()]).then(([f, c, t, p]) =>
      setChoices({ folders: settled(f), campaigns: settled(c), templates: settled(t as PromiseSettledResult<{ data: UtmTemplate[] }>), pixels: settled(p) }),
    );
  }, []);
  if (!choices) return <p class="muted">Loading folders and campaigns…</p>;

  const folderId = value.folder_id !== undefined ? value.folder_id : (link?.folder_id ?? null);
  const campaignId = value.campaign_id !== undefined ? value.campaign_id : (link?.campaign_id ?? null);
  const pixelIds = value.pixel_ids ?? link?.pixel_ids ?? [];
  const tops = choices.folders.filter((f) => !f.parent_id);
  return (
    <>
      <div class="grid-2">
        <Field id="link-folder_id" label="Folder" error={errors.folder_id}>
          <select {...describe('link-folder_id', errors.folder_id)} value={folderId ?? ''} onChange={(e) => onChange({ ...value, folder_id: e.currentTarget.value || null })}>
            <option value="">No folder</option>
            {tops.flatMap((top) => [
              <option value={top.id} key={top.id}>
                {top.name}
              </option>,
              ...choices.folders
                .filter((f) => f.parent_id === top.id)
                .map((sub) => (
                  <option value={sub.id} key={sub.id}>
                    {`${top.name} / ${sub.name}`}
                  </option>
                )),
            ])}
          </select>
        </Field>
        <Field id="link-campaign_id" label="Campaign" error={errors.campaign_id} hint="A new link in a campaign takes the campaign’s UTM values where its own are empty.">
          <select {...describe('link-campaign_id', errors.campaign_id, 'x')} value={campaignId ?? ''} onChange={(e) => onChange({ ...value, campaign_id: e.currentTarget.value || null })}>
            <option value="">No campaign</option>
            {choices.campaigns.map((campaign) => (
              <option value={campaign.id} key={campaign.id}>
                {campaign.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {!link && choices.templates.length > 0 && (
        <Field id="link-utm_template_id" label="UTM template" error={errors.utm_template_id} hint="Fills the UTM fields you leave empty.">
          <select
            {...describe('link-utm_template_id', errors.utm_template_id, 'x')}
            value={value.utm_template_id ?? ''}
            onChange={(e) => onChange({ ...value, utm_template_id: e.currentTarget.value || undefined })}
          >
            <option value="">None</option>
            {choices.templates.map((template) => (
              <option value={template.id} key={template.id}>
                {template.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      {choices.pixels.length > 0 && (
        <fieldset>
          <legend>Retargeting pixels</legend>
          <div class="scope-grid">
            {choices.pixels.map((pixel) => (
              <label class="check" key={pixel.id}>
                <input
                  type="checkbox"
                  checked={pixelIds.includes(pixel.id)}
                  onChange={(e) => onChange({ ...value, pixel_ids: e.currentTarget.checked ? [...pixelIds, pixel.id] : pixelIds.filter((p) => p !== pixel.id) })}
                />
                <span>
                  {pixel.name} <span class="muted">({pixel.provider})</span>
                </span>
              </label>
            ))}
          </div>
          {errors.pixel_ids && (
            <p class="field-error" id="link-pixel_ids-error">
              {errors.pixel_ids}
            </p>
          )}
        </fieldset>
      )}
    </>
  );
}
