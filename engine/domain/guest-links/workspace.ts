import type { GuestLinkStore } from '../../store/guest-links';
import type { TransactionRunner } from '../../store/transactions';
import type { WorkspaceStore } from '../../store/workspaces';
import { ApiError } from '../../support/errors';
import { newId } from '../../support/ids';
import type { Clock } from '../../support/time';

const GUEST_WORKSPACE_NAME = 'Guest links';

/**
 * The workspace guest links live in: MASK_GUEST_WORKSPACE, or else one the engine makes at the first guest link
 * (named "Guest links") and records in `engine_settings`, so every process and every restart uses the same one.
 */
export class GuestWorkspace {
  private resolved: Promise<string> | null = null;

  constructor(
    private readonly store: GuestLinkStore,
    private readonly workspaces: WorkspaceStore,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly configured: string | undefined,
  ) {}

  /** The workspace's id; a failure (the database away) is not remembered. */
  id(): Promise<string> {
    this.resolved ??= this.resolve().catch((error: unknown) => {
      this.resolved = null;
      throw error;
    });
    return this.resolved;
  }

  private async resolve(): Promise<string> {
    if (this.configured) {
      if (!(await this.workspaces.find(this.configured))) {
        throw new GuestWorkspaceMissing(`Invalid configuration: MASK_GUEST_WORKSPACE names ${this.configured}, which is no workspace of this instance`);
      }
      return this.configured;
    }
    const made = await this.store.madeWorkspace();
    if (made) return made;
    // `mask start` makes the first workspace (and prints its key) on an empty database, after the engine started:
    // a guest workspace made before it would take that place.
    if ((await this.workspaces.count()) === 0) {
      throw new ApiError('service_unavailable', 'The instance is being set up; try again in a moment.', undefined, { retry_after: 1 });
    }
    const now = this.clock.now();
    const candidate = newId('ws', now.getTime());
    return this.transactions.run(async (tx) => {
      const id = await this.store.with(tx).claimWorkspace(candidate);
      if (id === candidate) {
        await this.workspaces.with(tx).insert({ id, name: GUEST_WORKSPACE_NAME, defaultDomain: null, createdAt: now, updatedAt: now });
      }
      return id;
    });
  }
}

export class GuestWorkspaceMissing extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuestWorkspaceMissing';
  }
}
