import type { Knex } from 'knex';
import { ApiError } from '../support/errors';
import { isUniqueViolation } from './db';
import type { Page, PageQuery, Paginator } from './pagination';
import type { Transaction } from './transactions';

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Member {
  id: string;
  workspaceId: string;
  name: string;
  /** Lower case. */
  email: string;
  role: Role;
  /** The dashboard account linked to this member, if any. */
  userId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MemberFilters {
  role?: Role;
  email?: string;
}

export type MemberChanges = Partial<Pick<Member, 'name' | 'role' | 'updatedAt'>>;

interface MemberRow {
  id: string;
  workspace_id: string;
  name: string;
  email: string;
  role: Role;
  user_id?: string | null;
  created_at: number;
  updated_at: number;
}

const toMember = (row: MemberRow): Member => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  email: row.email,
  role: row.role,
  userId: row.user_id ?? null,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

/** Team members (`members`); an email is unique within a workspace. */
export class MemberStore {
  constructor(private readonly db: Knex) {}

  with(tx: Transaction): MemberStore {
    return new MemberStore(tx);
  }

  /** Answers 409 when the email is already a member of the workspace. */
  async insert(member: Member): Promise<void> {
    const row: MemberRow = {
      id: member.id,
      workspace_id: member.workspaceId,
      name: member.name,
      email: member.email,
      role: member.role,
      created_at: member.createdAt.getTime(),
      updated_at: member.updatedAt.getTime(),
    };
    try {
      await this.db('members').insert(row);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ApiError('conflict', `${member.email} is already a member of this workspace.`, [{ field: 'email', message: 'Already a member' }]);
    }
  }

  /** A member by id, within `workspaceId` when given. */
  async find(id: string, workspaceId?: string): Promise<Member | undefined> {
    const row = await this.db<MemberRow>('members').where({ id, ...(workspaceId ? { workspace_id: workspaceId } : {}) }).first();
    return row && toMember(row);
  }

  async findByEmail(workspaceId: string, email: string): Promise<Member | undefined> {
    const row = await this.db<MemberRow>('members').where({ workspace_id: workspaceId, email }).first();
    return row && toMember(row);
  }

  /** The member linked to a dashboard account in a workspace. */
  async findByUser(workspaceId: string, userId: string): Promise<Member | undefined> {
    const row = await this.db<MemberRow>('members').where({ workspace_id: workspaceId, user_id: userId }).first();
    return row && toMember(row);
  }

  /** Every member, or one workspace's, oldest first. */
  async list(workspaceId?: string): Promise<Member[]> {
    const query = this.db<MemberRow>('members').orderBy('id');
    if (workspaceId) query.where({ workspace_id: workspaceId });
    return (await query).map(toMember);
  }

  async page(paginator: Paginator, workspaceId: string, filters: MemberFilters, page: PageQuery): Promise<Page<Member>> {
    const query = this.db('members').where({ workspace_id: workspaceId });
    if (filters.role) query.where({ role: filters.role });
    if (filters.email) query.where({ email: filters.email.toLowerCase() });
    const found = await paginator.page<MemberRow>(query, page);
    return { ...found, rows: found.rows.map(toMember) };
  }

  /** How many owners and members the workspace has. */
  async headcount(workspaceId: string): Promise<{ owners: number; members: number }> {
    const [{ owners, members }] = await this.db('members')
      .where({ workspace_id: workspaceId })
      .select(this.db.raw('SUM(CASE WHEN role = ? THEN 1 ELSE 0 END) AS owners', ['owner']), this.db.raw('COUNT(*) AS members'));
    return { owners: Number(owners), members: Number(members) };
  }

  /** Writes the fields `changes` gives (knex leaves out columns whose value is undefined). */
  async update(id: string, changes: MemberChanges): Promise<void> {
    await this.db('members').where({ id }).update({ name: changes.name, role: changes.role, updated_at: changes.updatedAt?.getTime() });
  }

  async delete(id: string): Promise<void> {
    await this.db('members').where({ id }).del();
  }
}
