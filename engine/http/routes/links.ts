import type { z } from 'zod/v4';
import { deletedResponse, idParams, listResponse } from '../../contracts/common';
import { bulkCreateLinksResponse, link, linkBodies, listLinksQuery, MAX_BULK_LINKS } from '../../contracts/links';
import type { LinkDraft } from '../../domain/links/fields';
import type { CreateOutcome } from '../../domain/links/service';
import type { ApiServices } from './deps';
import { itemResults } from './link-bulk';
import { ApiError } from '../../support/errors';
import { defineRoute } from '../route';
import { parseOrThrow } from '../../web/validation';

/** Validates one bulk item on its own, so a bad item fails alone. */
function parseItem(schema: z.ZodType<LinkDraft>, item: unknown): { draft: LinkDraft } | { error: ApiError } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { error: new ApiError('validation_error', 'Each item of links must be a link object.') };
  }
  try {
    return { draft: parseOrThrow(schema, item) };
  } catch (error) {
    if (error instanceof ApiError) return { error };
    throw error;
  }
}

export const linkRoutes = ({ links, config, clock }: ApiServices) => {
  const { createLinkBody, updateLinkBody, bulkCreateLinksBody } = linkBodies({
    allowHttp: config.allowHttpUrls,
    now: () => clock.now().getTime(),
  });
  return [
    defineRoute({
      method: 'get',
      path: '/links',
      scope: 'links:read',
      tag: 'Links',
      summary: 'List links',
      description:
        'Links of the calling key’s workspace and mode, newest first by default. Filters combine; the cursor of a page ' +
        'works only with the same filters and sort.',
      query: listLinksQuery,
      response: listResponse(link),
      async handler({ query, actor }) {
        const page = await links.list(actor, {
          limit: query.limit,
          cursor: query.cursor,
          sort: query.sort,
          order: query.order,
          search: query.search,
          tag: query.tag,
          domain: query.domain,
          createdAfter: query.created_after,
          createdBefore: query.created_before,
          folderId: query.folder_id,
          campaignId: query.campaign_id,
        });
        return { data: page.data, pagination: { has_more: page.hasMore, cursor: page.cursor } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/links',
      scope: 'links:write',
      tag: 'Links',
      summary: 'Create a link',
      description: 'Without a slug a random 7-character one is generated; without a domain the workspace default is used.',
      body: createLinkBody,
      response: link,
      status: 201,
      async handler({ body, actor }) {
        return links.create(actor, body);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/links/bulk',
      scope: 'links:write',
      tag: 'Links',
      summary: 'Create up to 100 links',
      description:
        `Each item (at most ${MAX_BULK_LINKS}) is validated and created on its own, exactly like POST /links. The answer ` +
        'lists the created links in item order and, for each failed item, its index and error; a failed item stores nothing.',
      body: bulkCreateLinksBody,
      response: bulkCreateLinksResponse,
      async handler({ body, actor }) {
        const parsed = body.links.map((item) => parseItem(createLinkBody, item));
        const created = await links.createMany(actor, parsed.flatMap((item) => ('draft' in item ? [item.draft] : [])));
        let next = 0;
        return itemResults(parsed.map((item): CreateOutcome => ('draft' in item ? created[next++] : item)));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/links/:id',
      scope: 'links:read',
      tag: 'Links',
      summary: 'Get a link',
      params: idParams('lnk'),
      response: link,
      async handler({ params, actor }) {
        return links.get(actor, params.id);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/links/:id',
      scope: 'links:write',
      tag: 'Links',
      summary: 'Update a link',
      description:
        'Changes only the fields present; null clears a field (tags: null empties them, password: null removes the ' +
        'password). slug and domain cannot be changed. A patch that changes nothing leaves updated_at as it was.',
      params: idParams('lnk'),
      body: updateLinkBody,
      response: link,
      async handler({ params, body, actor }) {
        return links.update(actor, params.id, body);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/links/:id',
      scope: 'links:write',
      tag: 'Links',
      summary: 'Delete a link',
      description: 'Permanent: the short URL stops redirecting at once.',
      params: idParams('lnk'),
      response: deletedResponse,
      async handler({ params, actor }) {
        const deleted = await links.delete(actor, params.id);
        return { deleted: true, id: deleted.id };
      },
    }),
  ];
};
