/**
 * Endpoints and shapes of folders, campaigns, UTM templates, pixels and conversion settings. Loaded only with the
 * screens and panels that use them.
 */
import { id, json, type Page } from './api';

export interface Folder {
  id: string;
  name: string;
  parent_id: string | null;
  created_at: string;
  updated_at: string;
}

export const UTM_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
export type UtmField = (typeof UTM_FIELDS)[number];
export type Utm = Record<UtmField, string | null>;

export interface Campaign extends Utm {
  id: string;
  name: string;
  description: string | null;
  starts_at: string | null;
  ends_at: string | null;
  created_at: string;
  updated_at: string;
}

export type CampaignInput = Partial<Utm> & { name?: string; description?: string | null; starts_at?: string | null; ends_at?: string | null };

export interface UtmTemplate extends Utm {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export const PIXEL_PROVIDERS = ['meta', 'google_ads', 'linkedin', 'tiktok', 'custom'] as const;
export type PixelProvider = (typeof PIXEL_PROVIDERS)[number];

export interface Pixel {
  id: string;
  name: string;
  provider: PixelProvider;
  pixel_id: string | null;
  script_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConversionCounts {
  clicks: number;
  unique_visitors: number;
  leads: number;
  sales: number;
  revenue: Record<string, number>;
}

export interface ConversionReport<Item> {
  interval: 'hour' | 'day' | 'week' | 'month';
  timezone: string;
  start: string;
  end: string;
  totals: ConversionCounts;
  data: Item[];
}

export interface ConversionSettings {
  track_conversions: boolean;
  click_id_param: string;
  attribution_window_days: number;
  allowed_origins: string[];
  publishable_key: string | null;
  updated_at: string | null;
}

const all = <T>(path: string) => json<Page<T>>('GET', path, { query: { limit: 100 } });

export const folders = {
  list: () => all<Folder>('/folders'),
  create: (body: { name: string; parent_id?: string | null }) => json<Folder>('POST', '/folders', { body }),
  remove: (folderId: string, moveLinks: boolean) => json<unknown>('DELETE', `/folders/${id(folderId)}`, { query: moveLinks ? { move_links: 'true' } : {} }),
};

export const campaigns = {
  list: () => all<Campaign>('/campaigns'),
  get: (campaignId: string) => json<Campaign>('GET', `/campaigns/${id(campaignId)}`),
  create: (body: CampaignInput) => json<Campaign>('POST', '/campaigns', { body }),
  update: (campaignId: string, body: CampaignInput) => json<Campaign>('PATCH', `/campaigns/${id(campaignId)}`, { body }),
  remove: (campaignId: string) => json<unknown>('DELETE', `/campaigns/${id(campaignId)}`),
  series: (campaignId: string, query: { start: string; end: string; timezone: string; interval: string }) =>
    json<ConversionReport<ConversionCounts & { start: string }>>('GET', `/campaigns/${id(campaignId)}/analytics`, { query: { ...query, group_by: 'timeseries' } }),
  byLink: (campaignId: string, query: { start: string; end: string; timezone: string }) =>
    json<ConversionReport<ConversionCounts & { value: string | null }>>('GET', `/campaigns/${id(campaignId)}/analytics`, { query: { ...query, group_by: 'link', limit: 20 } }),
};

export const utmTemplates = {
  list: () => all<UtmTemplate>('/utm-templates'),
  create: (body: Partial<Utm> & { name: string }) => json<UtmTemplate>('POST', '/utm-templates', { body }),
  remove: (templateId: string) => json<unknown>('DELETE', `/utm-templates/${id(templateId)}`),
};

export const pixels = {
  list: () => all<Pixel>('/pixels'),
  create: (body: { name: string; provider: PixelProvider; pixel_id?: string | null; script_url?: string | null }) => json<Pixel>('POST', '/pixels', { body }),
  remove: (pixelId: string) => json<unknown>('DELETE', `/pixels/${id(pixelId)}`),
};

export const conversionSettings = {
  get: () => json<ConversionSettings>('GET', '/conversions/settings'),
  update: (body: Partial<Omit<ConversionSettings, 'publishable_key' | 'updated_at'>>) => json<ConversionSettings>('PATCH', '/conversions/settings', { body }),
  rotateKey: () => json<ConversionSettings>('POST', '/conversions/settings/publishable-key'),
};
