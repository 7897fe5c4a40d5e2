import type { Knex } from 'knex';
import * as foundation from './20261121_001_foundation';
import * as linkTagKeyset from './20261121_002_link_tag_keyset';
import * as clicks from './20261121_003_clicks';
import * as webhooks from './20261121_004_webhooks';
import * as ratelimitUsage from './20261121_005_ratelimit_usage';
import * as pages from './20261121_006_pages';
import * as teamPlan from './20261121_007_team_plan';
import * as analytics from './20261121_008_analytics';
import * as accounts from './20261206_009_accounts';
import * as smartRouting from './20261206_010_smart_routing';
import * as campaigns from './20261206_011_campaigns';
import * as guestIpRules from './20261206_012_guest_ip_rules';
import * as imports from './20261206_013_imports';
import * as appendOnlyClicks from './20261206_014_append_only_clicks';

export interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Every migration, in order. A static list works the same from TypeScript sources and from dist/. */
export const MIGRATIONS: Array<[name: string, migration: Migration]> = [
  ['20261121_001_foundation', foundation],
  ['20261121_002_link_tag_keyset', linkTagKeyset],
  ['20261121_003_clicks', clicks],
  ['20261121_004_webhooks', webhooks],
  ['20261121_005_ratelimit_usage', ratelimitUsage],
  ['20261121_006_pages', pages],
  ['20261121_007_team_plan', teamPlan],
  ['20261121_008_analytics', analytics],
  ['20261206_009_accounts', accounts],
  ['20261206_010_smart_routing', smartRouting],
  ['20261206_011_campaigns', campaigns],
  ['20261206_012_guest_ip_rules', guestIpRules],
  ['20261206_013_imports', imports],
  ['20261206_014_append_only_clicks', appendOnlyClicks],
];
