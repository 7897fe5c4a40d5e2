import { deletedResponse, idParams, listResponse } from '../../contracts/common';
import { listPagesQuery, page, pageBodies, PAGE_LIMITS } from '../../contracts/pages';
import { QR_CONTENT_TYPES, qrQuery } from '../../contracts/qr';
import type { ApiServices } from './deps';
import { QR_CACHE, sendQrImage } from '../../web/qr-response';
import { defineRoute } from '../route';

const PUBLICATION = [
  {
    action: 'publish',
    published: true,
    summary: 'Publish a bio page',
    description: 'Serves the page at its public_url and emits page.published (with the page object). Publishing a published page changes nothing.',
  },
  {
    action: 'unpublish',
    published: false,
    summary: 'Unpublish a bio page',
    description: 'The public address answers 404 at once; the page and its items are kept.',
  },
] as const;

export const pageRoutes = ({ pages, qr, config }: ApiServices) => {
  const { createPageBody, updatePageBody } = pageBodies({ allowHttp: config.allowHttpUrls });
  return [
    defineRoute({
      method: 'get',
      path: '/pages',
      scope: 'pages:read',
      tag: 'Bio pages',
      summary: 'List bio pages',
      description: 'Pages of the calling key’s workspace and mode, newest first.',
      query: listPagesQuery,
      response: listResponse(page),
      async handler({ query, actor }) {
        const published = query.published === undefined ? undefined : query.published === 'true';
        const result = await pages.list(actor, { limit: query.limit, cursor: query.cursor, domain: query.domain, published });
        return { data: result.data, pagination: { has_more: result.hasMore, cursor: result.cursor } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/pages',
      scope: 'pages:write',
      tag: 'Bio pages',
      summary: 'Create a bio page',
      description:
        `A new page is unpublished. Up to ${PAGE_LIMITS.items} items, each {label, link_id} (a link of the workspace) or ` +
        '{label, url} (any URL: the page gets a managed short link for it, hidden from the Links API, so its clicks are ' +
        'counted too). Nothing is stored when any part is invalid.',
      body: createPageBody,
      response: page,
      status: 201,
      async handler({ body, actor }) {
        return pages.create(actor, body);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/pages/:id',
      scope: 'pages:read',
      tag: 'Bio pages',
      summary: 'Get a bio page',
      params: idParams('pg'),
      response: page,
      async handler({ params, actor }) {
        return pages.get(actor, params.id);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/pages/:id',
      scope: 'pages:write',
      tag: 'Bio pages',
      summary: 'Update a bio page',
      description:
        'Changes only the fields present; null clears title, description or avatar_url; items replaces the whole list. ' +
        'A URL item keeps its managed short link (and its clicks) while its URL and the page’s domain stay the same. ' +
        'A published page shows the change at once.',
      params: idParams('pg'),
      body: updatePageBody,
      response: page,
      async handler({ params, body, actor }) {
        return pages.update(actor, params.id, body);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/pages/:id',
      scope: 'pages:write',
      tag: 'Bio pages',
      summary: 'Delete a bio page',
      description: 'Permanent; the managed short links of its URL items stop redirecting. Links used by link items stay.',
      params: idParams('pg'),
      response: deletedResponse,
      async handler({ params, actor }) {
        const deleted = await pages.delete(actor, params.id);
        return { deleted: true, id: deleted.id };
      },
    }),
    ...PUBLICATION.map(({ action, published, summary, description }) =>
      defineRoute({
        method: 'post',
        path: `/pages/:id/${action}`,
        scope: 'pages:write',
        tag: 'Bio pages',
        summary,
        description,
        params: idParams('pg'),
        response: page,
        async handler({ params, actor }) {
          return pages.setPublished(actor, params.id, published);
        },
      }),
    ),
    defineRoute({
      method: 'get',
      path: '/pages/:id/qr',
      scope: 'pages:read',
      tag: 'QR codes',
      summary: 'Get the QR code of a bio page',
      description: 'Encodes the page’s public_url. Once published, the same image is public at GET /p/{handle}/qr on its domain.',
      params: idParams('pg'),
      query: qrQuery,
      produces: QR_CONTENT_TYPES,
      async handler({ params, query, actor, req, res }) {
        const found = await pages.get(actor, params.id);
        sendQrImage(req, res, await qr.render(found.public_url, query), `qr-page-${found.handle}`, QR_CACHE.api);
      },
    }),
  ];
};
