import type { SecretRef } from '../../domain/engine-secret';
import type { AccountService } from '../../accounts/accounts';
import type { InvitationMailer } from '../../accounts/invitation-mail';
import type { OidcLogin } from '../../accounts/oidc';
import type { Analytics } from '../../analytics/analytics';
import type { EngineConfig } from '../../config';
import type { AuditLogs } from '../../domain/audit-logs';
import type { CustomDomainService } from '../../domain/custom-domains';
import type { KeyService } from '../../domain/keys';
import type { LinkService } from '../../domain/links/service';
import type { MemberService } from '../../domain/members';
import type { PageService } from '../../domain/pages/service';
import type { QrRenderer } from '../../domain/qr/renderer';
import type { WorkspaceSettings } from '../../domain/workspace-settings';
import type { WorkspaceService } from '../../domain/workspaces';
import type { Paginator } from '../../store/pagination';
import type { Clock } from '../../support/time';
import type { UsageReports } from '../../usage/report';
import type { Webhooks } from '../../webhooks/webhooks';

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
}
