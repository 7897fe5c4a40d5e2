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
    summary: 'Rename the workspace or change its default domain',
    description:
      'Only the fields given change; live admin keys only (a test key answers 403: these are the live settings). ' +
      'The plan is read here but set by the operator with `mask workspace plan` (a `plan` field answers 403).',
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
