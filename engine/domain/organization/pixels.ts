import type { LinkOrganizationStore } from '../../store/link-organization';
import type { OwnedRecords, OwnedRow } from '../../store/owned-records';
import { parseJson } from '../../store/db';
import { validationError } from '../../support/errors';
import { toIso } from '../../support/time';
import type { Actor } from '../actor';
import type { LinkChanges } from '../link-changes';
import type { LinkChangeRecorder } from '../links/service';
import { OwnedRecordService, type RecordDeps } from './records';

export const PIXEL_PROVIDERS = ['meta', 'google_ads', 'linkedin', 'tiktok', 'custom'] as const;
export type PixelProvider = (typeof PIXEL_PROVIDERS)[number];

/** What each provider's pixel id looks like. */
export const PIXEL_ID_FORMATS: Record<Exclude<PixelProvider, 'custom'>, { pattern: RegExp; example: string }> = {
  meta: { pattern: /^\d{5,20}$/, example: '1234567890123456' },
  google_ads: { pattern: /^AW-\d{5,15}$/, example: 'AW-123456789' },
  linkedin: { pattern: /^\d{3,12}$/, example: '1234567' },
  tiktok: { pattern: /^[A-Z0-9]{10,30}$/, example: 'C4A1B2C3D4E5F6G7H8I9' },
};

export interface PixelRow extends OwnedRow {
  name: string;
  provider: PixelProvider;
  pixel_id: string | null;
  script_url: string | null;
}

export interface PublicPixel extends Record<string, unknown> {
  id: string;
  name: string;
  provider: PixelProvider;
  pixel_id: string | null;
  script_url: string | null;
  created_at: string;
  updated_at: string;
}

export const serializePixel = (row: PixelRow): PublicPixel => ({
  id: row.id,
  name: row.name,
  provider: row.provider,
  pixel_id: row.pixel_id,
  script_url: row.script_url,
  created_at: toIso(row.created_at) as string,
  updated_at: toIso(row.updated_at) as string,
});

/**
 * Whether `url` may be loaded as a custom pixel script: https (or http where the instance allows it) on a host of
 * the operator's allow-list (MASK_PIXEL_SCRIPT_HOSTS, host or host:port). Answers the problem, or null.
 */
export function scriptUrlProblem(url: string, allowedHosts: readonly string[], allowHttp: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Must be an absolute URL';
  }
  if (parsed.protocol !== 'https:' && !(allowHttp && parsed.protocol === 'http:')) return allowHttp ? 'Must be an http(s) URL' : 'Must be an https:// URL';
  if (parsed.username || parsed.password) return 'Must not contain credentials';
  if (!allowedHosts.includes(parsed.host.toLowerCase())) {
    return allowedHosts.length
      ? `The host ${parsed.host} is not on this instance's pixel script allow-list (${allowedHosts.join(', ')})`
      : 'This instance allows no custom pixel scripts (MASK_PIXEL_SCRIPT_HOSTS is empty)';
  }
  return null;
}

/** The fields a pixel needs for its provider: a pixel id in its format, or (custom) a script URL; never both. */
export function pixelProblems(row: Pick<PixelRow, 'provider' | 'pixel_id' | 'script_url'>): Array<{ field: string; message: string }> {
  if (row.provider === 'custom') {
    const problems = [];
    if (!row.script_url) problems.push({ field: 'script_url', message: 'Required for a custom pixel' });
    if (row.pixel_id) problems.push({ field: 'pixel_id', message: 'A custom pixel has a script_url, not a pixel_id' });
    return problems;
  }
  const format = PIXEL_ID_FORMATS[row.provider];
  const problems = [];
  if (row.script_url) problems.push({ field: 'script_url', message: `Only custom pixels have a script_url` });
  if (!row.pixel_id || !format.pattern.test(row.pixel_id)) problems.push({ field: 'pixel_id', message: `Must be a ${row.provider} pixel id such as ${format.example}` });
  return problems;
}

const checked = (row: PixelRow) => {
  const problems = pixelProblems(row);
  if (problems.length) throw validationError(problems);
};

/**
 * Retargeting pixels, attached to links (`pixel_ids`). A change reaches the redirect path at once (the links carrying
 * the pixel are dropped from its cache); a deleted pixel leaves every link.
 */
export class PixelService {
  readonly records: OwnedRecordService<PixelRow, PublicPixel>;

  constructor(
    store: OwnedRecords<PixelRow>,
    private readonly links: LinkOrganizationStore,
    private readonly linkChanges: LinkChanges,
    private readonly changes: LinkChangeRecorder,
    deps: RecordDeps,
  ) {
    this.records = new OwnedRecordService(store, { prefix: 'px', resource: 'pixel', label: 'Pixel', serialize: serializePixel }, deps);
  }

  create(actor: Actor, fields: Omit<PixelRow, keyof OwnedRow>): Promise<PublicPixel> {
    return this.records.create(actor, fields, async (_trx, row) => checked(row));
  }

  async update(actor: Actor, id: string, patch: Partial<Omit<PixelRow, keyof OwnedRow>>): Promise<PublicPixel> {
    const result = await this.records.update(actor, id, patch, async (_trx, row) => checked(row));
    if (result.changed) await this.announce(actor, id);
    return result.record;
  }

  async delete(actor: Actor, id: string): Promise<PublicPixel> {
    const touched: Array<{ id: string; domain: string; slug: string; pixel_ids: string }> = [];
    const pixel = await this.records.delete(actor, id, async (trx, row, at) => {
      for (const link of await this.links.withPixel(actor, row.id, trx)) {
        const left = parseJson<string[]>(link.pixel_ids, []).filter((pixelId) => pixelId !== row.id);
        await this.links.setPixels(trx, link.id, left.length ? JSON.stringify(left) : null, at);
        touched.push(link);
      }
      await this.changes.recordChangedElsewhere(trx, actor, touched.map((link) => ({ id: link.id, before: { pixel_ids: parseJson<string[]>(link.pixel_ids, []) } })), new Date(at));
    });
    for (const link of touched) this.linkChanges.publish({ id: link.id, domain: link.domain, slug: link.slug, kind: 'updated' });
    return pixel;
  }

  private async announce(actor: Actor, pixelId: string): Promise<void> {
    for (const link of await this.links.withPixel(actor, pixelId)) {
      this.linkChanges.publish({ id: link.id, domain: link.domain, slug: link.slug, kind: 'updated' });
    }
  }
}
