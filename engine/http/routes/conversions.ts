import type { z } from 'zod/v4';
import { requestedRange } from '../../analytics/range';
import { TimeZone } from '../../analytics/zone';
import { idParams } from '../../contracts/common';
import {
  conversion,
  conversionAnalyticsQuery,
  conversionExportQuery,
  conversionReport,
  conversionSettings,
  trackLeadBody,
  trackResponse,
  trackSaleBody,
  updateConversionSettingsBody,
} from '../../contracts/conversions';
import { CONVERSION_EXPORT_COLUMNS, csvFieldsOf } from '../../domain/conversions/export';
import type { PublicConversion } from '../../domain/conversions/tracking';
import type { Actor } from '../../domain/actor';
import { notFound, validationError } from '../../support/errors';
import { defineRoute } from '../route';
import { streamExport } from './export-stream';
import type { ApiServices } from './deps';

type Outcome = { conversion: PublicConversion; duplicate: boolean };

const TRACK_DESCRIPTION =
  'Accepts a secret key with conversions:write, or the workspace’s publishable key (mk_pub_…) from one of its ' +
  'allowed_origins (CORS). Attribution is last click within attribution_window_days: the reported click, or the ' +
  'customer’s last click when newer. An unknown or too old click id is accepted and recorded unattributed ' +
  '(attributed: false, unattributed_reason says why). Emits ';

/** POST /track/lead and /track/sale: the same route but for their body and the event they emit. */
const trackRoute = <B extends typeof trackLeadBody | typeof trackSaleBody>(
  type: 'lead' | 'sale',
  body: B,
  details: string,
  record: (actor: Actor, body: z.output<B>) => Promise<Outcome>,
) =>
  defineRoute({
    method: 'post',
    path: `/track/${type}`,
    scope: 'conversions:write',
    publishable: true,
    tag: 'Conversions',
    summary: `Report a ${type}`,
    description: `${TRACK_DESCRIPTION}${type}.recorded. ${details}`,
    body,
    response: trackResponse,
    status: 201,
    otherSuccess: { status: 200, description: `A repeated idempotency_key: the first ${type}, duplicate: true` },
    async handler({ body: input, actor, res }) {
      const outcome = await record(actor, input as z.output<B>);
      // A repeat creates nothing: 200 with the first event.
      if (outcome.duplicate) res.status(200).json(outcome);
      return outcome;
    },
  });

export const conversionRoutes = ({ conversions, analytics, clock, campaigns }: ApiServices) => [
  trackRoute('lead', trackLeadBody, 'With an idempotency_key, a repeat answers the first lead (200, duplicate: true).', (actor, body) => conversions.tracker.lead(actor, body)),
  trackRoute(
    'sale',
    trackSaleBody,
    'The sale is tied to the customer’s latest lead. A repeated idempotency_key answers the first sale with duplicate: true and ' +
      'counts nothing; the same key with other values is a 409.',
    (actor, body) => conversions.tracker.sale(actor, body),
  ),
  defineRoute({
    method: 'get',
    path: '/conversions/settings',
    scope: 'admin',
    tag: 'Conversions',
    summary: 'Conversion tracking settings',
    response: conversionSettings,
    handler: ({ actor }) => conversions.settings.get(actor),
  }),
  defineRoute({
    method: 'patch',
    path: '/conversions/settings',
    scope: 'admin',
    tag: 'Conversions',
    summary: 'Change conversion tracking settings',
    description: 'Redirects served from this process apply a change at once; other processes within MASK_LINK_CACHE_TTL.',
    body: updateConversionSettingsBody,
    response: conversionSettings,
    handler: ({ body, actor }) => conversions.settings.update(actor, body),
  }),
  defineRoute({
    method: 'post',
    path: '/conversions/settings/publishable-key',
    scope: 'admin',
    tag: 'Conversions',
    summary: 'Create or rotate the publishable key',
    description: 'A new mk_pub_ key for this workspace and mode; the previous one stops working.',
    response: conversionSettings,
    handler: ({ actor }) => conversions.settings.rotatePublishableKey(actor),
  }),
  defineRoute({
    method: 'get',
    path: '/conversions/:id',
    scope: 'analytics:read',
    tag: 'Conversions',
    summary: 'Get a conversion',
    params: idParams('conv'),
    response: conversion,
    async handler({ params, actor }) {
      const found = await conversions.get(actor, params.id);
      if (!found) throw notFound('Conversion');
      return found;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/analytics/conversions',
    scope: 'analytics:read',
    tag: 'Analytics',
    summary: 'Clicks, leads, sales and revenue: time series or breakdown',
    description:
      'GET /analytics with conversions: leads, sales and revenue (per currency, minor units) beside clicks and unique ' +
      'visitors. group_by also takes campaign; campaign_id narrows to one campaign. Conversions count at the time ' +
      'they were reported, grouped by their click’s country, device and referrer and by the link and campaign they were attributed to.',
    query: conversionAnalyticsQuery,
    response: conversionReport,
    async handler({ query, actor }) {
      return conversions.report(actor, query, clock.now().getTime(), () => analytics.flushClicks());
    },
  }),
  defineRoute({
    method: 'get',
    path: '/campaigns/:id/analytics',
    scope: 'analytics:read',
    tag: 'Campaigns',
    summary: 'Campaign analytics',
    description: 'GET /analytics/conversions for the campaign in the path.',
    params: idParams('camp'),
    query: conversionAnalyticsQuery,
    response: conversionReport,
    async handler({ params, query, actor }) {
      if (query.campaign_id && query.campaign_id !== params.id) throw validationError([{ field: 'campaign_id', message: 'Must be the campaign of the path, or omitted' }]);
      await campaigns.records.get(actor, params.id);
      return conversions.report(actor, { ...query, campaign_id: params.id }, clock.now().getTime(), () => analytics.flushClicks());
    },
  }),
  defineRoute({
    method: 'get',
    path: '/analytics/conversions/export',
    scope: 'analytics:read',
    tag: 'Analytics',
    summary: 'Export conversions as CSV or NDJSON',
    description: `Streams the conversions of the range, oldest first: CSV (${CONVERSION_EXPORT_COLUMNS.join(', ')}) or one JSON object per line.`,
    query: conversionExportQuery,
    produces: ['text/csv', 'application/x-ndjson'],
    async handler({ query, actor, res }) {
      const zone = TimeZone.of(query.timezone) as TimeZone;
      const { start, end } = requestedRange({ start: query.start, end: query.end, zone }, clock.now().getTime());
      await streamExport(
        res,
        { name: 'conversions', format: query.format, start, end, columns: CONVERSION_EXPORT_COLUMNS, csvFields: csvFieldsOf },
        conversions.exported(actor, { linkId: query.link_id, campaignId: query.campaign_id, domain: query.domain }, start, end),
      );
    },
  }),
];
