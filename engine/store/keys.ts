import type { Knex } from 'knex';
import { parseJson } from './db';
import type { Page, PageQuery, Paginator } from './pagination';
import type { Transaction } from './transactions';

export const SCOPES = [
  'links:read',
  'links:write',
  'analytics:read',
  'pages:read',
  'pages:write',
  'webhooks:read',
  'webhooks:write',
  'team:read',
  'conversions:write',
  'admin',
] as const;

export type Scope = (typeof SCOPES)[number];
/** A key's mode: live and test keys of one workspace see separate links, clicks, webhooks and audit logs. */
export type Mode = 'live' | 'test';

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
  /** Addresses and CIDR ranges the key may be used from (canonical form); null: any address. */
  allowedIps: string[] | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  rotatedTo: string | null;
}

/** Which keys a caller may touch: its workspace and mode through the API; any key from the CLI. */
export interface KeyOwner {
  workspaceId?: string;
  mode?: Mode;
}

export type KeyChanges = Partial<Pick<ApiKey, 'name' | 'scopes' | 'rateLimit' | 'allowedIps' | 'expiresAt' | 'revokedAt' | 'rotatedTo'>>;

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
  allowed_ips: string | null;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
  rotated_to: string | null;
}

const timeOrNull = (value: number | null): Date | null => (value === null ? null : new Date(value));
/** Epoch ms of a date; null stays null, undefined (a column an update leaves alone) stays undefined. */
const epochOf = (date: Date | null | undefined) => (date instanceof Date ? date.getTime() : date);

const toKey = (row: KeyRow): ApiKey => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  mode: row.mode,
  prefix: row.prefix,
  last4: row.last4,
  scopes: parseJson<Scope[]>(row.scopes, []),
  rateLimit: row.rate_limit ?? null,
  allowedIps: row.allowed_ips ? parseJson<string[]>(row.allowed_ips, []) : null,
  createdAt: new Date(row.created_at),
  lastUsedAt: timeOrNull(row.last_used_at),
  expiresAt: timeOrNull(row.expires_at),
  revokedAt: timeOrNull(row.revoked_at),
  rotatedTo: row.rotated_to,
});

const ownerFilter = ({ workspaceId, mode }: KeyOwner) => ({
  ...(workspaceId ? { workspace_id: workspaceId } : {}),
  ...(mode ? { mode } : {}),
});

/** API keys (`api_keys`). The secret itself is never stored: only its SHA-256, looked up on every request. */
export class KeyStore {
  constructor(private readonly db: Knex) {}

  with(tx: Transaction): KeyStore {
    return new KeyStore(tx);
  }

  async insert(key: ApiKey, keyHash: string): Promise<void> {
    const row: KeyRow = {
      id: key.id,
      workspace_id: key.workspaceId,
      name: key.name,
      mode: key.mode,
      key_hash: keyHash,
      prefix: key.prefix,
      last4: key.last4,
      scopes: JSON.stringify(key.scopes),
      rate_limit: key.rateLimit,
      allowed_ips: key.allowedIps && JSON.stringify(key.allowedIps),
      created_at: key.createdAt.getTime(),
      last_used_at: key.lastUsedAt?.getTime() ?? null,
      expires_at: key.expiresAt?.getTime() ?? null,
      revoked_at: key.revokedAt?.getTime() ?? null,
      rotated_to: key.rotatedTo,
    };
    await this.db('api_keys').insert(row);
  }

  async findByHash(keyHash: string): Promise<ApiKey | undefined> {
    const row = await this.db<KeyRow>('api_keys').where({ key_hash: keyHash }).first();
    return row && toKey(row);
  }

  async find(owner: KeyOwner, id: string): Promise<ApiKey | undefined> {
    const row = await this.db<KeyRow>('api_keys').where({ id, ...ownerFilter(owner) }).first();
    return row && toKey(row);
  }

  /** As `find`, locking the row for the rest of the transaction. */
  async findForUpdate(owner: KeyOwner, id: string): Promise<ApiKey | undefined> {
    const row = await this.db<KeyRow>('api_keys').where({ id, ...ownerFilter(owner) }).forUpdate().first();
    return row && toKey(row);
  }

  async list(owner: KeyOwner): Promise<ApiKey[]> {
    return (await this.db<KeyRow>('api_keys').where(ownerFilter(owner)).orderBy('id')).map(toKey);
  }

  async page(paginator: Paginator, owner: KeyOwner, includeRevoked: boolean, page: PageQuery): Promise<Page<ApiKey>> {
    const query = this.db('api_keys').where(ownerFilter(owner));
    if (!includeRevoked) query.whereNull('revoked_at');
    const found = await paginator.page<KeyRow>(query, page);
    return { ...found, rows: found.rows.map(toKey) };
  }

  /** Writes the fields `changes` gives (knex leaves out columns whose value is undefined). */
  async update(id: string, changes: KeyChanges): Promise<void> {
    await this.db('api_keys')
      .where({ id })
      .update({
        name: changes.name,
        scopes: changes.scopes && JSON.stringify(changes.scopes),
        rate_limit: changes.rateLimit,
        allowed_ips: changes.allowedIps === undefined ? undefined : changes.allowedIps && JSON.stringify(changes.allowedIps),
        expires_at: epochOf(changes.expiresAt),
        revoked_at: epochOf(changes.revokedAt),
        rotated_to: changes.rotatedTo,
      });
  }

  /** Records a use at `at`, unless a later one is stored already. */
  async markUsed(id: string, at: number): Promise<void> {
    await this.db('api_keys')
      .where({ id })
      .andWhere((q) => q.whereNull('last_used_at').orWhere('last_used_at', '<', at))
      .update({ last_used_at: at });
  }
}
