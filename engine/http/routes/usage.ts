import { usageQuery, usageReport } from '../../contracts/usage';
import type { ApiServices } from './deps';
import { resolveRange } from '../../usage/range';
import { toIso } from '../../support/time';
import { defineRoute } from '../route';

const iso = (ms: number) => toIso(ms) as string;

export const usageRoutes = ({ usageReports, clock }: ApiServices) => [
  defineRoute({
    method: 'get',
    path: '/usage',
    scope: 'admin',
    tag: 'Usage',
    summary: 'API usage per key, endpoint and status',
    description:
      'Requests, errors by status class, 429s and p50/p95 latency of the calling key’s workspace and mode over a range, ' +
      'as totals, a timeseries and breakdowns per key, per endpoint (route template) and per status. Counted off the ' +
      'request path and written every few seconds.',
    query: usageQuery,
    response: usageReport,
    async handler({ query, actor }) {
      const { start, end } = resolveRange(query, clock.now().getTime());
      const report = await usageReports.report({
        workspaceId: actor.workspaceId,
        mode: actor.mode,
        start,
        end,
        interval: query.interval,
        keyId: query.key_id,
        method: query.method,
        route: query.route,
        status: query.status,
      });
      return {
        start: iso(start),
        end: iso(end),
        interval: query.interval,
        ...report,
        timeseries: report.timeseries.map((point) => ({ ...point, start: iso(point.start) })),
      };
    },
  }),
];
