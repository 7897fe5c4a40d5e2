import type { Knex } from 'knex';
import { systemActor, type Actor } from '../domain/actor';
import { recordAudit } from '../domain/audit';
import type { Mode } from '../domain/scopes';
import { asBool, parseJson } from '../store/db';
import type { TransactionRunner } from '../store/transactions';
import type { DisabledReason, EndpointRow, WebhookEndpointStore } from '../store/webhook-endpoints';
import { ApiError, notFound, validationError } from '../support/errors';
import { newId } from '../support/ids';
import type { Clock } from '../support/time';
import type { DeliveryStore } from '../store/webhook-deliveries';
import { generateSecret } from './signer';
import type { TargetGuard } from './target-guard';

export const EVENT_WILDCARD = '*';
export type { EndpointRow };
/** How long the previous secret keeps signing after a rotation unless the caller says otherwise. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;
const MAX_ENDPOINTS_PER_MODE = 100;

export interface WebhookEndpoint {
  id: string;
  workspaceId: string;
  mode: Mode;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabledReason: DisabledReason | null;
  disabledAt: Date | null;
  failingSince: Date | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface EndpointInput {
  url: string;
  events: string[];
  description?: string | null;
  enabled?: boolean;
}

interface Owner {
  workspaceId: string;
  mode: Mode;
}

const date = (ms: number | null) => (ms === null ? null : new Date(Number(ms)));

export function toEndpoint(row: EndpointRow, now: number): WebhookEndpoint {
  const graceEnds = row.previous_secret_expires_at === null ? null : Number(row.previous_secret_expires_at);
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    mode: row.mode,
    url: row.url,
    description: row.description,
    events: parseJson<string[]>(row.events, []),
    enabled: asBool(row.enabled),
    disabledReason: row.disabled_reason,
    disabledAt: date(row.disabled_at),
    failingSince: date(row.failing_since),
    previousSecretExpiresAt: graceEnds !== null && graceEnds > now ? new Date(graceEnds) : null,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

export const subscribes = (events: readonly string[], type: string): boolean => events.includes(EVENT_WILDCARD) || events.includes(type);

/** What the audit log keeps of an endpoint: never its secret. */
const auditView = (row: Pick<EndpointRow, 'url' | 'events' | 'description' | 'enabled'>) => ({
  url: row.url,
  events: parseJson<string[]>(row.events, []),
  description: row.description,
  enabled: asBool(row.enabled),
});

/** Webhook endpoints of a workspace and mode: registration (with the SSRF check), changes, rotation, disabling. */
export class EndpointService {
  constructor(
    private readonly store: WebhookEndpointStore,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly guard: TargetGuard,
    private readonly deliveries: DeliveryStore,
  ) {}

  private async checkUrl(url: string): Promise<void> {
    const reason = await this.guard.registrationRefusal(new URL(url));
    if (reason) throw validationError([{ field: 'url', message: `Refused by the SSRF policy: ${reason}.` }], 'The webhook URL is not allowed.');
  }

  fromRow = (row: unknown): WebhookEndpoint => toEndpoint(row as EndpointRow, this.clock.now().getTime());

  listQuery(owner: Owner, enabled?: boolean): Knex.QueryBuilder {
    return this.store.listQuery(owner, enabled);
  }

  /** The endpoint row of this owner, or a 404 exactly like an id that never existed. */
  async findRow(owner: Owner, id: string, trx?: Knex | Knex.Transaction, forUpdate = false): Promise<EndpointRow> {
    const row = await this.store.find(owner, id, trx, forUpdate);
    if (!row) throw notFound('Webhook');
    return row;
  }

  async get(owner: Owner, id: string): Promise<WebhookEndpoint> {
    return this.fromRow(await this.findRow(owner, id));
  }

  async create(actor: Actor, input: EndpointInput): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    await this.checkUrl(input.url);
    const now = this.clock.now();
    const secret = generateSecret();
    const enabled = input.enabled ?? true;
    const row: EndpointRow = {
      id: newId('wh', now.getTime()),
      workspace_id: actor.workspaceId,
      mode: actor.mode,
      url: input.url,
      description: input.description ?? null,
      events: JSON.stringify(input.events),
      enabled,
      secret,
      previous_secret: null,
      previous_secret_expires_at: null,
      disabled_reason: enabled ? null : 'manual',
      disabled_at: enabled ? null : now.getTime(),
      failing_since: null,
      created_at: now.getTime(),
      updated_at: now.getTime(),
    };
    await this.transactions.run(async (trx) => {
      if ((await this.store.count(trx, actor)) >= MAX_ENDPOINTS_PER_MODE) {
        throw new ApiError('conflict', `A workspace can have at most ${MAX_ENDPOINTS_PER_MODE} webhook endpoints per mode; delete one first.`);
      }
      await this.store.insert(trx, row);
      await recordAudit(trx, actor, { action: 'webhook.created', resourceType: 'webhook_endpoint', resourceId: row.id, after: auditView(row) }, now);
    });
    return { endpoint: this.fromRow(row), secret };
  }

  async update(actor: Actor, id: string, patch: Partial<EndpointInput>): Promise<WebhookEndpoint> {
    if (patch.url !== undefined) await this.checkUrl(patch.url);
    const now = this.clock.now();
    return this.transactions.run(async (trx) => {
      const before = await this.findRow(actor, id, trx, true);
      const change: Partial<EndpointRow> = { updated_at: now.getTime() };
      if (patch.url !== undefined) change.url = patch.url;
      if (patch.events !== undefined) change.events = JSON.stringify(patch.events);
      if (patch.description !== undefined) change.description = patch.description;
      const wasEnabled = asBool(before.enabled);
      if (patch.enabled === true && !wasEnabled) {
        Object.assign(change, { enabled: true, disabled_reason: null, disabled_at: null, failing_since: null });
      } else if (patch.enabled === false && wasEnabled) {
        Object.assign(change, { enabled: false, disabled_reason: 'manual', disabled_at: now.getTime() });
        await this.deliveries.failPending(trx, id, 'endpoint disabled', now.getTime());
      }
      await this.store.update(trx, id, change);
      const after = { ...before, ...change } as EndpointRow;
      await recordAudit(trx, actor, { action: 'webhook.updated', resourceType: 'webhook_endpoint', resourceId: id, before: auditView(before), after: auditView(after) }, now);
      return this.fromRow(after);
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const now = this.clock.now();
    await this.transactions.run(async (trx) => {
      const row = await this.findRow(actor, id, trx, true);
      // Its deliveries go with it (ON DELETE CASCADE); the events stay, other endpoints may still need them.
      await this.store.delete(trx, id);
      await recordAudit(trx, actor, { action: 'webhook.deleted', resourceType: 'webhook_endpoint', resourceId: id, before: auditView(row) }, now);
    });
  }

  /** The current signing secret in the clear (stored sealed), for an admin who needs it again; each reveal is audited. */
  async revealSecret(actor: Actor, id: string): Promise<string> {
    const now = this.clock.now();
    return this.transactions.run(async (trx) => {
      const row = await this.findRow(actor, id, trx);
      await recordAudit(trx, actor, { action: 'webhook.secret_revealed', resourceType: 'webhook_endpoint', resourceId: id }, now);
      return row.secret;
    });
  }

  /** A new secret; the previous one keeps signing (as a second signature) for `graceSeconds`. */
  async rotateSecret(actor: Actor, id: string, graceSeconds: number): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const now = this.clock.now();
    const secret = generateSecret();
    return this.transactions.run(async (trx) => {
      const row = await this.findRow(actor, id, trx, true);
      const change = {
        secret,
        previous_secret: graceSeconds > 0 ? row.secret : null,
        previous_secret_expires_at: graceSeconds > 0 ? now.getTime() + graceSeconds * 1000 : null,
        updated_at: now.getTime(),
      };
      await this.store.update(trx, id, change);
      await recordAudit(trx, actor, {
        action: 'webhook.secret_rotated',
        resourceType: 'webhook_endpoint',
        resourceId: id,
        after: { previous_secret_expires_at: change.previous_secret_expires_at, grace_seconds: graceSeconds },
      }, now);
      return { endpoint: this.fromRow({ ...row, ...change }), secret };
    });
  }

  /**
   * Disables an endpoint on the engine's own authority (410 Gone, or failing for too long), fails its pending
   * deliveries and audits it with the system actor. False when it was already disabled.
   */
  async disable(endpoint: { id: string; workspaceId: string; mode: Mode }, reason: Exclude<DisabledReason, 'manual'>, at: Date): Promise<boolean> {
    return this.transactions.run(async (trx) => {
      if (!(await this.store.disableIfEnabled(trx, endpoint.id, reason, at.getTime()))) return false;
      await this.deliveries.failPending(trx, endpoint.id, `endpoint disabled (${reason})`, at.getTime());
      await recordAudit(trx, systemActor(endpoint.workspaceId, endpoint.mode), {
        action: 'webhook.disabled',
        resourceType: 'webhook_endpoint',
        resourceId: endpoint.id,
        before: { enabled: true, disabled_reason: null },
        after: { enabled: false, disabled_reason: reason },
      }, at);
      return true;
    });
  }

  /** An endpoint snapshot (a claimed delivery's) with its signing secrets opened: the rows hold them sealed. */
  openSecrets<T extends { secret: string; previous_secret: string | null }>(endpoint: T): T {
    return { ...endpoint, secret: this.store.open(endpoint.secret), previous_secret: this.store.open(endpoint.previous_secret) };
  }

  /** At start-up: seals secrets stored in plaintext (or under a previous key); see WebhookEndpointStore. */
  sealStoredSecrets(): Promise<number> {
    return this.store.sealStoredSecrets();
  }

  /** Bookkeeping for "failing continuously": the start of a failure run, cleared by any success. */
  markFailing(id: string, at: number): Promise<void> {
    return this.store.markFailing(id, at);
  }

  markHealthy(id: string): Promise<void> {
    return this.store.markHealthy(id);
  }
}
