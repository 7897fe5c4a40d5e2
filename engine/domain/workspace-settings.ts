import type { TransactionRunner } from '../store/transactions';
import type { WorkspaceChanges, WorkspacePlan, WorkspaceRecord, WorkspaceStore } from '../store/workspaces';
import { ApiError, notFound, validationError } from '../support/errors';
import type { Clock } from '../support/time';
import { toIso } from '../support/time';
import { refuseTestMode, type Actor } from './actor';
import { recordAudit } from './audit';
import type { CustomDomainService } from './custom-domains';
import type { InstanceHost } from './instance-domain';
import type { Outbox } from './outbox';
import { serializePlan, type Plan, type PlanLimits, type Usage } from './plans';

export interface WorkspacePatch {
  name?: string;
  /** A host name of the workspace or the instance domain; null: the instance domain. */
  defaultDomain?: string | null;
  plan?: Partial<Plan>;
}

/** The public workspace object (without usage, which depends on the caller's mode): the API's and the webhooks'. */
export const serializeWorkspace = (workspace: WorkspaceRecord, instanceDomain: string) => ({
  id: workspace.id,
  name: workspace.name,
  default_domain: workspace.defaultDomain ?? instanceDomain,
  plan: serializePlan(workspace.plan),
  created_at: toIso(workspace.createdAt) as string,
  updated_at: toIso(workspace.updatedAt) as string,
});

export type SerializedWorkspace = ReturnType<typeof serializeWorkspace>;

export interface WorkspaceSettingsView {
  workspace: SerializedWorkspace;
  usage: Usage;
  plan: Plan;
}

/** After a plan change is committed: lets the parts that cache a workspace's limits (rate limiting) forget them. */
export type PlanChangeListener = (workspaceId: string, plan: Plan) => void;

const PLAN_FIELDS = ['name', 'maxLinks', 'maxClicksPerMonth', 'rateLimitPerKey'] as const;

/**
 * GET and PATCH /workspace: the name, the default domain and the plan. A plan change is audited and announced as
 * `subscription.updated` in the same transaction, to the endpoints of both modes (the plan is the workspace's, not a
 * mode's); its data is the workspace after the change, with `previous`: the workspace before it.
 */
export class WorkspaceSettings {
  private readonly planListeners: PlanChangeListener[] = [];

  constructor(
    private readonly workspaces: WorkspaceStore,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly instance: InstanceHost,
    private readonly domains: CustomDomainService,
    private readonly limits: PlanLimits,
    private readonly outbox: Outbox,
  ) {}

  /** Read at use: the stored instance domain replaces the configured one when the engine starts. */
  private get instanceDomain(): string {
    return this.instance.hostname;
  }

  onPlanChange(listener: PlanChangeListener): void {
    this.planListeners.push(listener);
  }

  async get(actor: Actor): Promise<WorkspaceSettingsView> {
    const workspace = await this.existing(this.workspaces.find(actor.workspaceId));
    return this.view(actor, workspace, this.clock.now());
  }

  /**
   * Changes the name, the default domain or (the operator only) the plan. Test keys change nothing here: these are
   * the live settings. The plan belongs to the operator: only the engine's own actor (`mask workspace plan`) changes
   * it, never a workspace's key or user, so a workspace cannot raise its own limits.
   */
  async update(actor: Actor, patch: WorkspacePatch): Promise<WorkspaceSettingsView> {
    refuseTestMode(actor, 'workspace settings');
    if (patch.plan !== undefined && !isOperator(actor)) {
      throw new ApiError('forbidden', 'The plan is set by the operator of this instance, not by the workspace: read it with GET /workspace; the operator changes it with `mask workspace plan <workspace id> …`.');
    }
    const now = this.clock.now();
    const { workspace, planChanged } = await this.transactions.run(async (tx) => {
      const workspaces = this.workspaces.with(tx);
      const before = await this.existing(workspaces.findForUpdate(actor.workspaceId));
      const changes: WorkspaceChanges = {};
      if (patch.name !== undefined && patch.name !== before.name) changes.name = patch.name;
      if (patch.plan !== undefined) {
        const plan: WorkspacePlan = { ...before.plan, ...definedOnly(patch.plan) };
        if (PLAN_FIELDS.some((field) => plan[field] !== before.plan[field])) changes.plan = plan;
      }
      const defaultDomain = patch.defaultDomain === undefined ? undefined : patch.defaultDomain === this.instanceDomain ? null : patch.defaultDomain;
      const domainChanged = defaultDomain !== undefined && defaultDomain !== before.defaultDomain;
      if (Object.keys(changes).length === 0 && !domainChanged) return { workspace: before, planChanged: false };

      if (domainChanged) {
        if (defaultDomain !== null && !(await this.domains.isOfWorkspace(tx, actor.workspaceId, defaultDomain))) {
          throw validationError([{ field: 'default_domain', message: `${defaultDomain} is not a domain of this workspace; add it with POST /domains first` }]);
        }
        await this.domains.setDefault(tx, actor.workspaceId, defaultDomain, now);
      }
      changes.updatedAt = new Date(Math.max(now.getTime(), before.updatedAt.getTime() + 1));
      await workspaces.update(actor.workspaceId, changes);
      const after: WorkspaceRecord = {
        ...before,
        name: changes.name ?? before.name,
        plan: changes.plan ?? before.plan,
        defaultDomain: domainChanged ? defaultDomain : before.defaultDomain,
        updatedAt: changes.updatedAt,
      };
      const [shownBefore, shownAfter] = [serializeWorkspace(before, this.instanceDomain), serializeWorkspace(after, this.instanceDomain)];
      await recordAudit(tx, actor, { action: 'workspace.updated', resourceType: 'workspace', resourceId: actor.workspaceId, before: audited(shownBefore), after: audited(shownAfter) }, now);
      if (changes.plan) {
        const data = { ...shownAfter, previous: shownBefore };
        await this.outbox.enqueue(
          tx,
          (['live', 'test'] as const).map((mode) => ({ workspaceId: actor.workspaceId, mode, type: 'subscription.updated' as const, data })),
          now,
        );
      }
      return { workspace: after, planChanged: changes.plan !== undefined };
    });
    if (planChanged) for (const listener of this.planListeners) listener(actor.workspaceId, workspace.plan);
    return this.view(actor, workspace, now);
  }

  private async view(actor: Actor, workspace: WorkspaceRecord, at: Date): Promise<WorkspaceSettingsView> {
    return { workspace: serializeWorkspace(workspace, this.instanceDomain), plan: workspace.plan, usage: await this.limits.usage(actor, at) };
  }

  private async existing(found: Promise<WorkspaceRecord | undefined>): Promise<WorkspaceRecord> {
    const workspace = await found;
    if (!workspace) throw notFound('Workspace');
    return workspace;
  }
}

/** The engine itself (the CLI, automatic actions): neither a key nor a signed-in user of the workspace. */
const isOperator = (actor: Actor): boolean => actor.keyId === null && !actor.userId;

/** The audit log keeps what the API shows, minus the timestamps it already records. */
const audited = ({ created_at: _created, updated_at: _updated, ...rest }: SerializedWorkspace) => rest;

const definedOnly = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
