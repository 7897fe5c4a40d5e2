import path from 'node:path';
import { AccountService } from '../accounts/accounts';
import { InvitationMailer } from '../accounts/invitation-mail';
import { OidcLogin } from '../accounts/oidc';
import { LoginLimits } from '../accounts/login-limits';
import { SessionService } from '../accounts/sessions';
import { DashboardServer } from '../dashboard-server/static';
import type { MemberService } from '../domain/members';
import { AccountTokenStore, SessionStore, UserStore } from '../store/accounts';
import { RedisSessionStore } from '../store/redis-sessions';
import { WorkspaceStore } from '../store/workspaces';
import { packageRoot } from '../support/package-info';
import { PeriodicTask } from '../support/periodic-task';
import { SessionAuth } from '../web/sessions';
import type { Foundation } from './foundation';
import type { RateLimiting } from './ratelimit';

/** Failed sign-ins allowed per account in 15 minutes. */
const LOGIN_FAILURES_PER_ACCOUNT = 10;
const PRUNE_EVERY_MS = 3_600_000;

export interface AccountParts {
  /** Users, sessions, one-time tokens (setup, invitations, resets). */
  accounts: AccountService;
  /** Authenticates /api/v1 requests by the dashboard session cookie (CSRF included). */
  sessionAuth: SessionAuth;
  /** Mails invitation links when `MASK_SMTP_URL` is set. */
  invitationMail: InvitationMailer;
  /** OpenID Connect single sign-on, when `MASK_OIDC_*` are set. */
  oidc: OidcLogin | null;
  /** The built dashboard client, served under `MASK_DASHBOARD_PATH`. */
  dashboard: DashboardServer;
}

/** Dashboard accounts and sessions; removing a member ends the sessions of its user. */
export function wireAccounts(
  { config, db, transactions, clock, logger, lifecycle, secret, redis }: Foundation,
  { limiter, apiLimiter }: RateLimiting,
  members: MemberService,
): AccountParts {
  // With Redis, sessions are shared there (and expire there by themselves); else they are rows of user_sessions.
  const sessionStore = redis ? new RedisSessionStore(redis, `${config.redisPrefix}sessions:`, config.sessionIdle) : new SessionStore(db);
  const sessions = new SessionService(sessionStore, clock, { idleMs: config.sessionIdle, maxAgeMs: config.sessionMaxAge }, secret);
  const loginLimits = new LoginLimits(limiter, { perAccount: LOGIN_FAILURES_PER_ACCOUNT, perAddressPerMinute: config.authFailuresPerMinute });
  const accounts = new AccountService(
    transactions,
    clock,
    { users: new UserStore(db), tokens: new AccountTokenStore(db), workspaces: new WorkspaceStore(db) },
    sessions,
    loginLimits,
  );
  members.onRemoved(({ userId }) => accounts.memberRemoved(userId));
  const pruning = new PeriodicTask(() => sessions.prune(), {
    everyMs: PRUNE_EVERY_MS,
    firstMs: 60_000,
    onError: (error) => logger.warn({ err: error }, 'pruning expired sessions failed'),
  });
  lifecycle.onStart(() => pruning.start());
  lifecycle.onClose(() => pruning.close());
  const invitationMail = new InvitationMailer({ url: config.smtpUrl, from: config.smtpFrom }, logger);
  lifecycle.onClose(() => invitationMail.close());
  const dir = config.dashboardDir ?? path.join(packageRoot() ?? process.cwd(), 'dist', 'dashboard');
  return {
    accounts,
    invitationMail,
    oidc:
      config.oidcIssuer && config.oidcClientId && config.oidcClientSecret
        ? new OidcLogin({ issuer: config.oidcIssuer, clientId: config.oidcClientId, clientSecret: config.oidcClientSecret, allowedDomains: config.oidcAllowedDomains, label: config.oidcLabel }, secret, clock)
        : null,
    sessionAuth: new SessionAuth({ accounts, apiLimiter, perMinute: config.rateLimitPerMinute, clock }),
    dashboard: new DashboardServer({ mountPath: config.dashboardPath, dir }),
  };
}
