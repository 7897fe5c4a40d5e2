import { HostnameTaken, type CustomDomainStore } from '../store/custom-domains';
import type { TransactionRunner } from '../store/transactions';
import type { WorkspaceRecord, WorkspaceStore } from '../store/workspaces';
import { ApiError } from '../support/errors';
import { newId } from '../support/ids';
import type { Clock } from '../support/time';
import type { InstanceHost } from './instance-domain';

export interface Workspace {
  id: string;
  name: string;
  defaultDomain: string;
  createdAt: Date;
}

export class WorkspaceService {
  constructor(
    private readonly workspaces: WorkspaceStore,
    private readonly domains: CustomDomainStore,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly instance: InstanceHost,
  ) {}

  /** Read at use: the stored instance domain replaces the configured one when the engine starts. */
  private get instanceDomain(): string {
    return this.instance.hostname;
  }

  private toWorkspace(record: WorkspaceRecord): Workspace {
    return {
      id: record.id,
      name: record.name,
      defaultDomain: record.defaultDomain ?? this.instanceDomain,
      createdAt: record.createdAt,
    };
  }

  /** Creates a workspace; with `domain`, that custom domain is created too and becomes its default. */
  async create(input: { name: string; domain?: string }): Promise<Workspace> {
    const now = this.clock.now();
    const id = newId('ws', now.getTime());
    const hostname = input.domain?.toLowerCase();
    try {
      await this.transactions.run(async (tx) => {
        await this.workspaces.with(tx).insert({ id, name: input.name, defaultDomain: hostname ?? null, createdAt: now, updatedAt: now });
        if (hostname && hostname !== this.instanceDomain) {
          await this.domains.with(tx).insert({
            id: newId('dom', now.getTime()),
            workspaceId: id,
            hostname,
            secure: !isLocalHost(hostname),
            isDefault: true,
            createdAt: now,
          });
        }
      });
    } catch (error) {
      if (error instanceof HostnameTaken) throw new ApiError('conflict', `The domain ${hostname} belongs to another workspace.`);
      throw error;
    }
    return (await this.find(id)) as Workspace;
  }

  async find(id: string): Promise<Workspace | null> {
    const record = await this.workspaces.find(id);
    return record ? this.toWorkspace(record) : null;
  }

  async list(): Promise<Workspace[]> {
    return (await this.workspaces.list()).map((record) => this.toWorkspace(record));
  }

  count(): Promise<number> {
    return this.workspaces.count();
  }
}

export const isLocalHost = (hostname: string): boolean =>
  /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(hostname.toLowerCase());
