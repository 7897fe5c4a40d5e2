import type { Knex } from 'knex';
import { notFound, validationError } from '../support/errors';
import type { Clock } from '../support/time';
import { toIso } from '../support/time';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import type { DomainService } from './domains';
import type { Outbox } from './outbox';
import { PLAN_COLUMNS, planColumns, planOf, serializePlan, type Plan, type PlanLimits, type PlanRow, type Usage } from './plans';

interface SettingsRow extends PlanRow {
  id: string;
  name: string;
  default_domain: string | null;
  created_at: number;
  updated_at: number;
}

export interface WorkspacePatch {
  name?: string;
  /** A host name of the workspace or the instance domain; null: the instance domain. */
  defaultDomain?: string | null;
  plan?: Partial<Plan>;
}

export interface WorkspaceSettingsView {
  workspace: ReturnType<WorkspaceSettings['present']>;
  usage: Usage;
  plan: Plan;
}

/** After a plan change is committed: lets the parts that cache a workspace's limits (rate limiting) forget them. */
export type PlanChangeListener = (workspaceId: string, plan: Plan) => void;

/**
 * GET and PATCH /workspace: the name, the default domain and the plan. A plan change is audited and announced as
 * `subscription.updated` in the same transaction, to the endpoints of both modes (the plan is the workspace's, not a
 * mode's); its data is the workspace after the change, with `previous`: the workspace before it.
 */
export class WorkspaceSettings {
  private readonly planListeners: PlanChangeListener[] = [];

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    private readonly instanceDomain: string,
    private readonly domains: DomainService,
    private readonly limits: PlanLimits,
    private readonly outbox: Outbox,
  ) {}

  onPlanChange(listener: PlanChangeListener): void {
    this.planListeners.push(listener);
  }

  /** The public workspace object (without usage, which depends on the caller's mode). */
  present(row: SettingsRow) {
    return {
      id: row.id,
      name: row.name,
      default_domain: row.default_domain ?? this.instanceDomain,
      plan: serializePlan(planOf(row)),
      created_at: toIso(row.created_at) as string,
      updated_at: toIso(row.updated_at) as string,
    };
  }

  async get(actor: Actor): Promise<WorkspaceSettingsView> {
    const row = await this.row(this.db, actor.workspaceId);
    return { workspace: this.present(row), plan: planOf(row), usage: await this.limits.usage(actor, this.clock.now()) };
  }

  async update(actor: Actor, patch: WorkspacePatch): Promise<WorkspaceSettingsView> {
    const now = this.clock.now();
    const { row, planChanged } = await this.db.transaction(async (trx) => {
      const before = await this.row(trx, actor.workspaceId, true);
      const changes: Partial<SettingsRow> = {};
      if (patch.name !== undefined && patch.name !== before.name) changes.name = patch.name;
      if (patch.plan !== undefined) {
        const plan = planColumns({ ...planOf(before), ...definedOnly(patch.plan) });
        for (const column of PLAN_COLUMNS) if (!samePlanValue(plan[column], before[column])) Object.assign(changes, { [column]: plan[column] });
      }
      const defaultDomain = patch.defaultDomain === undefined ? undefined : patch.defaultDomain === this.instanceDomain ? null : patch.defaultDomain;
      const domainChanged = defaultDomain !== undefined && defaultDomain !== before.default_domain;
      if (Object.keys(changes).length === 0 && !domainChanged) return { row: before, planChanged: false };

      if (domainChanged) {
        if (defaultDomain !== null && !(await trx('domains').where({ workspace_id: actor.workspaceId, hostname: defaultDomain }).first('id'))) {
          throw validationError([{ field: 'default_domain', message: `${defaultDomain} is not a domain of this workspace; add it with POST /domains first` }]);
        }
        await this.domains.setDefault(trx, actor.workspaceId, defaultDomain, now);
      }
      changes.updated_at = Math.max(now.getTime(), before.updated_at + 1);
      await trx('workspaces').where({ id: actor.workspaceId }).update(changes);
      const after = { ...before, ...changes, default_domain: domainChanged ? defaultDomain : before.default_domain };
      const [shownBefore, shownAfter] = [this.present(before), this.present(after)];
      await recordAudit(trx, actor, { action: 'workspace.updated', resourceType: 'workspace', resourceId: actor.workspaceId, before: audited(shownBefore), after: audited(shownAfter) }, now);
      const planChanged = PLAN_COLUMNS.some((column) => column in changes);
      if (planChanged) {
        const data = { ...shownAfter, previous: shownBefore };
        await this.outbox.enqueue(
          trx,
          (['live', 'test'] as const).map((mode) => ({ workspaceId: actor.workspaceId, mode, type: 'subscription.updated' as const, data })),
          now,
        );
      }
      return { row: after, planChanged };
    });
    const plan = planOf(row);
    if (planChanged) for (const listener of this.planListeners) listener(actor.workspaceId, plan);
    return { workspace: this.present(row), plan, usage: await this.limits.usage(actor, now) };
  }

  private async row(db: Knex, workspaceId: string, lock = false): Promise<SettingsRow> {
    const query = db<SettingsRow>('workspaces').where({ id: workspaceId });
    const row = await (lock ? query.forNoKeyUpdate() : query).first();
    if (!row) throw notFound('Workspace');
    return row;
  }
}

/** The audit log keeps what the API shows, minus the timestamps it already records. */
const audited = ({ created_at: _created, updated_at: _updated, ...rest }: ReturnType<WorkspaceSettings['present']>) => rest;

const definedOnly = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

const samePlanValue = (a: unknown, b: unknown) => (a === null || b === null ? a === b : String(a) === String(b));
