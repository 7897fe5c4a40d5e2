import { EXPORT_COLUMNS, type ExportedClick } from '../../analytics/export';
import type { ClickFilters } from '../../analytics/queries';
import { requestedRange } from '../../analytics/range';
import { TimeZone } from '../../analytics/zone';
import { answerReport } from '../../analytics/report-body';
import { analyticsQuery, analyticsReport, exportQuery, type AnalyticsQuery } from '../../contracts/analytics';
import { idParams } from '../../contracts/common';
import type { Actor } from '../../domain/actor';
import type { ApiServices } from './deps';
import { validationError } from '../../support/errors';
import { defineRoute } from '../route';
import { streamExport } from './export-stream';

const filtersOf = (query: { link_id?: string; tag?: string; domain?: string; include_bots: boolean }): ClickFilters => ({
  linkId: query.link_id,
  tag: query.tag,
  domain: query.domain,
  includeBots: query.include_bots,
});

const ANALYTICS_DESCRIPTION =
  'Clicks and unique visitors of the calling key’s workspace and mode, answered from hourly rollups written with the ' +
  'clicks: a time series (one item per bucket of `interval` on `timezone`’s calendar, empty buckets included) or the ' +
  'top `limit` values of a dimension. The range is rounded outward to whole buckets. Bots and HEAD requests are left ' +
  'out unless include_bots=true. unique_visitors counts a visitor once per link and UTC day; over several days or ' +
  'links it is the sum of those daily counts.';

export const analyticsRoutes = ({ analytics, clock }: ApiServices) => {
  const report = (actor: Actor, query: AnalyticsQuery) =>
    answerReport(analytics.queries, actor, query, filtersOf(query), clock.now().getTime(), () => analytics.flushClicks());

  return [
    defineRoute({
      method: 'get',
      path: '/analytics',
      scope: 'analytics:read',
      tag: 'Analytics',
      summary: 'Click analytics: time series or breakdown',
      description: ANALYTICS_DESCRIPTION,
      query: analyticsQuery,
      response: analyticsReport,
      handler: ({ query, actor }) => report(actor, query),
    }),
    defineRoute({
      method: 'get',
      path: '/links/:id/analytics',
      scope: 'analytics:read',
      tag: 'Analytics',
      summary: 'Click analytics of one link',
      description: `GET /analytics for the link in the path; a link_id in the query must name the same link. ${ANALYTICS_DESCRIPTION}`,
      params: idParams('lnk'),
      query: analyticsQuery,
      response: analyticsReport,
      async handler({ params, query, actor }) {
        if (query.link_id && query.link_id !== params.id) throw validationError([{ field: 'link_id', message: 'Must be the link of the path, or omitted' }]);
        return report(actor, { ...query, link_id: params.id });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/analytics/export',
      scope: 'analytics:read',
      tag: 'Analytics',
      summary: 'Export raw clicks as CSV or NDJSON',
      description:
        'Streams the raw clicks of the range (exact bounds; default the last 30 days), oldest first: CSV with a header ' +
        `row (${EXPORT_COLUMNS.join(', ')}) or one JSON object per line. Bots and HEAD requests only with ` +
        'include_bots=true. Raw clicks are kept for MASK_CLICK_RETENTION; no IP address is ever stored or exported.',
      query: exportQuery,
      produces: ['text/csv', 'application/x-ndjson'],
      async handler({ query, actor, res }) {
        const zone = TimeZone.of(query.timezone) as TimeZone;
        const { start, end } = requestedRange({ start: query.start, end: query.end, zone }, clock.now().getTime());
        const filters = filtersOf(query);
        await analytics.exports.check(actor, filters);
        await analytics.flushClicks();
        await streamExport(
          res,
          { name: 'clicks', format: query.format, start, end, columns: EXPORT_COLUMNS, csvFields: (click: ExportedClick) => EXPORT_COLUMNS.map((column) => click[column]) },
          analytics.exports.clicks(actor, filters, start, end),
        );
      },
    }),
  ];
};
