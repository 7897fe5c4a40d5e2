import { updateWorkspaceBody, workspaceWithUsage } from '../../contracts/workspace';
import type { WorkspaceSettingsView } from '../../domain/workspace-settings';
import { serializeUsage } from '../../domain/plans';
import type { ApiServices } from './deps';
import { defineRoute } from '../route';

const present = ({ workspace, usage, plan }: WorkspaceSettingsView) => ({ ...workspace, usage: serializeUsage(usage, plan) });

export const workspaceRoutes = ({ workspaceSettings }: ApiServices) => [
  defineRoute({
    method: 'get',
    path: '/workspace',
    scope: 'admin',
    tag: 'Workspace',
    summary: 'The workspace: name, default domain, plan and usage',
    description: 'Usage is the calling key’s mode (live or test): each mode has its own allowance under the same plan.',
    response: workspaceWithUsage,
    async handler({ actor }) {
      return present(await workspaceSettings.get(actor));
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/workspace',
    scope: 'admin',
    tag: 'Workspace',
    summary: 'Rename the workspace, change its default domain or its plan',
    description:
      'Only the fields given change. A plan change emits subscription.updated (to live and test endpoints) with the ' +
      'workspace after the change and, in `previous`, before it. Lowering a limit below current usage keeps what exists ' +
      'and refuses new links until usage is under it again.',
    body: updateWorkspaceBody,
    response: workspaceWithUsage,
    async handler({ body, actor }) {
      const plan = body.plan && {
        name: body.plan.name,
        maxLinks: body.plan.max_links,
        maxClicksPerMonth: body.plan.max_clicks_per_month,
        rateLimitPerKey: body.plan.rate_limit_per_key,
      };
      return present(await workspaceSettings.update(actor, { name: body.name, defaultDomain: body.default_domain, plan }));
    },
  }),
];
