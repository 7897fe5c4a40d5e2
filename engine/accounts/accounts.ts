import { refuseTestMode, type Actor } from '../domain/actor';
import { recordAudit } from '../domain/audit';
import { ROLES, type Role } from '../domain/members';
import { EmailTaken, type AccountTokenKind, type AccountTokenRow, type AccountTokenStore, type SessionRow, type UserRow, type UserStore } from '../store/accounts';
import type { Transaction, TransactionRunner } from '../store/transactions';
import type { WorkspaceStore } from '../store/workspaces';
import { hashPassword, randomToken, sha256Hex, verifyPassword } from '../support/crypto';
import { ApiError, notFound } from '../support/errors';
import { newId } from '../support/ids';
import type { Clock } from '../support/time';
import { invalidCredentials, type LoginLimits } from './login-limits';
import type { SessionPrincipal } from './principal';
import { scopesOfRole } from './roles';
import type { ClientMeta, SessionService } from './sessions';

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Membership {
  workspaceId: string;
  workspaceName: string;
  role: Role;
}

export interface Invitation {
  id: string;
  workspaceId: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
}

/** A new session: its cookie value (shown once) and what the sign-in routes answer. */
export interface SignedIn {
  token: string;
  session: SessionRow;
  user: User;
}

const HOUR = 3_600_000;
export const TOKEN_LIFETIME: Readonly<Record<AccountTokenKind, number>> = {
  setup: 24 * HOUR,
  invitation: 7 * 24 * HOUR,
  password_reset: 24 * HOUR,
};

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Verified when no user has the email, so an unknown address costs as long as a wrong password. */
let dummyHash: Promise<string> | null = null;

const toUser = (row: UserRow): User => ({ id: row.id, email: row.email, name: row.name });
const toInvitation = (row: AccountTokenRow): Invitation => ({
  id: row.id,
  workspaceId: row.workspace_id as string,
  email: row.email as string,
  role: row.role as Role,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
});
const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

const emailTaken = (email: string) =>
  new ApiError('conflict', `An account with ${email} already exists; sign in instead.`, [{ field: 'email', message: 'Already registered' }]);

/**
 * Dashboard accounts: users with a password, linked to workspace members (a member row's `user_id`), their sign-in,
 * and the one-time tokens that create or recover them (first-start setup, invitations, password resets). Tokens are
 * random, stored only as SHA-256 hashes, single use and short-lived.
 */
export class AccountService {
  private readonly users: UserStore;
  private readonly tokens: AccountTokenStore;
  private readonly workspaces: WorkspaceStore;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    stores: { users: UserStore; tokens: AccountTokenStore; workspaces: WorkspaceStore },
    readonly sessions: SessionService,
    private readonly loginLimits: LoginLimits,
  ) {
    this.users = stores.users;
    this.tokens = stores.tokens;
    this.workspaces = stores.workspaces;
  }

  // --- sign-in -------------------------------------------------------------------------------------------------

  /** Checks email and password (limited per account and address) and opens a new session. */
  async login(email: string, password: string, meta: ClientMeta & { address: string }): Promise<SignedIn> {
    await this.loginLimits.check(email, meta.address);
    const row = await this.users.byEmail(email);
    const stored = row?.password_hash ?? (await (dummyHash ??= hashPassword(randomToken())));
    const matches = await verifyPassword(password, stored);
    if (!row || !row.password_hash || !matches) {
      await this.loginLimits.failed(email, meta.address);
      throw invalidCredentials();
    }
    return this.open(row, meta);
  }

  /**
   * Signs in the account with this email, vouched for by single sign-on (no password). Pending invitations to that
   * email are accepted first, as the invitation link would: the account is created if there is none (without a
   * password; a reset link sets one) and joins each inviting workspace with the invited role. Null when the email has
   * neither an account in a workspace nor an invitation.
   */
  async signInVerified(email: string, meta: ClientMeta, name: string | null = null): Promise<SignedIn | null> {
    const address = email.toLowerCase();
    const existing = await this.users.byEmail(address);
    const account = (await this.acceptInvitationsOf(address, existing, name)) ?? existing;
    if (!account || (await this.membershipsOf(account.id)).length === 0) return null;
    return this.open(account, meta);
  }

  /** Accepts every usable invitation to `email` (the newest one per workspace decides the role); the account, or null without any. */
  private async acceptInvitationsOf(email: string, existing: UserRow | undefined, name: string | null): Promise<UserRow | null> {
    const now = this.clock.now().getTime();
    if ((await this.tokens.invitationsFor(email, now)).length === 0) return null;
    return this.transactions.run(async (trx) => {
      const joined = new Set<string>();
      let account = existing ?? null;
      for (const invitation of await this.tokens.invitationsFor(email, now, trx)) {
        // Another sign-in (or the invitation link) may have used it meanwhile: the token decides, once.
        if (!(await this.tokens.consume(invitation.id, now, trx))) continue;
        const workspaceId = invitation.workspace_id as string;
        if (joined.has(workspaceId)) continue;
        joined.add(workspaceId);
        account ??= await this.insertUser(trx, { email, name: name?.trim().slice(0, 200) || email.slice(0, email.indexOf('@')), passwordHash: null }, now);
        await this.join(trx, account, workspaceId, invitation.role as Role, now);
      }
      return account;
    });
  }

  /** The principal of a live session in the workspace asked for (default: the first membership). */
  async principal(session: SessionRow, csrfToken: string, workspaceId: string | undefined): Promise<SessionPrincipal | null> {
    const user = await this.users.byId(session.user_id);
    if (!user) return null;
    const memberships = await this.membershipsOf(user.id);
    const chosen = workspaceId ? memberships.find((m) => m.workspaceId === workspaceId) : memberships[0];
    if (!chosen) {
      if (memberships.length === 0) throw new ApiError('forbidden', 'Your account is no member of any workspace any more.');
      throw new ApiError('forbidden', `You are no member of workspace ${workspaceId}.`);
    }
    return {
      userId: user.id,
      email: user.email,
      name: user.name,
      sessionId: session.id,
      workspaceId: chosen.workspaceId,
      role: chosen.role,
      scopes: scopesOfRole(chosen.role),
      csrfToken,
    };
  }

  async membershipsOf(userId: string): Promise<Membership[]> {
    const rows = await this.users.memberships(userId);
    return rows.filter((r) => isRole(r.role)).map((r) => ({ workspaceId: r.workspace_id, workspaceName: r.workspace_name, role: r.role as Role }));
  }

  async findUser(id: string): Promise<User | null> {
    const row = await this.users.byId(id);
    return row ? toUser(row) : null;
  }

  // --- one-time tokens -----------------------------------------------------------------------------------------

  /** The first-start link's token: whoever uses it first becomes the workspace's owner. */
  async createSetupToken(workspaceId: string): Promise<{ token: string; expiresAt: Date }> {
    return this.issue({ kind: 'setup', workspace_id: workspaceId, role: 'owner' });
  }

  /** A usable token of one of `kinds`, or null (unknown, used, revoked or expired). */
  async usableToken(token: string, kinds: AccountTokenKind[]): Promise<AccountTokenRow | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const row = await this.tokens.byTokenHash(sha256Hex(token));
    const now = this.clock.now().getTime();
    if (!row || !kinds.includes(row.kind) || row.used_at !== null || row.revoked_at !== null || row.expires_at <= now) return null;
    return row;
  }

  /**
   * Uses a setup or password-reset token: setup creates the owner account (and links or adds its member row); a
   * reset sets the password of the account it was made for (its email must be given) and ends its other sessions.
   */
  async setup(token: string, input: { email: string; name: string; password: string }, meta: ClientMeta): Promise<SignedIn> {
    const row = await this.usableToken(token, ['setup', 'password_reset']);
    if (!row) throw notFound('Setup link');
    const now = this.clock.now().getTime();
    const passwordHash = await hashPassword(input.password);
    const user = await this.transactions.run(async (trx) => {
      if (row.kind === 'password_reset') {
        const existing = await this.users.byId(row.user_id as string, trx);
        if (!existing) throw notFound('Setup link');
        if (existing.email !== input.email) {
          throw new ApiError('validation_error', 'Request failed validation.', [{ field: 'email', message: 'Is not the email of the account this link resets' }]);
        }
        if (!(await this.tokens.consume(row.id, now, trx))) throw notFound('Setup link');
        await this.users.update(existing.id, { name: input.name, password_hash: passwordHash, updated_at: now }, trx);
        return { ...existing, name: input.name, password_hash: passwordHash };
      }
      if (!(await this.tokens.consume(row.id, now, trx))) throw notFound('Setup link');
      const created = await this.insertUser(trx, { email: input.email, name: input.name, passwordHash }, now);
      await this.join(trx, created, row.workspace_id as string, 'owner', now);
      return created;
    });
    // After the commit: sessions may live in Redis, outside the transaction. The new session is opened after it.
    if (row.kind === 'password_reset') await this.sessions.revokeAll(user.id);
    return this.open(user, meta);
  }

  async invite(actor: Actor, input: { email: string; role: Role }): Promise<{ invitation: Invitation; token: string }> {
    refuseTestMode(actor, 'invitations');
    const member = await this.users.memberByEmail(actor.workspaceId, input.email);
    if (member?.user_id) throw new ApiError('conflict', `${input.email} is already a member of this workspace.`, [{ field: 'email', message: 'Already a member' }]);
    const { token, row } = await this.issueRow(
      { kind: 'invitation', workspace_id: actor.workspaceId, email: input.email, role: input.role, created_by_user_id: actor.userId ?? null, created_by_key_id: actor.keyId },
      async (trx, inserted) => {
        await recordAudit(trx, actor, { action: 'invitation.created', resourceType: 'invitation', resourceId: inserted.id, after: { email: input.email, role: input.role } }, new Date(inserted.created_at));
      },
    );
    return { invitation: toInvitation(row), token };
  }

  async invitations(workspaceId: string): Promise<Invitation[]> {
    return (await this.tokens.pendingInvitations(workspaceId, this.clock.now().getTime())).map(toInvitation);
  }

  /**
   * Sends an invitation again: the same invitation (id, email, role) gets a fresh link and a full lifetime from now;
   * the previous link stops working. Audited as `invitation.resent`.
   */
  async resendInvitation(actor: Actor, id: string): Promise<{ invitation: Invitation; token: string }> {
    refuseTestMode(actor, 'invitations');
    const now = this.clock.now();
    const token = randomToken(32);
    const row = await this.transactions.run(async (trx) => {
      const renewed = await this.tokens.renewInvitation(actor.workspaceId, id, { token_hash: sha256Hex(token), expires_at: now.getTime() + TOKEN_LIFETIME.invitation }, trx);
      if (!renewed) throw notFound('Invitation');
      await recordAudit(trx, actor, { action: 'invitation.resent', resourceType: 'invitation', resourceId: id, after: { email: renewed.email, role: renewed.role, expires_at: new Date(renewed.expires_at).toISOString() } }, now);
      return renewed;
    });
    return { invitation: toInvitation(row), token };
  }

  async revokeInvitation(actor: Actor, id: string): Promise<void> {
    refuseTestMode(actor, 'invitations');
    const now = this.clock.now();
    await this.transactions.run(async (trx) => {
      const changed = await this.tokens.revokeInvitation(actor.workspaceId, id, now.getTime(), trx);
      if (!changed) throw notFound('Invitation');
      await recordAudit(trx, actor, { action: 'invitation.revoked', resourceType: 'invitation', resourceId: id }, now);
    });
  }

  /** What an invitation link shows before it is accepted. */
  async invitationInfo(token: string): Promise<{ email: string; workspaceName: string; role: Role } | null> {
    const row = await this.usableToken(token, ['invitation']);
    if (!row) return null;
    const workspaceName = await this.workspaces.nameOf(row.workspace_id);
    if (workspaceName === undefined) return null;
    return { email: row.email as string, workspaceName, role: row.role as Role };
  }

  /**
   * Accepts an invitation: creates the account (or, if the email already has one, checks its password) and makes it
   * a member of the workspace with the invited role, then signs in.
   */
  async acceptInvitation(token: string, input: { name: string; password: string }, meta: ClientMeta & { address: string }): Promise<SignedIn> {
    const row = await this.usableToken(token, ['invitation']);
    if (!row) throw notFound('Invitation');
    const email = row.email as string;
    const existing = await this.users.byEmail(email);
    if (existing?.password_hash) {
      await this.loginLimits.check(email, meta.address);
      if (!(await verifyPassword(input.password, existing.password_hash))) {
        await this.loginLimits.failed(email, meta.address);
        throw new ApiError('unauthorized', `${email} already has an account: enter its password to accept.`);
      }
    }
    const passwordHash = existing?.password_hash ? null : await hashPassword(input.password);
    const now = this.clock.now().getTime();
    const user = await this.transactions.run(async (trx) => {
      if (!(await this.tokens.consume(row.id, now, trx))) throw notFound('Invitation');
      let account = existing;
      if (!account) account = await this.insertUser(trx, { email, name: input.name, passwordHash: passwordHash as string }, now);
      else if (passwordHash) {
        await this.users.update(account.id, { name: input.name, password_hash: passwordHash, updated_at: now }, trx);
        account = { ...account, name: input.name, password_hash: passwordHash };
      }
      await this.join(trx, account, row.workspace_id as string, row.role as Role, now);
      return account;
    });
    return this.open(user, meta);
  }

  // --- provisioning (CLI) --------------------------------------------------------------------------------------

  /**
   * Creates an account and its membership (linking the workspace's member row with that email, if any). Without a
   * password, the returned token is a one-time link to set one.
   */
  async createUser(input: { email: string; name: string; workspaceId: string; role: Role; password?: string }): Promise<{ user: User; token: string | null }> {
    const now = this.clock.now().getTime();
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const user = await this.transactions.run(async (trx) => {
      const created = await this.insertUser(trx, { email: input.email, name: input.name, passwordHash }, now);
      await this.join(trx, created, input.workspaceId, input.role, now);
      return created;
    });
    const token = passwordHash ? null : (await this.issue({ kind: 'password_reset', user_id: user.id })).token;
    return { user: toUser(user), token };
  }

  /** Sets a password (ending every session of the account), or returns a one-time link token to set one. */
  async resetPassword(email: string, password?: string): Promise<{ user: User; token: string | null }> {
    const row = await this.users.byEmail(email);
    if (!row) throw notFound('Account');
    if (password) {
      const now = this.clock.now().getTime();
      await this.users.update(row.id, { password_hash: await hashPassword(password), updated_at: now });
      await this.sessions.revokeAll(row.id);
      return { user: toUser(row), token: null };
    }
    return { user: toUser(row), token: (await this.issue({ kind: 'password_reset', user_id: row.id })).token };
  }

  /**
   * A signed-in user changes their password: the current one must match (a stolen open session alone cannot take
   * over the account), wrong guesses count against the same limits as failed sign-ins, and every other session of
   * the account ends.
   */
  async changePassword(userId: string, sessionId: string, current: string, next: string, address: string): Promise<void> {
    const row = await this.users.byId(userId);
    if (!row) throw notFound('Account');
    await this.loginLimits.check(row.email, address);
    if (!row.password_hash || !(await verifyPassword(current, row.password_hash))) {
      await this.loginLimits.failed(row.email, address);
      throw new ApiError('validation_error', 'The current password is not right.', [{ field: 'current_password', message: 'Is not your current password' }]);
    }
    await this.users.update(row.id, { password_hash: await hashPassword(next), updated_at: this.clock.now().getTime() });
    await this.sessions.revokeAll(row.id, sessionId);
  }

  /** A member was removed: their sessions end (access to the workspace already ended with the row). */
  async memberRemoved(userId: string | null): Promise<void> {
    if (userId) await this.sessions.revokeAll(userId);
  }

  // --- internals -----------------------------------------------------------------------------------------------

  private async open(user: UserRow, meta: ClientMeta): Promise<SignedIn> {
    const { token, session } = await this.sessions.create(user.id, meta);
    return { token, session, user: toUser(user) };
  }

  private async insertUser(trx: Transaction, input: { email: string; name: string; passwordHash: string | null }, now: number): Promise<UserRow> {
    const row: UserRow = { id: newId('usr', now), email: input.email.toLowerCase(), name: input.name, password_hash: input.passwordHash, created_at: now, updated_at: now };
    try {
      await this.users.insertNew(row, trx);
    } catch (error) {
      if (error instanceof EmailTaken) throw emailTaken(row.email);
      throw error;
    }
    return row;
  }

  /** Makes the user a member: links the workspace's member row with their email, or adds one; audited as the user. */
  private async join(trx: Transaction, user: UserRow, workspaceId: string, role: Role, now: number): Promise<void> {
    const actor: Actor = { workspaceId, mode: 'live', keyId: null, userId: user.id, requestId: null, scopes: scopesOfRole(role) };
    const existing = await this.users.memberByEmail(workspaceId, user.email, trx);
    if (existing) {
      await this.users.linkMember(existing.id, user.id, { role, updatedAt: now }, trx);
      await recordAudit(trx, actor, { action: 'member.updated', resourceType: 'member', resourceId: existing.id, before: { role: existing.role, user_id: existing.user_id }, after: { role, user_id: user.id } }, new Date(now));
      return;
    }
    const id = newId('mem', now);
    await this.users.insertMember({ id, workspace_id: workspaceId, name: user.name, email: user.email, role, user_id: user.id, created_at: now, updated_at: now }, trx);
    await recordAudit(trx, actor, { action: 'member.added', resourceType: 'member', resourceId: id, after: { name: user.name, email: user.email, role } }, new Date(now));
  }

  private async issue(fields: Partial<AccountTokenRow> & { kind: AccountTokenKind }): Promise<{ token: string; expiresAt: Date }> {
    const { token, row } = await this.issueRow(fields);
    return { token, expiresAt: new Date(row.expires_at) };
  }

  private async issueRow(
    fields: Partial<AccountTokenRow> & { kind: AccountTokenKind },
    alongside?: (trx: Transaction, row: AccountTokenRow) => Promise<void>,
  ): Promise<{ token: string; row: AccountTokenRow }> {
    const now = this.clock.now().getTime();
    const token = randomToken(32);
    const row: AccountTokenRow = {
      id: newId(fields.kind === 'invitation' ? 'inv' : 'tok', now),
      token_hash: sha256Hex(token),
      workspace_id: null,
      user_id: null,
      email: null,
      role: null,
      created_by_user_id: null,
      created_by_key_id: null,
      used_at: null,
      revoked_at: null,
      ...fields,
      created_at: now,
      expires_at: now + TOKEN_LIFETIME[fields.kind],
    };
    await this.transactions.run(async (trx) => {
      await this.tokens.insert(row, trx);
      if (alongside) await alongside(trx, row);
    });
    return { token, row };
  }
}
