import { bulkDeleteLinksBody, bulkUpdateLinksBody } from '../../contracts/link-bulk';
import { bulkCreateLinksResponse, link, linkBodies, MAX_BULK_LINKS } from '../../contracts/links';
import type { ItemOutcome } from '../../domain/links/bulk';
import type { ApiServices } from './deps';
import { defineRoute } from '../route';

/** The bulk answer: the links that succeeded in item order, and each failed item's index and error. */
export const itemResults = (outcomes: ItemOutcome[]) => ({
  data: outcomes.flatMap((outcome) => ('link' in outcome ? [outcome.link] : [])),
  errors: outcomes.flatMap((outcome, index) => ('error' in outcome ? [{ index, error: outcome.error.toBody().error }] : [])),
});

/** Upsert, bulk update and bulk delete. Mounted before /links/:id, whose parameter would otherwise take "bulk". */
export const linkBulkRoutes = ({ linkBulk, config, clock }: ApiServices) => {
  const { createLinkBody, updateLinkBody } = linkBodies({ allowHttp: config.allowHttpUrls, now: () => clock.now().getTime() });
  return [
    defineRoute({
      method: 'put',
      path: '/links/upsert',
      scope: 'links:write',
      tag: 'Links',
      summary: 'Create or update a link',
      description:
        'The body of POST /links. The link with the same external_id (or, without one, the same domain and slug) is ' +
        'updated with the fields given (slug and domain must then match); otherwise it is created. The header ' +
        '`Mask-Upsert: created | updated` says which. Concurrent upserts of the same link end with one link. A slug held ' +
        'by another workspace answers 409.',
      body: createLinkBody,
      response: link,
      async handler({ body, actor, res }) {
        const { link: result, created } = await linkBulk.upsert(actor, body);
        res.setHeader('Mask-Upsert', created ? 'created' : 'updated');
        return result;
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/links/bulk',
      scope: 'links:write',
      tag: 'Links',
      summary: 'Update up to 100 links',
      description:
        `Applies the same change to each id (at most ${MAX_BULK_LINKS}), each exactly like PATCH /links/:id with its own ` +
        'audit entry and link.updated event. Answers the updated links in item order and, per failed id, its index and error.',
      body: bulkUpdateLinksBody(updateLinkBody),
      response: bulkCreateLinksResponse,
      async handler({ body, actor }) {
        return itemResults(await linkBulk.updateMany(actor, body.ids, body.patch));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/links/bulk',
      scope: 'links:write',
      tag: 'Links',
      summary: 'Delete up to 100 links',
      description:
        `Deletes each id (at most ${MAX_BULK_LINKS}) like DELETE /links/:id, each with its audit entry and link.deleted ` +
        'event. Answers the deleted links as they were, in item order, and per failed id its index and error.',
      body: bulkDeleteLinksBody,
      response: bulkCreateLinksResponse,
      async handler({ body, actor }) {
        return itemResults(await linkBulk.deleteMany(actor, body.ids));
      },
    }),
  ];
};
