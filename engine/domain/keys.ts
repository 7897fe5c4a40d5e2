import { randomBytes } from 'node:crypto';
import type { ApiKey, KeyChanges, KeyOwner, KeyStore } from '../store/keys';
import type { Page, PageQuery, Paginator } from '../store/pagination';
import type { Transaction, TransactionRunner } from '../store/transactions';
import { ApiError, notFound, validationError } from '../support/errors';
import { newId } from '../support/ids';
import type { Clock } from '../support/time';
import { sha256Hex } from '../support/crypto';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import type { Mode, Scope } from './scopes';

export type { ApiKey, KeyOwner } from '../store/keys';

export interface NewKey {
  workspaceId: string;
  name: string;
  mode: Mode;
  scopes: Scope[];
  rateLimit?: number | null;
  /** Addresses and CIDR ranges in canonical form (see ip-allow-list.ts); null or absent: any address. */
  allowedIps?: string[] | null;
}

/** What the audit log shows of a key: never its hash. */
const auditedFields = (key: ApiKey) => ({ name: key.name, mode: key.mode, scopes: key.scopes, rate_limit: key.rateLimit, allowed_ips: key.allowedIps });

/** The most a key of this workspace may be given as its own rate limit: its plan's rate_limit_per_key, or the instance default. */
export type RateLimitCeiling = (workspaceId: string, tx?: Transaction) => Promise<{ max: number; plan: boolean }>;

/**
 * The requests per minute a key gets now: its own rate_limit, capped by its plan's rate_limit_per_key (a plan
 * lowered after the key was given its limit lowers the key too); without its own, the plan's, else the instance
 * default.
 */
export function effectiveRateLimit(own: number | null, planPerKey: number | null, instanceDefault: number): number {
  if (own === null) return planPerKey ?? instanceDefault;
  return planPerKey === null ? own : Math.min(own, planPerKey);
}

const KEY_PATTERN = /^mk_(live|test)_[A-Za-z0-9_-]{43}$/;
const LAST_USED_FLUSH_MS = 10_000;

const isActive = (key: ApiKey, now: number): boolean =>
  key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > now);

/** API keys: shown once, stored as SHA-256 with a display prefix and last four characters. */
export class KeyService {
  private readonly lastUsed = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly keys: KeyStore,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly paginator: Paginator,
    private readonly ceiling: RateLimitCeiling,
  ) {}

  /** How to tell each key of a workspace its effective rate limit (one read of the plan for a whole page of keys). */
  async effectiveRateLimits(workspaceId: string): Promise<(key: ApiKey) => number> {
    const { max, plan } = await this.ceiling(workspaceId);
    return (key) => effectiveRateLimit(key.rateLimit, plan ? max : null, max);
  }

  /**
   * Set by the workspace (a key or a signed-in user), a key's own rate limit may only lower what its plan allows:
   * raising it is the operator's (the plan, or a key made without a workspace actor, e.g. by the engine's owner).
   */
  private async checkRateLimit(actor: Actor | undefined, workspaceId: string, rateLimit: number | null | undefined, tx?: Transaction): Promise<void> {
    if (typeof rateLimit !== 'number' || !actor || (actor.keyId === null && !actor.userId)) return;
    const { max, plan } = await this.ceiling(workspaceId, tx);
    if (rateLimit <= max) return;
    const what = plan ? `the plan's rate_limit_per_key (${max})` : `the instance default (${max}, MASK_RATE_LIMIT_PER_MINUTE)`;
    throw validationError(
      [{ field: 'rate_limit', message: `Must be at most ${max} requests per minute: ${what}` }],
      `A key's rate_limit can only lower ${what}; the operator changes the plan with \`mask workspace plan\`.`,
    );
  }

  private generateSecret(mode: Mode): string {
    return `mk_${mode}_${randomBytes(32).toString('base64url')}`;
  }

  private async insert(tx: Transaction, input: NewKey, now: Date): Promise<{ key: ApiKey; secret: string }> {
    const secret = this.generateSecret(input.mode);
    const key: ApiKey = {
      id: newId('key', now.getTime()),
      workspaceId: input.workspaceId,
      name: input.name,
      mode: input.mode,
      prefix: secret.slice(0, 12),
      last4: secret.slice(-4),
      scopes: [...new Set(input.scopes)],
      rateLimit: input.rateLimit ?? null,
      allowedIps: input.allowedIps?.length ? input.allowedIps : null,
      createdAt: now,
      lastUsedAt: null,
      expiresAt: null,
      revokedAt: null,
      rotatedTo: null,
    };
    await this.keys.with(tx).insert(key, sha256Hex(secret));
    return { key, secret };
  }

  /** The key, locked for the rest of the transaction. */
  private async lock(tx: Transaction, owner: KeyOwner, id: string): Promise<ApiKey> {
    const key = await this.keys.with(tx).findForUpdate(owner, id);
    if (!key) throw notFound('API key');
    return key;
  }

  async create(input: NewKey, actor?: Actor): Promise<{ key: ApiKey; secret: string }> {
    await this.checkRateLimit(actor, input.workspaceId, input.rateLimit);
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const created = await this.insert(tx, input, now);
      if (actor) {
        await recordAudit(tx, actor, {
          action: 'key.created',
          resourceType: 'api_key',
          resourceId: created.key.id,
          after: auditedFields(created.key),
        }, now);
      }
      return created;
    });
  }

  /** Resolves a presented secret to an active key, or null. Looked up by hash, so revocation is immediate. */
  async authenticate(secret: string): Promise<ApiKey | null> {
    if (!KEY_PATTERN.test(secret)) return null;
    const key = await this.keys.findByHash(sha256Hex(secret));
    const now = this.clock.now().getTime();
    if (!key || !isActive(key, now)) return null;
    this.markUsed(key.id, now);
    return key;
  }

  /** Remembers the use in memory; written in one batched update every few seconds instead of once per request. */
  private markUsed(id: string, at: number): void {
    this.lastUsed.set(id, at);
    // A failed background write (the database is away) must not end the process: the uses wait for the next flush.
    this.flushTimer ??= setTimeout(() => void this.flushLastUsed().catch(() => undefined), LAST_USED_FLUSH_MS).unref();
  }

  /** Writes the remembered uses; on failure keeps the unwritten ones (unless newer ones came in) and rejects. */
  async flushLastUsed(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const pending = [...this.lastUsed];
    this.lastUsed.clear();
    for (const [index, [id, at]] of pending.entries()) {
      try {
        await this.keys.markUsed(id, at);
      } catch (error) {
        for (const [keptId, keptAt] of pending.slice(index)) if (!this.lastUsed.has(keptId)) this.lastUsed.set(keptId, keptAt);
        throw error;
      }
    }
  }

  async get(owner: KeyOwner, id: string): Promise<ApiKey> {
    const key = await this.keys.find(owner, id);
    if (!key) throw notFound('API key');
    const pending = this.lastUsed.get(id);
    if (pending && (!key.lastUsedAt || key.lastUsedAt.getTime() < pending)) key.lastUsedAt = new Date(pending);
    return key;
  }

  /** A page of an owner's keys, newest first unless `page` says otherwise (the API list). */
  page(owner: KeyOwner, includeRevoked: boolean, page: PageQuery): Promise<Page<ApiKey>> {
    return this.keys.page(this.paginator, owner, includeRevoked, page);
  }

  async list(owner: KeyOwner = {}): Promise<ApiKey[]> {
    return this.keys.list(owner);
  }

  /** Renames a key, changes its scopes, its rate limit or its allowed addresses; effective on its next request. */
  async update(owner: KeyOwner, id: string, changes: Pick<KeyChanges, 'name' | 'scopes' | 'rateLimit' | 'allowedIps'>, actor?: Actor): Promise<ApiKey> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const key = await this.lock(tx, owner, id);
      if (key.revokedAt !== null) throw new ApiError('conflict', 'A revoked key cannot be changed.');
      if (changes.rateLimit !== key.rateLimit) await this.checkRateLimit(actor, key.workspaceId, changes.rateLimit, tx);
      const update: KeyChanges = {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.scopes !== undefined ? { scopes: [...new Set(changes.scopes)] } : {}),
        ...(changes.rateLimit !== undefined ? { rateLimit: changes.rateLimit } : {}),
        ...(changes.allowedIps !== undefined ? { allowedIps: changes.allowedIps?.length ? changes.allowedIps : null } : {}),
      };
      const updated = { ...key, ...update };
      const [before, after] = [auditedFields(key), auditedFields(updated)];
      if (JSON.stringify(before) === JSON.stringify(after)) return updated;
      await this.keys.with(tx).update(id, update);
      if (actor) await recordAudit(tx, actor, { action: 'key.updated', resourceType: 'api_key', resourceId: id, before, after }, now);
      return updated;
    });
  }

  async revoke(owner: KeyOwner, id: string, actor?: Actor): Promise<ApiKey> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const key = await this.lock(tx, owner, id);
      if (key.revokedAt === null) {
        await this.keys.with(tx).update(id, { revokedAt: now });
        if (actor) await recordAudit(tx, actor, { action: 'key.revoked', resourceType: 'api_key', resourceId: id }, now);
      }
      return { ...key, revokedAt: key.revokedAt ?? now };
    });
  }

  /**
   * Issues a replacement with the same name, mode and scopes in one transaction. The old key stays valid for
   * `graceSeconds` (0: revoked at once).
   */
  async rotate(
    owner: KeyOwner,
    id: string,
    graceSeconds: number,
    actor?: Actor,
  ): Promise<{ key: ApiKey; secret: string; previous: ApiKey }> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const key = await this.lock(tx, owner, id);
      if (!isActive(key, now.getTime())) throw new ApiError('conflict', 'Only an active key can be rotated.');
      const created = await this.insert(tx, { workspaceId: key.workspaceId, name: key.name, mode: key.mode, scopes: key.scopes, rateLimit: key.rateLimit, allowedIps: key.allowedIps }, now);
      const change: KeyChanges = graceSeconds > 0
        ? { expiresAt: new Date(now.getTime() + graceSeconds * 1000), rotatedTo: created.key.id }
        : { revokedAt: now, rotatedTo: created.key.id };
      await this.keys.with(tx).update(id, change);
      if (actor) {
        await recordAudit(tx, actor, {
          action: 'key.rotated',
          resourceType: 'api_key',
          resourceId: id,
          after: { rotated_to: created.key.id, grace_seconds: graceSeconds },
        }, now);
      }
      return { ...created, previous: { ...key, ...change } };
    });
  }

  async close(): Promise<void> {
    await this.flushLastUsed();
  }
}
