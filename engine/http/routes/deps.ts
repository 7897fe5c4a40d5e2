import type { SecretRef } from '../../domain/engine-secret';
import type { AccountService } from '../../accounts/accounts';
import type { InvitationMailer } from '../../accounts/invitation-mail';
import type { OidcLogin } from '../../accounts/oidc';
import type { Analytics } from '../../analytics/analytics';
import type { EngineConfig } from '../../config';
import type { AuditLogs } from '../../domain/audit-logs';
import type { CustomDomainService } from '../../domain/custom-domains';
import type { GuestLinkService } from '../../domain/guest-links/service';
import type { KeyService } from '../../domain/keys';
import type { LinkService } from '../../domain/links/service';
import type { LinkBulkOperations } from '../../domain/links/bulk';
import type { ImportService } from '../../domain/imports/service';
import type { ExportJobs } from '../../domain/exports/jobs';
import type { LinksExport } from '../../domain/exports/links-export';
import type { MemberService } from '../../domain/members';
import type { PageService } from '../../domain/pages/service';
import type { DeepLinkService } from '../../domain/routing/deep-links';
import type { RuleService } from '../../domain/routing/rule-service';
import type { QrRenderer } from '../../domain/qr/renderer';
import type { WorkspaceSettings } from '../../domain/workspace-settings';
import type { WorkspaceService } from '../../domain/workspaces';
import type { Paginator } from '../../store/pagination';
import type { Clock } from '../../support/time';
import type { UsageReports } from '../../usage/report';
import type { Webhooks } from '../../webhooks/webhooks';
import type { Conversions } from '../../domain/conversions/conversions';
import type { CampaignService } from '../../domain/organization/campaigns';
import type { FolderService } from '../../domain/organization/folders';
import type { PixelService } from '../../domain/organization/pixels';
import type { UtmTemplateService } from '../../domain/organization/utm-templates';

/** What the API routes are built from: the domain services, never their stores or connections. */
export interface ApiServices {
  config: EngineConfig;
  /** The engine secret (custom domain checks). */
  secret: SecretRef;
  clock: Clock;
  paginator: Paginator;
  workspaces: WorkspaceService;
  keys: KeyService;
  members: MemberService;
  domains: CustomDomainService;
  workspaceSettings: WorkspaceSettings;
  auditLogs: AuditLogs;
  links: LinkService;
  /** Keyless, short-lived links (MASK_GUEST_LINKS). */
  guestLinks: GuestLinkService;
  /** Upsert, bulk update and bulk delete. */
  linkBulk: LinkBulkOperations;
  /** Import jobs from other shorteners' export files. */
  imports: ImportService;
  linksExport: LinksExport;
  exportJobs: ExportJobs;
  /** Smart routing: links' rules, domains' deep-link files. */
  rules: RuleService;
  deepLinks: DeepLinkService;
  pages: PageService;
  qr: QrRenderer;
  analytics: Analytics;
  usageReports: UsageReports;
  webhooks: Webhooks;
  /** Dashboard accounts, sessions and invitations. */
  accounts: AccountService;
  /** Mails invitation links when SMTP is configured. */
  invitationMail: InvitationMailer;
  /** OpenID Connect single sign-on; null unless configured. */
  oidc: OidcLogin | null;
  folders: FolderService;
  campaigns: CampaignService;
  utmTemplates: UtmTemplateService;
  pixels: PixelService;
  conversions: Conversions;
}
