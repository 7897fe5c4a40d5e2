import { deletedResponse, idParams, listResponse } from '../../contracts/common';
import { createMemberBody, listMembersQuery, member, serializeMember, updateMemberBody } from '../../contracts/members';
import type { ApiServices } from './deps';
import { defineRoute } from '../route';
import { ApiError } from '../../support/errors';

export const memberRoutes = ({ members }: ApiServices) => [
  defineRoute({
    method: 'get',
    path: '/members',
    scope: 'team:read',
    tag: 'Members',
    summary: 'List team members',
    description: 'Members of the workspace, oldest first. Members are records for ownership and audit, not logins.',
    query: listMembersQuery,
    response: listResponse(member),
    async handler({ query, actor }) {
      const page = await members.page(actor.workspaceId, { role: query.role, email: query.email }, {
        limit: query.limit,
        cursor: query.cursor,
        sort: 'id',
        order: 'asc',
        scope: `members:${actor.workspaceId}:${query.role ?? ''}:${query.email?.toLowerCase() ?? ''}`,
      });
      return { data: page.rows.map(serializeMember), pagination: { has_more: page.hasMore, cursor: page.cursor } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/members/:id',
    scope: 'team:read',
    tag: 'Members',
    summary: 'Get a team member',
    params: idParams('mem'),
    response: member,
    async handler({ params, actor }) {
      return serializeMember(await members.get(actor.workspaceId, params.id));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/members',
    scope: 'admin',
    tag: 'Members',
    summary: 'Add a team member',
    description: 'No password and no invitation: a record of who belongs to the workspace. 409 when the email is already a member.',
    body: createMemberBody,
    response: member,
    status: 201,
    async handler({ body, actor }) {
      return serializeMember(await members.add(actor, body));
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/members/:id',
    scope: 'admin',
    tag: 'Members',
    summary: 'Rename a member or change their role',
    description: '409 when it would leave the workspace without an owner while other members remain.',
    params: idParams('mem'),
    body: updateMemberBody,
    response: member,
    async handler({ params, body, actor }) {
      return serializeMember(await members.update(actor, params.id, body));
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/members/:id',
    scope: 'admin',
    tag: 'Members',
    summary: 'Remove a team member',
    description: '409 for the only owner while other members remain.',
    params: idParams('mem'),
    response: deletedResponse,
    async handler({ params, actor }) {
      const removed = await members.remove(actor, params.id);
      return { deleted: true, id: removed.id };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/workspace/leave',
    access: 'session',
    scope: null,
    tag: 'Members',
    summary: 'Leave the workspace (the signed-in user)',
    description:
      'Removes your own membership of the selected workspace (X-Mask-Workspace), whatever your role, audited as `member.left`; the only owner gets 409 (transfer ownership first). Your sessions end, as for any removed member.',
    status: 204,
    async handler({ actor, session }) {
      const principal = session as NonNullable<typeof session>;
      await members.leave({ ...actor, userId: principal.userId });
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/members/:id/transfer-ownership',
    scope: 'admin',
    tag: 'Members',
    summary: 'Make a member the owner; the calling owner becomes admin',
    description: 'Owner only: a dashboard session whose role is owner (API keys get 403; `mask members transfer-ownership` is the CLI way). One transaction, audited as `member.ownership_transferred`.',
    params: idParams('mem'),
    response: member,
    async handler({ params, actor, session }) {
      if (session?.role !== 'owner' || !actor.userId) throw new ApiError('forbidden', 'Only an owner of the workspace, signed in, can transfer its ownership.');
      return serializeMember(await members.transferOwnership(actor, params.id));
    },
  }),
];
