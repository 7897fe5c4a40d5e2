import type { Member, MemberChanges, MemberFilters, MemberStore, Role } from '../store/members';
import type { Page, PageQuery, Paginator } from '../store/pagination';
import type { Transaction, TransactionRunner } from '../store/transactions';
import type { WorkspaceStore } from '../store/workspaces';
import { ApiError, notFound } from '../support/errors';
import { newId } from '../support/ids';
import type { Clock } from '../support/time';
import { refuseTestMode, type Actor } from './actor';
import { recordAudit } from './audit';

export { ROLES, type Member, type MemberFilters, type Role } from '../store/members';

const audited = (member: Member) => ({ name: member.name, email: member.email, role: member.role });

const lastOwner = () =>
  new ApiError('conflict', 'This is the last owner of the workspace: make another member owner first, or remove the other members.');

/**
 * Team members: records of who belongs to a workspace, with a role, for ownership and the audit trail. Not logins:
 * no passwords. An email appears once per workspace (compared case-insensitively). The only owner cannot be removed
 * or demoted while other members remain. Members are workspace settings: the same for live and test keys, which read
 * them but cannot change them.
 */
export interface RemovedMember {
  memberId: string;
  workspaceId: string;
  /** The dashboard account the member was linked to, if any. */
  userId: string | null;
}

export class MemberService {
  private readonly removedListeners: Array<(removed: RemovedMember) => Promise<void>> = [];

  constructor(
    private readonly members: MemberStore,
    private readonly workspaces: WorkspaceStore,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly paginator: Paginator,
  ) {}

  /** A page of the workspace's members (the API list). */
  page(workspaceId: string, filters: MemberFilters, page: PageQuery): Promise<Page<Member>> {
    return this.members.page(this.paginator, workspaceId, filters, page);
  }

  /** Every member, or one workspace's, oldest first (the CLI). */
  list(workspaceId?: string): Promise<Member[]> {
    return this.members.list(workspaceId);
  }

  /** A member by id, or by email within a workspace (the CLI). */
  async find(idOrEmail: string, workspaceId?: string): Promise<Member | null> {
    if (!idOrEmail.includes('@')) return (await this.members.find(idOrEmail, workspaceId)) ?? null;
    if (!workspaceId) return null;
    return (await this.members.findByEmail(workspaceId, idOrEmail.trim().toLowerCase())) ?? null;
  }

  /** Called after a member is removed (the dashboard ends the sessions of the user it was linked to). */
  onRemoved(listener: (removed: RemovedMember) => Promise<void>): void {
    this.removedListeners.push(listener);
  }

  async get(workspaceId: string, id: string): Promise<Member> {
    return this.existing(this.members.find(id, workspaceId));
  }

  /** Adds a member; `email` is validated by the caller and stored lower-cased. */
  async add(actor: Actor, input: { name: string; email: string; role: Role }): Promise<Member> {
    refuseTestMode(actor, 'members');
    const now = this.clock.now();
    const member: Member = {
      id: newId('mem', now.getTime()),
      workspaceId: actor.workspaceId,
      name: input.name,
      email: input.email.toLowerCase(),
      userId: null,
      role: input.role,
      createdAt: now,
      updatedAt: now,
    };
    return this.transactions.run(async (tx) => {
      await this.workspaces.with(tx).lock(actor.workspaceId);
      await this.members.with(tx).insert(member);
      await recordAudit(tx, actor, { action: 'member.added', resourceType: 'member', resourceId: member.id, after: audited(member) }, now);
      return member;
    });
  }

  /** Renames a member or changes their role; the only owner cannot be demoted while other members remain. */
  async update(actor: Actor, id: string, changes: { name?: string; role?: Role }): Promise<Member> {
    refuseTestMode(actor, 'members');
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      await this.workspaces.with(tx).lock(actor.workspaceId);
      const members = this.members.with(tx);
      const before = await this.existing(members.find(id, actor.workspaceId));
      const update: MemberChanges = {};
      if (changes.name !== undefined && changes.name !== before.name) update.name = changes.name;
      if (changes.role !== undefined && changes.role !== before.role) update.role = changes.role;
      if (Object.keys(update).length === 0) return before;
      if (before.role === 'owner' && update.role !== undefined) await this.keepAnOwner(tx, actor.workspaceId);
      update.updatedAt = new Date(Math.max(now.getTime(), before.updatedAt.getTime() + 1));
      await members.update(id, update);
      const after = { ...before, ...update };
      await recordAudit(tx, actor, { action: 'member.updated', resourceType: 'member', resourceId: id, before: audited(before), after: audited(after) }, now);
      return after;
    });
  }

  /** Removes a member; the only owner can be removed only as the last member. */
  async remove(actor: Actor, id: string): Promise<Member> {
    refuseTestMode(actor, 'members');
    const now = this.clock.now();
    const removed = await this.transactions.run(async (tx) => {
      await this.workspaces.with(tx).lock(actor.workspaceId);
      const member = await this.existing(this.members.with(tx).find(id, actor.workspaceId));
      if (member.role === 'owner') await this.keepAnOwner(tx, actor.workspaceId);
      await this.members.with(tx).delete(id);
      await recordAudit(tx, actor, { action: 'member.removed', resourceType: 'member', resourceId: id, before: audited(member) }, now);
      return member;
    });
    for (const listener of this.removedListeners) await listener({ memberId: id, workspaceId: actor.workspaceId, userId: removed.userId });
    return removed;
  }

  /**
   * The signed-in user leaves the workspace: their membership goes, audited as `member.left`. The sole owner cannot
   * leave (409): they transfer ownership first, or delete the workspace's other members.
   */
  async leave(actor: Actor & { userId: string }): Promise<Member> {
    refuseTestMode(actor, 'members');
    const now = this.clock.now();
    const left = await this.transactions.run(async (tx) => {
      await this.workspaces.with(tx).lock(actor.workspaceId);
      const member = await this.existing(this.members.with(tx).findByUser(actor.workspaceId, actor.userId));
      if (member.role === 'owner' && (await this.members.with(tx).headcount(actor.workspaceId)).owners === 1) {
        throw new ApiError('conflict', 'You are the only owner of this workspace: make another member owner before leaving.');
      }
      await this.members.with(tx).delete(member.id);
      await recordAudit(tx, actor, { action: 'member.left', resourceType: 'member', resourceId: member.id, before: audited(member) }, now);
      return member;
    });
    for (const listener of this.removedListeners) await listener({ memberId: left.id, workspaceId: actor.workspaceId, userId: left.userId });
    return left;
  }

  /**
   * Makes `id` the owner, in one transaction: a signed-in owner (`actor.userId`) becomes admin; without a user (the
   * CLI) every other owner becomes admin. Only an owner may transfer: a user who is not one gets 403.
   */
  async transferOwnership(actor: Actor, id: string): Promise<Member> {
    refuseTestMode(actor, 'members');
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      await this.workspaces.with(tx).lock(actor.workspaceId);
      const members = this.members.with(tx);
      const target = await this.existing(members.find(id, actor.workspaceId));
      let previous: Member[];
      if (actor.userId) {
        const caller = await members.findByUser(actor.workspaceId, actor.userId);
        if (!caller || caller.role !== 'owner') throw new ApiError('forbidden', 'Only an owner of the workspace can transfer its ownership.');
        previous = [caller];
      } else {
        previous = (await members.list(actor.workspaceId)).filter((m) => m.role === 'owner');
      }
      previous = previous.filter((m) => m.id !== target.id);
      const at = (member: Member) => new Date(Math.max(now.getTime(), member.updatedAt.getTime() + 1));
      const promoted: Member = { ...target, role: 'owner', updatedAt: target.role === 'owner' ? target.updatedAt : at(target) };
      if (target.role !== 'owner') await members.update(target.id, { role: 'owner', updatedAt: promoted.updatedAt });
      for (const owner of previous) await members.update(owner.id, { role: 'admin', updatedAt: at(owner) });
      await recordAudit(tx, actor, {
        action: 'member.ownership_transferred',
        resourceType: 'member',
        resourceId: target.id,
        before: { role: target.role, owners: previous.map((m) => m.id) },
        after: { role: 'owner', demoted_to_admin: previous.map((m) => m.id) },
      }, now);
      return promoted;
    });
  }

  private async existing(found: Promise<Member | undefined>): Promise<Member> {
    const member = await found;
    if (!member) throw notFound('Member');
    return member;
  }

  /** Refuses to take away the only owner's ownership while other members remain (called for an owner). */
  private async keepAnOwner(tx: Transaction, workspaceId: string): Promise<void> {
    const { owners, members } = await this.members.with(tx).headcount(workspaceId);
    if (owners === 1 && members > 1) throw lastOwner();
  }
}
