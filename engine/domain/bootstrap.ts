import type { ApiKey, KeyService } from './keys';
import type { Workspace, WorkspaceService } from './workspaces';

/** On an empty database: a default workspace and one live admin key, whose secret the caller shows once. */
export async function bootstrapFirstWorkspace(
  services: { workspaces: WorkspaceService; keys: KeyService },
): Promise<{ workspace: Workspace; key: ApiKey; secret: string } | null> {
  if ((await services.workspaces.count()) > 0) return null;
  const workspace = await services.workspaces.create({ name: 'Default' });
  // A concurrent first start may have created one too; keep the oldest and only print a key for ours if it won.
  const [oldest] = await services.workspaces.list();
  if (oldest.id !== workspace.id) return null;
  const { key, secret } = await services.keys.create({ workspaceId: workspace.id, name: 'Admin key (first start)', mode: 'live', scopes: ['admin'] });
  return { workspace, key, secret };
}
