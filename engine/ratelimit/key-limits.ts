import { LRUCache } from 'lru-cache';
import { effectiveRateLimit, type ApiKey } from '../domain/keys';
import type { WorkspaceStore } from '../store/workspaces';

const WORKSPACE_CACHE_MS = 10_000;

/**
 * The per-minute limit of a key: its own `rate_limit` capped by its workspace's (the plan's rate_limit_per_key), else
 * its workspace's, else the instance default (see effectiveRateLimit). Workspace limits are read at most every 10 s
 * per process, so a change applies everywhere within that time.
 */
export class KeyRateLimits {
  private readonly workspaces = new LRUCache<string, { limit: number | null }>({ max: 10_000, ttl: WORKSPACE_CACHE_MS });

  constructor(
    private readonly workspaceStore: WorkspaceStore,
    private readonly instanceDefault: number,
  ) {}

  async limitFor(key: ApiKey): Promise<number> {
    return effectiveRateLimit(key.rateLimit, await this.workspaceLimit(key.workspaceId), this.instanceDefault);
  }

  async workspaceLimit(workspaceId: string): Promise<number | null> {
    const cached = this.workspaces.get(workspaceId);
    if (cached) return cached.limit;
    const limit = await this.workspaceStore.rateLimitOf(workspaceId);
    this.workspaces.set(workspaceId, { limit });
    return limit;
  }

  /** Forgets a workspace's cached limit after changing it, so this process applies the new one at once. */
  forget(workspaceId: string): void {
    this.workspaces.delete(workspaceId);
  }
}
