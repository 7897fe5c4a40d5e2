import { me } from '../../contracts/keys';
import type { ApiServices } from './deps';
import { notFound } from '../../support/errors';
import { defineRoute } from '../route';

export const meRoutes = ({ workspaces }: ApiServices) => [
  defineRoute({
    method: 'get',
    path: '/me',
    scope: null,
    tag: 'Workspace',
    summary: 'The calling key, its workspace, scopes and mode',
    description: 'Any valid key may call it, whatever its scopes; n8n uses it to test a credential.',
    response: me,
    async handler({ key, actor }) {
      const workspace = await workspaces.find(actor.workspaceId);
      if (!workspace) throw notFound('Workspace');
      return {
        workspace: { id: workspace.id, name: workspace.name, default_domain: workspace.defaultDomain },
        key: key && { id: key.id, name: key.name, prefix: key.prefix, last4: key.last4 },
        scopes: [...actor.scopes],
        mode: actor.mode,
      };
    },
  }),
];
