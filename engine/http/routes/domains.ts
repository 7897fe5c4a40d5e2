import { deletedResponse, idParams, listResponse } from '../../contracts/common';
import { createDomainBody, domain, listDomainsQuery, serializeDomain, updateDomainBody } from '../../contracts/domains';
import type { ApiServices } from './deps';
import { defineRoute } from '../route';

export const domainRoutes = ({ domains }: ApiServices) => [
  defineRoute({
    method: 'get',
    path: '/domains',
    scope: 'admin',
    tag: 'Domains',
    summary: 'List custom domains',
    description:
      'The workspace’s custom domains, oldest first. The instance domain, which every workspace shares, is not listed; ' +
      'GET /workspace shows which domain is the default.',
    query: listDomainsQuery,
    response: listResponse(domain),
    async handler({ query, actor }) {
      const page = await domains.page(actor.workspaceId, {
        limit: query.limit,
        cursor: query.cursor,
        sort: 'id',
        order: 'asc',
        scope: `domains:${actor.workspaceId}`,
      });
      return { data: page.rows.map(serializeDomain), pagination: { has_more: page.hasMore, cursor: page.cursor } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/domains',
    scope: 'admin',
    tag: 'Domains',
    summary: 'Add a custom domain',
    description:
      'Point the host name’s DNS at this instance; redirects then route by the Host header. A host name belongs to one ' +
      'workspace in the whole instance: 409 when it is taken (or is the instance domain).',
    body: createDomainBody,
    response: domain,
    status: 201,
    async handler({ body, actor }) {
      return serializeDomain(await domains.create(actor, { hostname: body.hostname, secure: body.secure, isDefault: body.is_default }));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/domains/:id',
    scope: 'admin',
    tag: 'Domains',
    summary: 'Get a custom domain',
    params: idParams('dom'),
    response: domain,
    async handler({ params, actor }) {
      return serializeDomain(await domains.get(actor.workspaceId, params.id));
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/domains/:id',
    scope: 'admin',
    tag: 'Domains',
    summary: 'Make a domain the default, or change its scheme',
    description: 'is_default: true makes it the one default of the workspace (the previous one stops being it).',
    params: idParams('dom'),
    body: updateDomainBody,
    response: domain,
    async handler({ params, body, actor }) {
      return serializeDomain(await domains.update(actor, params.id, { isDefault: body.is_default, secure: body.secure }));
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/domains/:id',
    scope: 'admin',
    tag: 'Domains',
    summary: 'Delete a custom domain',
    description:
      '409 while links (of either mode) or bio pages still use it. Deleting the default domain makes the instance domain ' +
      'the default again.',
    params: idParams('dom'),
    response: deletedResponse,
    async handler({ params, actor }) {
      const deleted = await domains.delete(actor, params.id);
      return { deleted: true, id: deleted.id };
    },
  }),
];
