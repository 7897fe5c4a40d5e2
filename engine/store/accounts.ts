import type { Knex } from 'knex';
import { isUniqueViolation } from './db';

/** Rows of the account tables (migration 009), as the stores read and write them. Times are epoch milliseconds. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  created_at: number;
  updated_at: number;
}

export interface SessionRow {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  user_agent: string | null;
  ip: string | null;
}

export type AccountTokenKind = 'setup' | 'invitation' | 'password_reset';

export interface AccountTokenRow {
  id: string;
  token_hash: string;
  kind: AccountTokenKind;
  workspace_id: string | null;
  user_id: string | null;
  email: string | null;
  role: string | null;
  created_by_user_id: string | null;
  created_by_key_id: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

export interface MembershipRow {
  member_id: string;
  workspace_id: string;
  workspace_name: string;
  role: string;
}

/** Thrown by `insertNew` when another user has the email already. */
export class EmailTaken extends Error {
  constructor(readonly email: string) {
    super(`An account with ${email} already exists.`);
    this.name = 'EmailTaken';
  }
}

/** Users and their links to workspace members. */
export class UserStore {
  constructor(private readonly db: Knex) {}

  byId(id: string, trx: Knex = this.db): Promise<UserRow | undefined> {
    return trx<UserRow>('users').where({ id }).first();
  }

  byEmail(email: string, trx: Knex = this.db): Promise<UserRow | undefined> {
    return trx<UserRow>('users').where({ email: email.toLowerCase() }).first();
  }

  async insert(row: UserRow, trx: Knex = this.db): Promise<void> {
    await trx('users').insert(row);
  }

  /**
   * Inserts a user in a nested transaction (a savepoint inside `trx`, so a refused insert leaves `trx` usable); throws
   * EmailTaken when the email is registered already.
   */
  async insertNew(row: UserRow, trx: Knex = this.db): Promise<void> {
    try {
      await trx.transaction((nested) => this.insert(row, nested));
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTaken(row.email);
      throw error;
    }
  }

  async update(id: string, changes: Partial<Omit<UserRow, 'id'>>, trx: Knex = this.db): Promise<void> {
    await trx('users').where({ id }).update(changes);
  }

  /** The user's workspaces, oldest membership first. */
  memberships(userId: string, trx: Knex = this.db): Promise<MembershipRow[]> {
    return trx('members')
      .join('workspaces', 'workspaces.id', 'members.workspace_id')
      .where('members.user_id', userId)
      .orderBy('members.id')
      .select('members.id as member_id', 'members.workspace_id', 'workspaces.name as workspace_name', 'members.role');
  }

  /** The member row of `email` in a workspace, linked or not. */
  memberByEmail(workspaceId: string, email: string, trx: Knex = this.db): Promise<{ id: string; user_id: string | null; role: string } | undefined> {
    return trx('members').where({ workspace_id: workspaceId, email: email.toLowerCase() }).first('id', 'user_id', 'role');
  }

  async linkMember(memberId: string, userId: string, changes: { role?: string; updatedAt: number }, trx: Knex = this.db): Promise<void> {
    await trx('members')
      .where({ id: memberId })
      .update({ user_id: userId, updated_at: changes.updatedAt, ...(changes.role ? { role: changes.role } : {}) });
  }

  async insertMember(row: { id: string; workspace_id: string; name: string; email: string; role: string; user_id: string; created_at: number; updated_at: number }, trx: Knex = this.db): Promise<void> {
    await trx('members').insert(row);
  }
}

/**
 * Where sessions live: this table, or Redis when it is configured (RedisSessionStore). Sessions past their idle or
 * absolute timeout are refused by SessionService whatever the store still holds.
 */
export interface SessionRepository {
  insert(row: SessionRow): Promise<void>;
  byTokenHash(tokenHash: string): Promise<SessionRow | undefined>;
  /** The user's sessions, newest first. */
  listForUser(userId: string): Promise<SessionRow[]>;
  /** Records a use: `last_seen_at` = `at` (and with it, the idle timeout starts again). */
  touch(session: SessionRow, at: number): Promise<void>;
  deleteByTokenHash(tokenHash: string): Promise<void>;
  /** Deletes one session of a user; the number deleted (0: none of theirs). */
  deleteOne(userId: string, id: string): Promise<number>;
  /** Deletes every session of a user but `keepId`; the number deleted. */
  deleteAllOf(userId: string, keepId?: string | null): Promise<number>;
  /** Deletes sessions past their absolute expiry or idle since before `idleBefore`. */
  deleteExpired(now: number, idleBefore: number): Promise<number>;
}

/** Server-side sessions in `user_sessions`, found by the SHA-256 hash of their cookie value. */
export class SessionStore implements SessionRepository {
  constructor(private readonly db: Knex) {}

  async insert(row: SessionRow): Promise<void> {
    await this.db('user_sessions').insert(row);
  }

  byTokenHash(tokenHash: string): Promise<SessionRow | undefined> {
    return this.db<SessionRow>('user_sessions').where({ token_hash: tokenHash }).first();
  }

  listForUser(userId: string): Promise<SessionRow[]> {
    return this.db<SessionRow>('user_sessions').where({ user_id: userId }).orderBy('id', 'desc');
  }

  async touch(session: SessionRow, at: number): Promise<void> {
    await this.db('user_sessions').where({ id: session.id }).update({ last_seen_at: at });
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.db('user_sessions').where({ token_hash: tokenHash }).del();
  }

  deleteOne(userId: string, id: string): Promise<number> {
    return this.db('user_sessions').where({ user_id: userId, id }).del();
  }

  deleteAllOf(userId: string, keepId: string | null = null): Promise<number> {
    const query = this.db('user_sessions').where({ user_id: userId });
    if (keepId) query.whereNot({ id: keepId });
    return query.del();
  }

  deleteExpired(now: number, idleBefore: number): Promise<number> {
    return this.db('user_sessions').where('expires_at', '<=', now).orWhere('last_seen_at', '<', idleBefore).del();
  }
}

/** One-time tokens: setup links, invitations, password resets. */
export class AccountTokenStore {
  constructor(private readonly db: Knex) {}

  async insert(row: AccountTokenRow, trx: Knex = this.db): Promise<void> {
    await trx('account_tokens').insert(row);
  }

  byTokenHash(tokenHash: string, trx: Knex = this.db): Promise<AccountTokenRow | undefined> {
    return trx<AccountTokenRow>('account_tokens').where({ token_hash: tokenHash }).first();
  }

  /** Marks a token used if it still is usable at `now`; false when another request used it first. */
  async consume(id: string, now: number, trx: Knex = this.db): Promise<boolean> {
    const changed = await trx('account_tokens')
      .where({ id })
      .whereNull('used_at')
      .whereNull('revoked_at')
      .where('expires_at', '>', now)
      .update({ used_at: now });
    return changed === 1;
  }

  pendingInvitations(workspaceId: string, now: number): Promise<AccountTokenRow[]> {
    return this.db<AccountTokenRow>('account_tokens')
      .where({ workspace_id: workspaceId, kind: 'invitation' })
      .whereNull('used_at')
      .whereNull('revoked_at')
      .where('expires_at', '>', now)
      .orderBy('id', 'desc');
  }

  /** The usable invitations addressed to `email` (lower case), in every workspace, newest first. */
  invitationsFor(email: string, now: number, trx: Knex = this.db): Promise<AccountTokenRow[]> {
    return trx<AccountTokenRow>('account_tokens')
      .where({ email, kind: 'invitation' })
      .whereNull('used_at')
      .whereNull('revoked_at')
      .where('expires_at', '>', now)
      .orderBy('id', 'desc');
  }

  /**
   * A not yet accepted or revoked invitation (expired or not) gets a new token and expiry, in place; answers the row
   * as it now is, or undefined.
   */
  async renewInvitation(workspaceId: string, id: string, change: { token_hash: string; expires_at: number }, trx: Knex = this.db): Promise<AccountTokenRow | undefined> {
    const changed = await trx('account_tokens').where({ workspace_id: workspaceId, kind: 'invitation', id }).whereNull('used_at').whereNull('revoked_at').update(change);
    return changed ? trx<AccountTokenRow>('account_tokens').where({ id }).first() : undefined;
  }

  revokeInvitation(workspaceId: string, id: string, now: number, trx: Knex = this.db): Promise<number> {
    return trx('account_tokens')
      .where({ workspace_id: workspaceId, kind: 'invitation', id })
      .whereNull('used_at')
      .whereNull('revoked_at')
      .update({ revoked_at: now });
  }
}
