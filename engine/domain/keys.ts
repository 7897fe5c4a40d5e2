import type { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { ApiError, notFound } from '../support/errors';
import { newId } from '../support/ids';
import type { Clock } from '../support/time';
import { sha256Hex } from '../support/crypto';
import { parseJson } from '../store/db';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import type { Mode, Scope } from './scopes';

export interface ApiKey {
  id: string;
  workspaceId: string;
  name: string;
  mode: Mode;
  prefix: string;
  last4: string;
  scopes: Scope[];
  /** Requests per minute; null: the workspace's limit, then the instance default. */
  rateLimit: number | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  rotatedTo: string | null;
}

interface KeyRow {
  id: string;
  workspace_id: string;
  name: string;
  mode: Mode;
  key_hash: string;
  prefix: string;
  last4: string;
  scopes: string;
  rate_limit: number | null;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
  rotated_to: string | null;
}

/** Which keys a caller may touch: its workspace and mode through the API; any key from the CLI. */
export interface KeyOwner {
  workspaceId?: string;
  mode?: Mode;
}

export interface NewKey {
  workspaceId: string;
  name: string;
  mode: Mode;
  scopes: Scope[];
  rateLimit?: number | null;
}

export interface KeyChanges {
  name?: string;
  scopes?: Scope[];
  rateLimit?: number | null;
}

/** What the audit log shows of a key: never its hash. */
const auditedFields = (key: ApiKey) => ({ name: key.name, mode: key.mode, scopes: key.scopes, rate_limit: key.rateLimit });

const ownerFilter = ({ workspaceId, mode }: KeyOwner) => ({
  ...(workspaceId ? { workspace_id: workspaceId } : {}),
  ...(mode ? { mode } : {}),
});

const KEY_PATTERN = /^mk_(live|test)_[A-Za-z0-9_-]{43}$/;
const LAST_USED_FLUSH_MS = 10_000;

const toKey = (row: KeyRow): ApiKey => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  mode: row.mode,
  prefix: row.prefix,
  last4: row.last4,
  scopes: parseJson<Scope[]>(row.scopes, []),
  rateLimit: row.rate_limit ?? null,
  createdAt: new Date(row.created_at),
  lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
  expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
  revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  rotatedTo: row.rotated_to,
});

const isActive = (row: KeyRow, now: number): boolean =>
  row.revoked_at === null && (row.expires_at === null || row.expires_at > now);

/** API keys: shown once, stored as SHA-256 with a display prefix and last four characters. */
export class KeyService {
  private readonly lastUsed = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {}

  private generateSecret(mode: Mode): string {
    return `mk_${mode}_${randomBytes(32).toString('base64url')}`;
  }

  private async insert(trx: Knex, input: NewKey, now: number): Promise<{ key: ApiKey; secret: string }> {
    const secret = this.generateSecret(input.mode);
    const row: KeyRow = {
      id: newId('key', now),
      workspace_id: input.workspaceId,
      name: input.name,
      mode: input.mode,
      key_hash: sha256Hex(secret),
      prefix: secret.slice(0, 12),
      last4: secret.slice(-4),
      scopes: JSON.stringify([...new Set(input.scopes)]),
      rate_limit: input.rateLimit ?? null,
      created_at: now,
      last_used_at: null,
      expires_at: null,
      revoked_at: null,
      rotated_to: null,
    };
    await trx('api_keys').insert(row);
    return { key: toKey(row), secret };
  }

  async create(input: NewKey, actor?: Actor): Promise<{ key: ApiKey; secret: string }> {
    const now = this.clock.now();
    return this.db.transaction(async (trx) => {
      const created = await this.insert(trx, input, now.getTime());
      if (actor) {
        await recordAudit(trx, actor, {
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
    const row = await this.db<KeyRow>('api_keys').where({ key_hash: sha256Hex(secret) }).first();
    const now = this.clock.now().getTime();
    if (!row || !isActive(row, now)) return null;
    this.markUsed(row.id, now);
    return toKey(row);
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
        await this.db('api_keys').where({ id }).andWhere((q) => q.whereNull('last_used_at').orWhere('last_used_at', '<', at)).update({ last_used_at: at });
      } catch (error) {
        for (const [keptId, keptAt] of pending.slice(index)) if (!this.lastUsed.has(keptId)) this.lastUsed.set(keptId, keptAt);
        throw error;
      }
    }
  }

  async get(owner: KeyOwner, id: string): Promise<ApiKey> {
    const row = await this.db<KeyRow>('api_keys').where({ id, ...ownerFilter(owner) }).first();
    if (!row) throw notFound('API key');
    const key = toKey(row);
    const pending = this.lastUsed.get(id);
    if (pending && (!key.lastUsedAt || key.lastUsedAt.getTime() < pending)) key.lastUsedAt = new Date(pending);
    return key;
  }

  /** Keys of an owner as a query, for the paginated API list. */
  listQuery(owner: KeyOwner, includeRevoked: boolean): Knex.QueryBuilder {
    const query = this.db('api_keys').where(ownerFilter(owner));
    return includeRevoked ? query : query.whereNull('revoked_at');
  }

  fromRow = (row: unknown): ApiKey => toKey(row as KeyRow);

  async list(owner: KeyOwner = {}): Promise<ApiKey[]> {
    return (await this.db<KeyRow>('api_keys').where(ownerFilter(owner)).orderBy('id')).map(toKey);
  }

  /** Renames a key, changes its scopes or its rate limit; effective on its next request. */
  async update(owner: KeyOwner, id: string, changes: KeyChanges, actor?: Actor): Promise<ApiKey> {
    const now = this.clock.now();
    return this.db.transaction(async (trx) => {
      const row = await trx<KeyRow>('api_keys').where({ id, ...ownerFilter(owner) }).forUpdate().first();
      if (!row) throw notFound('API key');
      if (row.revoked_at !== null) throw new ApiError('conflict', 'A revoked key cannot be changed.');
      const update = {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.scopes !== undefined ? { scopes: JSON.stringify([...new Set(changes.scopes)]) } : {}),
        ...(changes.rateLimit !== undefined ? { rate_limit: changes.rateLimit } : {}),
      };
      const before = auditedFields(toKey(row));
      const updated = toKey({ ...row, ...update });
      const after = auditedFields(updated);
      if (JSON.stringify(before) === JSON.stringify(after)) return updated;
      await trx('api_keys').where({ id }).update(update);
      if (actor) await recordAudit(trx, actor, { action: 'key.updated', resourceType: 'api_key', resourceId: id, before, after }, now);
      return updated;
    });
  }

  async revoke(owner: KeyOwner, id: string, actor?: Actor): Promise<ApiKey> {
    const now = this.clock.now();
    return this.db.transaction(async (trx) => {
      const row = await trx<KeyRow>('api_keys').where({ id, ...ownerFilter(owner) }).forUpdate().first();
      if (!row) throw notFound('API key');
      if (row.revoked_at === null) {
        await trx('api_keys').where({ id }).update({ revoked_at: now.getTime() });
        if (actor) await recordAudit(trx, actor, { action: 'key.revoked', resourceType: 'api_key', resourceId: id }, now);
      }
      return toKey({ ...row, revoked_at: row.revoked_at ?? now.getTime() });
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
    return this.db.transaction(async (trx) => {
      const row = await trx<KeyRow>('api_keys').where({ id, ...ownerFilter(owner) }).forUpdate().first();
      if (!row) throw notFound('API key');
      if (!isActive(row, now.getTime())) throw new ApiError('conflict', 'Only an active key can be rotated.');
      const created = await this.insert(
        trx,
        { workspaceId: row.workspace_id, name: row.name, mode: row.mode, scopes: parseJson<Scope[]>(row.scopes, []), rateLimit: row.rate_limit },
        now.getTime(),
      );
      const until = now.getTime() + graceSeconds * 1000;
      const change = graceSeconds > 0 ? { expires_at: until, rotated_to: created.key.id } : { revoked_at: now.getTime(), rotated_to: created.key.id };
      await trx('api_keys').where({ id }).update(change);
      if (actor) {
        await recordAudit(trx, actor, {
          action: 'key.rotated',
          resourceType: 'api_key',
          resourceId: id,
          after: { rotated_to: created.key.id, grace_seconds: graceSeconds },
        }, now);
      }
      return { ...created, previous: toKey({ ...row, ...change }) };
    });
  }

  async close(): Promise<void> {
    await this.flushLastUsed();
  }
}
