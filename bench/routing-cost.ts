// Smart-routing cost, part of `npm run bench redirect`: the engine's CPU per redirect of a link with 20 rules (none
// matching, then the last one matching) against a plain link, on one engine process, in alternating rounds. Rules are
// evaluated from the cached link record, so the difference is the rules' own work (conditions, lazily parsed facts).
import type { IncomingMessage } from 'node:http';
import { UserAgentClassifier } from '../engine/clicks/user-agents';
import { compileConditions } from '../engine/domain/routing/match';
import type { RuleInput } from '../engine/domain/routing/rule-service';
import type { Condition } from '../engine/domain/routing/types';
import { ruleRoute, type LinkRouting } from '../engine/redirect/routing';
import { RequestFacts } from '../engine/redirect/visit-facts';

export const ROUTING_RULES = 20;
export const ROUTING_TARGET = 1.15;

/** 19 conditions a plain desktop Chrome request without query, referrer or country never meets, one per rule. */
const misses: Condition[] = [
  { type: 'country', values: ['DE', 'AT', 'CH'] },
  { type: 'query', name: 'campaign' },
  { type: 'query', name: 'promo', value: 'spring' },
  { type: 'language', values: ['ja', 'ko'] },
  { type: 'referrer', values: ['t.co', 'facebook.com'] },
  { type: 'device', values: ['tablet'] },
  { type: 'os', values: ['iOS'] },
  { type: 'browser', values: ['Firefox', 'Safari'] },
  { type: 'bot', value: true },
  { type: 'time', start: '2001-01-01T00:00:00Z', end: '2001-01-02T00:00:00Z', timezone: 'UTC' },
  { type: 'country', values: ['FR', 'BE'] },
  { type: 'query', name: 'ref' },
  { type: 'language', values: ['pt-BR'] },
  { type: 'referrer', values: ['news.example.com'] },
  { type: 'device', values: ['mobile', 'console'] },
  { type: 'os', values: ['Android'] },
  { type: 'country', values: ['JP'] },
  { type: 'query', name: 'utm_source', value: 'x' },
  { type: 'browser', values: ['Edge'] },
];

/** 20 rules: `lastMatches` makes the 20th match a desktop Chrome visitor (evaluated after the 19 misses). */
export function benchRules(lastMatches: boolean): RuleInput[] {
  const rules: RuleInput[] = misses.map((condition, i) => ({ conditions: [condition], url: `https://example.com/rule/${i}` }));
  const last: Condition = lastMatches ? { type: 'browser', values: ['Chrome'] } : { type: 'country', values: ['NZ'] };
  rules.push({ conditions: [last], url: 'https://example.com/rule/last' });
  return rules;
}

const DESKTOP_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const EVALUATIONS = 200_000;

/**
 * CPU µs per visit of what the redirect path does for the 20 rules, measured in this process on compiled rules: the
 * request's facts object and the rules' conditions (the user agent parsed once, cached as on the engine).
 */
export function ruleEvaluationMicros(): { none: number; last: number } {
  const agents = new UserAgentClassifier();
  const req = { headers: { 'user-agent': DESKTOP_CHROME } } as unknown as IncomingMessage;
  const visitor = () => ({ address: '203.0.113.9', userAgent: DESKTOP_CHROME, bot: false });
  const perVisit = (lastMatches: boolean) => {
    const routing: LinkRouting = {
      rules: benchRules(lastMatches).map((rule, i) => ({ id: `rule_${i}`, matches: compileConditions(rule.conditions), destination: rule.url, split: null })),
      split: null,
      preview: null,
    };
    const started = process.cpuUsage();
    for (let i = 0; i < EVALUATIONS; i++) ruleRoute(routing, new RequestFacts(req, Date.now(), null, DESKTOP_CHROME, '', agents), visitor);
    const used = process.cpuUsage(started);
    return (used.user + used.system) / EVALUATIONS;
  };
  return { none: perVisit(false), last: perVisit(true) };
}
