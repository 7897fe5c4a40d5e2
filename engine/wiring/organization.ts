import type { Knex } from 'knex';
import { ConversionAnalytics } from '../domain/conversions/analytics';
import { Conversions } from '../domain/conversions/conversions';
import { ConversionSettings } from '../domain/conversions/settings';
import { ConversionTracker } from '../domain/conversions/tracking';
import { CampaignService, type CampaignRow } from '../domain/organization/campaigns';
import { FolderService, type FolderRow } from '../domain/organization/folders';
import type { LinkChangeRecorder } from '../domain/links/service';
import { PixelService, type PixelRow } from '../domain/organization/pixels';
import { UtmTemplateService, type UtmTemplateRow } from '../domain/organization/utm-templates';
import type { Analytics } from '../analytics/analytics';
import type { LinkExtras } from '../redirect/links';
import { ConversionStore } from '../store/conversions';
import { LinkOrganizationStore } from '../store/link-organization';
import { FolderRecords, OwnedRecords } from '../store/owned-records';
import type { Foundation } from './foundation';

export interface OrganizationParts {
  folders: FolderService;
  campaigns: CampaignService;
  utmTemplates: UtmTemplateService;
  pixels: PixelService;
  conversionSettings: ConversionSettings;
  /** What the redirect path reads besides a link's row: its workspace's click-id setting and its pixels. */
  linkExtras: LinkExtras;
}

export interface OrganizationStores {
  folders: FolderRecords<FolderRow>;
  campaigns: OwnedRecords<CampaignRow>;
  templates: OwnedRecords<UtmTemplateRow>;
  pixels: OwnedRecords<PixelRow>;
}

/** The records links refer to; the LinkService checks and fills those references through `new LinkReferences(stores)`. */
export function organizationStores(db: Knex): OrganizationStores {
  return {
    folders: new FolderRecords<FolderRow>(db),
    campaigns: new OwnedRecords<CampaignRow>(db, 'campaigns'),
    templates: new OwnedRecords<UtmTemplateRow>(db, 'utm_templates'),
    pixels: new OwnedRecords<PixelRow>(db, 'pixels'),
  };
}

/**
 * Folders, campaigns, UTM templates and pixels, and the conversion settings the redirect path reads. `linkEvents`
 * audits and announces the links they change in bulk.
 */
export function wireOrganization({ db, transactions, clock, paginator, linkChanges }: Foundation, stores: OrganizationStores, linkEvents: LinkChangeRecorder): OrganizationParts {
  const deps = { transactions, clock, paginator };
  const links = new LinkOrganizationStore(db);
  const conversionSettings = new ConversionSettings(new ConversionStore(db), transactions, clock);
  return {
    folders: new FolderService(stores.folders, links, linkChanges, linkEvents, deps),
    campaigns: new CampaignService(stores.campaigns, links, linkChanges, linkEvents, deps),
    utmTemplates: new UtmTemplateService(stores.templates, deps),
    pixels: new PixelService(stores.pixels, links, linkChanges, linkEvents, deps),
    conversionSettings,
    linkExtras: {
      tracking: (owner) => conversionSettings.get(owner),
      pixels: (owner, ids) => stores.pixels.findMany(owner, ids),
    },
  };
}

/** Lead and sale tracking, and reports of clicks with their conversions. */
export function wireConversions({ db, transactions, clock, outbox }: Foundation, settings: ConversionSettings, analytics: Analytics): Conversions {
  const store = new ConversionStore(db);
  const tracker = new ConversionTracker(store, settings, transactions, clock, outbox, analytics.flushClicks);
  return new Conversions(settings, tracker, new ConversionAnalytics(analytics.queries, store), store);
}
