import type { Knex } from 'knex';
import { isUniqueViolation } from '../store/db';
import { ApiError, notFound } from '../support/errors';
import { newId } from '../support/ids';
import type { Clock } from '../support/time';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import { lockWorkspace } from './workspaces';

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Member {
  id: string;
  workspaceId: string;
  name: string;
  email: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
}

interface MemberRow {
  id: string;
  workspace_id: string;
  name: string;
  email: string;
  role: Role;
  created_at: number;
  updated_at: number;
}

export interface RemovedMember {
  memberId: string;
  workspaceId: string;
  /** The dashboard account the member was linked to, if any. */
  userId: string | null;
}

export interface MemberFilters {
  role?: Role;
  email?: string;
}

const toMember = (row: MemberRow): Member => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  email: row.email,
  role: row.role,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

const audited = (member: Member) => ({ name: member.name, email: member.email, role: member.role });

const emailTaken = (email: string) =>
  new ApiError('conflict', `${email} is already a member of this workspace.`, [{ field: 'email', message: 'Already a member' }]);

const lastOwner = () =>
  new ApiError('conflict', 'This is the last owner of the workspace: make another member owner first, or remove the other members.');

/**
 * Team members: records of who belongs to a workspace, with a role, for ownership and the audit trail. Not logins:
 * no passwords. An email appears once per workspace (compared case-insensitively). The only owner cannot be removed
 * or demoted while other members remain. Members are workspace settings: the same for live and test keys.
 */
export class MemberService {
  private readonly removedListeners: Array<(removed: RemovedMember) => Promise<void>> = [];

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {}

  /** Called after a member is removed (the dashboard ends the sessions of the user it was linked to). */
  onRemoved(listener: (removed: RemovedMember) => Promise<void>): void {
    this.removedListeners.push(listener);
  }

  fromRow = (row: unknown): Member => toMember(row as MemberRow);

  /** The workspace's members as a query, for the paginated API list. */
  listQuery(workspaceId: string, filters: MemberFilters = {}): Knex.QueryBuilder {
    const query = this.db('members').where({ workspace_id: workspaceId });
    if (filters.role) query.where({ role: filters.role });
    if (filters.email) query.where({ email: filters.email.toLowerCase() });
    return query;
  }

  /** Every member, or one workspace's, oldest first (the CLI). */
  async list(workspaceId?: string): Promise<Member[]> {
    const query = this.db<MemberRow>('members').orderBy('id');
    if (workspaceId) query.where({ workspace_id: workspaceId });
    return (await query).map(toMember);
  }

  /** A member by id, or by email within a workspace (the CLI). */
  async find(idOrEmail: string, workspaceId?: string): Promise<Member | null> {
    const query = this.db<MemberRow>('members');
    if (idOrEmail.includes('@')) {
      if (!workspaceId) return null;
      query.where({ workspace_id: workspaceId, email: idOrEmail.trim().toLowerCase() });
    } else {
      query.where({ id: idOrEmail, ...(workspaceId ? { workspace_id: workspaceId } : {}) });
    }
    const row = await query.first();
    return row ? toMember(row) : null;
  }

  async get(workspaceId: string, id: string): Promise<Member> {
    const row = await this.db<MemberRow>('members').where({ id, workspace_id: workspaceId }).first();
    if (!row) throw notFound('Member');
    return toMember(row);
  }

  /** Adds a member; `email` is validated by the caller and stored lower-cased. */
  async add(actor: Actor, input: { name: string; email: string; role: Role }): Promise<Member> {
    const now = this.clock.now();
    const row: MemberRow = {
      id: newId('mem', now.getTime()),
      workspace_id: actor.workspaceId,
      name: input.name,
      email: input.email.toLowerCase(),
      role: input.role,
      created_at: now.getTime(),
      updated_at: now.getTime(),
    };
    try {
      return await this.db.transaction(async (trx) => {
        await lockWorkspace(trx, actor.workspaceId);
        await trx('members').insert(row);
        const member = toMember(row);
        await recordAudit(trx, actor, { action: 'member.added', resourceType: 'member', resourceId: member.id, after: audited(member) }, now);
        return member;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw emailTaken(row.email);
      throw error;
    }
  }

  /** Renames a member or changes their role; the only owner cannot be demoted while other members remain. */
  async update(actor: Actor, id: string, changes: { name?: string; role?: Role }): Promise<Member> {
    const now = this.clock.now();
    return this.db.transaction(async (trx) => {
      await lockWorkspace(trx, actor.workspaceId);
      const row = await trx<MemberRow>('members').where({ id, workspace_id: actor.workspaceId }).first();
      if (!row) throw notFound('Member');
      const before = toMember(row);
      const update: Partial<MemberRow> = {};
      if (changes.name !== undefined && changes.name !== row.name) update.name = changes.name;
      if (changes.role !== undefined && changes.role !== row.role) update.role = changes.role;
      if (Object.keys(update).length === 0) return before;
      if (row.role === 'owner' && update.role !== undefined) await this.keepAnOwner(trx, actor.workspaceId);
      update.updated_at = Math.max(now.getTime(), row.updated_at + 1);
      await trx('members').where({ id }).update(update);
      const after = toMember({ ...row, ...update });
      await recordAudit(trx, actor, { action: 'member.updated', resourceType: 'member', resourceId: id, before: audited(before), after: audited(after) }, now);
      return after;
    });
  }

  /** Removes a member; the only owner can be removed only as the last member. */
  async remove(actor: Actor, id: string): Promise<Member> {
    const now = this.clock.now();
    let userId: string | null = null;
    const removed = await this.db.transaction(async (trx) => {
      await lockWorkspace(trx, actor.workspaceId);
      const row = await trx<MemberRow>('members').where({ id, workspace_id: actor.workspaceId }).first();
      if (!row) throw notFound('Member');
      if (row.role === 'owner') await this.keepAnOwner(trx, actor.workspaceId);
      await trx('members').where({ id }).del();
      userId = (row as MemberRow & { user_id?: string | null }).user_id ?? null;
      const member = toMember(row);
      await recordAudit(trx, actor, { action: 'member.removed', resourceType: 'member', resourceId: id, before: audited(member) }, now);
      return member;
    });
    for (const listener of this.removedListeners) await listener({ memberId: id, workspaceId: actor.workspaceId, userId });
    return removed;
  }

  /** Refuses to take away the only owner's ownership while other members remain (called for an owner). */
  private async keepAnOwner(trx: Knex, workspaceId: string): Promise<void> {
    const [{ owners, members }] = await trx('members')
      .where({ workspace_id: workspaceId })
      .select(trx.raw('SUM(CASE WHEN role = ? THEN 1 ELSE 0 END) AS owners', ['owner']), trx.raw('COUNT(*) AS members'));
    if (Number(owners) === 1 && Number(members) > 1) throw lastOwner();
  }
}
