import type { Request, Response } from 'express';
import { z } from 'zod/v4';
import type { AccountService, SignedIn } from '../../accounts/accounts';
import type { SessionRow } from '../../store/accounts';
import {
  acceptInvitationBody,
  changePasswordBody,
  createdInvitation,
  createInvitationBody,
  invitationList,
  invitationParams,
  invitationPreview,
  loginBody,
  oidcStatus,
  sessionBody,
  sessionList,
  sessionParams,
  setupBody,
  setupCheck,
  setupQuery,
} from '../../contracts/auth';
import { notFound } from '../../support/errors';
import { OIDC_FLOW_TTL_MS } from '../../accounts/oidc';
import { toIso } from '../../support/time';
import { clearSessionCookie, clientMeta, readSessionCookie, writeSessionCookie } from '../../web/sessions';
import type { ApiServices } from './deps';
import { defineRoute } from '../route';

const TAG = 'Dashboard sessions';
const OIDC_COOKIE = 'mask_oidc';
const tokenParam = z.strictObject({ token: z.string().max(200) });

/** This request's own origin (behind a proxy, as TRUST_PROXY lets Express read it): where the links point. */
const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** What the sign-in routes and GET /auth/session answer. */
async function sessionView(accounts: AccountService, user: { id: string; email: string; name: string }, session: SessionRow) {
  const memberships = await accounts.membershipsOf(user.id);
  const chosen = memberships[0];
  return {
    user: { id: user.id, email: user.email, name: user.name },
    workspaces: memberships.map((m) => ({ id: m.workspaceId, name: m.workspaceName, role: m.role })),
    workspace_id: chosen?.workspaceId ?? null,
    csrf_token: accounts.sessions.csrfToken(session),
  };
}

/** Sets the new session's cookie; a session the browser presented before is ended (no fixation, rotated at sign-in). */
async function signIn(accounts: AccountService, req: Request, res: Response, signedIn: SignedIn) {
  const previous = readSessionCookie(req);
  if (previous) await accounts.sessions.end(previous);
  writeSessionCookie(req, res, signedIn.token, accounts.sessions.maxAgeMs);
  res.setHeader('Cache-Control', 'no-store');
  return sessionView(accounts, signedIn.user, signedIn.session);
}

const serializeInvitation = (i: { id: string; email: string; role: string; createdAt: Date; expiresAt: Date }) => ({
  id: i.id,
  email: i.email,
  role: i.role as 'admin' | 'member' | 'viewer',
  created_at: toIso(i.createdAt) as string,
  expires_at: toIso(i.expiresAt) as string,
});

/** An issued invitation as the API answers it: its one-time link, mailed to the invitee when mail is set up. */
async function invitationAnswer(
  { accounts, config, invitationMail }: Pick<ApiServices, 'accounts' | 'config' | 'invitationMail'>,
  { invitation, token }: Awaited<ReturnType<AccountService['invite']>>,
  actor: { workspaceId: string },
  req: Request,
) {
  const url = `${originOf(req)}${config.dashboardPath}/invite/${token}`;
  let mailed = false;
  if (invitationMail.enabled) {
    const workspaceName = (await accounts.invitationInfo(token))?.workspaceName ?? actor.workspaceId;
    mailed = await invitationMail.send({ to: invitation.email, url, workspaceName, role: invitation.role, expiresAt: invitation.expiresAt });
  }
  return { ...serializeInvitation(invitation), url, mailed };
}

/**
 * The dashboard's sign-in routes (public, limited per address) and its session management (a session only), plus
 * invitations (admin, with a key or a session).
 */
export const authRoutes = ({ accounts, config, invitationMail, oidc }: ApiServices) => [
  defineRoute({
    method: 'get',
    path: '/auth/session',
    access: 'session',
    scope: null,
    tag: TAG,
    summary: 'The signed-in user, their workspaces and the CSRF token',
    description: 'X-Mask-Workspace picks the workspace (default: the first membership). 401 when not signed in.',
    response: sessionBody,
    async handler({ session, res }) {
      const principal = session as NonNullable<typeof session>;
      res.setHeader('Cache-Control', 'no-store');
      const memberships = await accounts.membershipsOf(principal.userId);
      return {
        user: { id: principal.userId, email: principal.email, name: principal.name },
        workspaces: memberships.map((m) => ({ id: m.workspaceId, name: m.workspaceName, role: m.role })),
        workspace_id: principal.workspaceId,
        csrf_token: principal.csrfToken,
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/login',
    access: 'public',
    scope: null,
    tag: TAG,
    summary: 'Sign in with email and password',
    description: 'Sets the session cookie. Failed attempts are limited per account and per client address (429).',
    body: loginBody,
    response: sessionBody,
    async handler({ body, req, res }) {
      return signIn(accounts, req, res, await accounts.login(body.email, body.password, clientMeta(req)));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/logout',
    access: 'session',
    scope: null,
    tag: TAG,
    summary: 'Sign out: end this session',
    status: 204,
    async handler({ req, res }) {
      const token = readSessionCookie(req);
      if (token) await accounts.sessions.end(token);
      clearSessionCookie(req, res);
      return undefined;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/setup',
    access: 'public',
    scope: null,
    tag: TAG,
    summary: 'Check a setup (or password reset) link',
    description: '404 when the token is unknown, used, revoked or expired.',
    query: setupQuery,
    response: setupCheck,
    async handler({ query }) {
      const row = await accounts.usableToken(query.token, ['setup', 'password_reset']);
      if (!row) throw notFound('Setup link');
      return { valid: true as const, kind: row.kind as 'setup' | 'password_reset' };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/setup',
    access: 'public',
    scope: null,
    tag: TAG,
    summary: 'Create the owner account from the first-start link (or set a password from a reset link), and sign in',
    body: setupBody,
    response: sessionBody,
    async handler({ body, req, res }) {
      const signedIn = await accounts.setup(body.token, { email: body.email, name: body.name, password: body.password }, clientMeta(req));
      return signIn(accounts, req, res, signedIn);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/invitations/:token',
    access: 'public',
    scope: null,
    tag: TAG,
    summary: 'What an invitation link invites to',
    params: tokenParam,
    response: invitationPreview,
    async handler({ params }) {
      const info = await accounts.invitationInfo(params.token);
      if (!info) throw notFound('Invitation');
      return { email: info.email, workspace_name: info.workspaceName, role: info.role };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/invitations/:token/accept',
    access: 'public',
    scope: null,
    tag: TAG,
    summary: 'Accept an invitation: create the account (or join with an existing one) and sign in',
    params: tokenParam,
    body: acceptInvitationBody,
    response: sessionBody,
    async handler({ params, body, req, res }) {
      return signIn(accounts, req, res, await accounts.acceptInvitation(params.token, body, clientMeta(req)));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/sessions',
    access: 'session',
    scope: null,
    tag: TAG,
    summary: "The signed-in user's sessions, newest first",
    response: sessionList,
    async handler({ session }) {
      const principal = session as NonNullable<typeof session>;
      const rows = await accounts.sessions.list(principal.userId);
      return {
        data: rows.map((row) => ({
          id: row.id,
          created_at: toIso(row.created_at) as string,
          last_seen_at: toIso(row.last_seen_at) as string,
          user_agent: row.user_agent,
          ip: row.ip,
          current: row.id === principal.sessionId,
        })),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/sessions/revoke-others',
    access: 'session',
    scope: null,
    tag: TAG,
    summary: 'Sign out everywhere else: end every other session of the user',
    status: 204,
    async handler({ session }) {
      const principal = session as NonNullable<typeof session>;
      await accounts.sessions.revokeAll(principal.userId, principal.sessionId);
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/password',
    access: 'session',
    scope: null,
    tag: TAG,
    summary: 'Change your password',
    description:
      'Needs the current password (422 at `current_password` otherwise; wrong guesses count against the sign-in limits, then 429). Every other session of the account ends; this one stays.',
    body: changePasswordBody,
    status: 204,
    async handler({ body, session, req }) {
      const principal = session as NonNullable<typeof session>;
      await accounts.changePassword(principal.userId, principal.sessionId, body.current_password, body.new_password, clientMeta(req).address);
      return undefined;
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/auth/sessions/:id',
    access: 'session',
    scope: null,
    tag: TAG,
    summary: 'End one of your sessions',
    params: sessionParams,
    status: 204,
    async handler({ params, session, req, res }) {
      const principal = session as NonNullable<typeof session>;
      if (!(await accounts.sessions.revoke(principal.userId, params.id))) throw notFound('Session');
      if (params.id === principal.sessionId) clearSessionCookie(req, res);
      return undefined;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/oidc',
    access: 'public',
    scope: null,
    tag: TAG,
    summary: 'Whether single sign-on (OIDC) is configured',
    response: oidcStatus,
    async handler() {
      return oidc ? { enabled: true, label: oidc.settings.label } : { enabled: false };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/oidc/start',
    access: 'public',
    scope: null,
    tag: TAG,
    summary: 'Start single sign-on: a redirect to the identity provider',
    description: 'Authorization code flow with PKCE, state and nonce, remembered for 10 minutes in a signed `mask_oidc` cookie. 404 unless OIDC is configured.',
    status: 302,
    async handler({ req, res }) {
      if (!oidc) throw notFound('Single sign-on');
      const { url, cookie } = await oidc.start(`${originOf(req)}/api/v1/auth/oidc/callback`);
      res.cookie(OIDC_COOKIE, cookie, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/api/v1/auth/oidc', maxAge: OIDC_FLOW_TTL_MS });
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, url);
      return undefined;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/oidc/callback',
    access: 'public',
    scope: null,
    tag: TAG,
    summary: 'Where the identity provider returns: signs in the account with the verified email and redirects to the dashboard',
    description:
      'Signs in the account whose email the provider verified (in `MASK_OIDC_ALLOWED_DOMAINS` when set). Pending invitations to that email are accepted first: the invited person joins each inviting workspace with the invited role, and an account is created for them if they have none. Without an account or an invitation nothing is created. Any refusal redirects to the dashboard sign-in page with `?sso_error=…`.',
    status: 302,
    async handler({ req, res }) {
      if (!oidc) throw notFound('Single sign-on');
      const cookie = (req.get('cookie') ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${OIDC_COOKIE}=`))?.slice(OIDC_COOKIE.length + 1);
      res.clearCookie(OIDC_COOKIE, { path: '/api/v1/auth/oidc' });
      res.setHeader('Cache-Control', 'no-store');
      const failed = (code: string) => res.redirect(302, `${config.dashboardPath}/login?sso_error=${code}`);
      let email: string;
      let name: string | null;
      try {
        ({ email, name } = await oidc.finish(new URL(req.originalUrl, originOf(req)), cookie));
      } catch {
        failed('refused');
        return undefined;
      }
      const signedIn = await accounts.signInVerified(email, clientMeta(req), name);
      if (!signedIn) {
        failed('no_account');
        return undefined;
      }
      await signIn(accounts, req, res, signedIn);
      res.redirect(302, `${config.dashboardPath}/`);
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/invitations',
    scope: 'admin',
    tag: 'Invitations',
    summary: 'Invite someone by email to the workspace',
    description:
      'Answers the one-time invitation link (valid 7 days), shown only here. With `MASK_SMTP_URL` set it is also mailed to the invitee; `mailed` says whether the mail server took it (a failure is logged and never loses the invitation).',
    body: createInvitationBody,
    response: createdInvitation,
    status: 201,
    async handler({ body, actor, req }) {
      return invitationAnswer({ accounts, config, invitationMail }, await accounts.invite(actor, body), actor, req);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/invitations/:id/resend',
    scope: 'admin',
    tag: 'Invitations',
    summary: 'Send a pending invitation again',
    description:
      'The same invitation (id, email, role) gets a new one-time link, valid 7 days from now, answered as on creation and mailed again with `MASK_SMTP_URL`; the previous link stops working. Also for an expired invitation; a used or revoked one is a 404. Audited as `invitation.resent`.',
    params: invitationParams,
    response: createdInvitation,
    async handler({ params, actor, req }) {
      return invitationAnswer({ accounts, config, invitationMail }, await accounts.resendInvitation(actor, params.id), actor, req);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/invitations',
    scope: 'admin',
    tag: 'Invitations',
    summary: 'Pending invitations of the workspace, newest first',
    response: invitationList,
    async handler({ actor }) {
      return { data: (await accounts.invitations(actor.workspaceId)).map(serializeInvitation) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/invitations/:id',
    scope: 'admin',
    tag: 'Invitations',
    summary: 'Revoke a pending invitation',
    params: invitationParams,
    status: 204,
    async handler({ params, actor }) {
      await accounts.revokeInvitation(actor, params.id);
      return undefined;
    },
  }),
];
