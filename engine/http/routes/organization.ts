import type { z } from 'zod/v4';
import { campaign, createCampaignBody, listCampaignsQuery, updateCampaignBody } from '../../contracts/campaigns';
import { deletedResponse, idParams, listResponse } from '../../contracts/common';
import { createFolderBody, deleteFolderQuery, folder, listFoldersQuery, moveLinksBody, moveLinksResponse, updateFolderBody } from '../../contracts/folders';
import { listPixelsQuery, pixel, pixelBodies } from '../../contracts/pixels';
import { createUtmTemplateBody, listUtmTemplatesQuery, updateUtmTemplateBody, utmTemplate } from '../../contracts/utm-templates';
import type { Actor } from '../../domain/actor';
import { UTM_FIELDS } from '../../domain/organization/utm';
import type { IdPrefix } from '../../support/ids';
import type { Scope } from '../../domain/scopes';
import { defineRoute, type AnyRoute } from '../route';
import type { ApiServices } from './deps';

type Fields = Record<string, unknown>;

/** What the generic routes need of a resource's service. */
interface CrudService {
  create(actor: Actor, fields: never): Promise<unknown>;
  update(actor: Actor, id: string, patch: never): Promise<unknown>;
  delete?(actor: Actor, id: string): Promise<{ id: string }>;
  records: { get(actor: Actor, id: string): Promise<unknown>; list(actor: Actor, page: { limit: number; cursor?: string }, filters?: Record<string, string | null>): Promise<unknown> };
}

interface CrudSpec {
  path: string;
  tag: string;
  /** Singular, for summaries. */
  noun: string;
  prefix: IdPrefix;
  scopes: { read: Scope; write: Scope };
  item: z.ZodType;
  create: z.ZodType;
  update: z.ZodType;
  list: z.ZodType;
  /** Request fields as the service takes them (dates to epoch ms, absent optional fields to null on create). */
  toFields(body: Fields, creating: boolean): Fields;
  /** Column filters of a list request (e.g. folders' parent_id); none by default. */
  listFilters?(query: Fields): Record<string, string | null>;
  descriptions?: { create?: string; list?: string; delete?: string };
}

/** Dates to epoch ms; on create, absent optional fields become null. */
export function storedFields(body: Fields, creating: boolean, nullable: readonly string[]): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(body)) out[key] = value instanceof Date ? value.getTime() : value;
  if (creating) for (const key of nullable) out[key] ??= null;
  return out;
}

/** List, create, get, update and delete of one workspace-owned resource. */
function crudRoutes(service: CrudService, spec: CrudSpec): AnyRoute[] {
  const { path, tag, noun, prefix, scopes } = spec;
  const routes = [
    defineRoute({
      method: 'post',
      path,
      scope: scopes.write,
      tag,
      summary: `Create a ${noun}`,
      description: spec.descriptions?.create,
      body: spec.create,
      response: spec.item,
      status: 201,
      handler: ({ body, actor }) => service.create(actor, spec.toFields(body as Fields, true) as never),
    }),
    defineRoute({
      method: 'get',
      path: `${path}/:id`,
      scope: scopes.read,
      tag,
      summary: `Get a ${noun}`,
      params: idParams(prefix),
      response: spec.item,
      handler: ({ params, actor }) => service.records.get(actor, params.id),
    }),
    defineRoute({
      method: 'patch',
      path: `${path}/:id`,
      scope: scopes.write,
      tag,
      summary: `Update a ${noun}`,
      description: 'Changes only the fields present; null clears a field.',
      params: idParams(prefix),
      body: spec.update,
      response: spec.item,
      handler: ({ params, body, actor }) => service.update(actor, params.id, spec.toFields(body as Fields, false) as never),
    }),
    defineRoute({
      method: 'get',
      path,
      scope: scopes.read,
      tag,
      summary: `List ${tag.toLowerCase()}`,
      description: spec.descriptions?.list ?? 'Oldest first.',
      query: spec.list,
      response: listResponse(spec.item),
      handler: ({ query, actor }) => service.records.list(actor, query as { limit: number; cursor?: string }, spec.listFilters?.(query as Fields) ?? {}),
    }),
  ];
  const remove = service.delete?.bind(service);
  if (remove) {
    routes.push(
      defineRoute({
        method: 'delete',
        path: `${path}/:id`,
        scope: scopes.write,
        tag,
        summary: `Delete a ${noun}`,
        description: spec.descriptions?.delete,
        params: idParams(prefix),
        response: deletedResponse,
        handler: async ({ params, actor }) => ({ deleted: true, id: (await remove(actor, params.id)).id }),
      }),
    );
  }
  return routes;
}

const LINK_SCOPES = { read: 'links:read', write: 'links:write' } as const;

export const organizationRoutes = ({ folders, campaigns, utmTemplates, pixels, config }: ApiServices): AnyRoute[] => {
  const { createPixelBody, updatePixelBody } = pixelBodies({ scriptHosts: config.pixelScriptHosts, allowHttp: config.allowHttpUrls });
  return [
    ...crudRoutes(
      { records: folders.records, create: folders.create.bind(folders), update: folders.update.bind(folders) },
      {
        path: '/folders',
        tag: 'Folders',
        noun: 'folder',
        prefix: 'fld',
        scopes: LINK_SCOPES,
        item: folder,
        create: createFolderBody,
        update: updateFolderBody,
        list: listFoldersQuery,
        toFields: (body, creating) => storedFields(body, creating, ['parent_id']),
        listFilters: (query): Record<string, string> => (query.parent_id ? { parent_id: query.parent_id as string } : {}),
        descriptions: {
          create: 'Folders nest one level deep: parent_id must be a top-level folder.',
          list: 'Oldest first; with parent_id, only that folder’s subfolders. GET /links?folder_id=… lists a folder’s links.',
        },
      },
    ),
    defineRoute({
      method: 'delete',
      path: '/folders/:id',
      scope: 'links:write',
      tag: 'Folders',
      summary: 'Delete a folder',
      description:
        '409 while the folder has subfolders, or holds links unless move_links=true: then its links move to move_links_to ' +
        '(or out of any folder) in the same transaction.',
      params: idParams('fld'),
      query: deleteFolderQuery,
      response: deletedResponse,
      handler: async ({ params, query, actor }) => {
        const deleted = await folders.delete(actor, params.id, { moveLinks: query.move_links, moveTo: query.move_links_to ?? null });
        return { deleted: true, id: deleted.id };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/folders/move-links',
      scope: 'links:write',
      tag: 'Folders',
      summary: 'Move links into a folder',
      description: 'Moves up to 100 links into folder_id (null: out of any folder), all or none: an unknown link id fails the request.',
      body: moveLinksBody,
      response: moveLinksResponse,
      handler: ({ body, actor }) => folders.move(actor, body.link_ids, body.folder_id),
    }),
    ...crudRoutes(campaigns, {
      path: '/campaigns',
      tag: 'Campaigns',
      noun: 'campaign',
      prefix: 'camp',
      scopes: LINK_SCOPES,
      item: campaign,
      create: createCampaignBody,
      update: updateCampaignBody,
      list: listCampaignsQuery,
      toFields: (body, creating) => storedFields(body, creating, ['description', 'starts_at', 'ends_at', ...UTM_FIELDS]),
      descriptions: {
        create: 'A link joins with campaign_id; at creation the campaign’s UTM values fill those the link (and its UTM template) leave out.',
        delete: 'Its links leave the campaign; conversions keep the campaign they were attributed to.',
      },
    }),
    ...crudRoutes(utmTemplates, {
      path: '/utm-templates',
      tag: 'UTM templates',
      noun: 'UTM template',
      prefix: 'utm',
      scopes: LINK_SCOPES,
      item: utmTemplate,
      create: createUtmTemplateBody,
      update: updateUtmTemplateBody,
      list: listUtmTemplatesQuery,
      toFields: (body, creating) => storedFields(body, creating, UTM_FIELDS),
      descriptions: { create: 'Applied with utm_template_id when a link is created; the link keeps its values after that.' },
    }),
    ...crudRoutes(pixels, {
      path: '/pixels',
      tag: 'Pixels',
      noun: 'retargeting pixel',
      prefix: 'px',
      scopes: LINK_SCOPES,
      item: pixel,
      create: createPixelBody,
      update: updatePixelBody,
      list: listPixelsQuery,
      toFields: (body, creating) => storedFields(body, creating, ['pixel_id', 'script_url']),
      descriptions: {
        create:
          'meta, google_ads, linkedin and tiktok take the provider’s pixel_id; custom takes a script_url on the instance’s ' +
          'allow-list (MASK_PIXEL_SCRIPT_HOSTS). Links with pixel_ids serve a short interstitial that loads them.',
        delete: 'The pixel leaves every link that carried it.',
      },
    }),
  ];
};
