/**
 * Endpoints and shapes of smart routing (rules, A/B splits, social previews). Loaded only with the routing screen.
 */
import { id, json, type Link } from './api';

export const CONDITION_TYPES = ['country', 'device', 'os', 'browser', 'language', 'time', 'query', 'referrer', 'bot'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];
export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'console', 'smarttv', 'wearable', 'embedded', 'xr'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export type Condition =
  | { type: 'country' | 'device' | 'os' | 'browser' | 'language' | 'referrer'; values: string[] }
  | { type: 'time'; start: string; end: string; days?: string[]; timezone?: string }
  | { type: 'query'; name: string; value?: string }
  | { type: 'bot'; value: boolean };

export interface Variant {
  url: string;
  weight: number;
}

export interface Preview {
  title: string | null;
  description: string | null;
  image_url: string | null;
}

export interface Rule {
  id: string;
  link_id: string;
  position: number;
  conditions: Condition[];
  url: string;
  variants: Variant[] | null;
  created_at: string;
  updated_at: string;
}

export interface RuleInput {
  conditions: Condition[];
  url: string;
  variants?: Variant[] | null;
}

/** A link as the API gives it, with the routing fields the links list does not use. */
export type RoutedLink = Link & { variants: Variant[] | null; preview: Preview | null };

export const routing = {
  link: (linkId: string) => json<RoutedLink>('GET', `/links/${id(linkId)}`),
  updateLink: (linkId: string, body: { variants?: Variant[] | null; preview?: Preview | null }) => json<RoutedLink>('PATCH', `/links/${id(linkId)}`, { body }),
  rules: (linkId: string) => json<{ data: Rule[] }>('GET', `/links/${id(linkId)}/rules`),
  create: (linkId: string, body: RuleInput) => json<Rule>('POST', `/links/${id(linkId)}/rules`, { body }),
  update: (linkId: string, ruleId: string, body: RuleInput) => json<Rule>('PATCH', `/links/${id(linkId)}/rules/${id(ruleId)}`, { body }),
  remove: (linkId: string, ruleId: string) => json<unknown>('DELETE', `/links/${id(linkId)}/rules/${id(ruleId)}`),
  reorder: (linkId: string, ruleIds: string[]) => json<{ data: Rule[] }>('POST', `/links/${id(linkId)}/rules/reorder`, { body: { rule_ids: ruleIds } }),
};
