/** Device types a rule can name: ua-parser-js's types, with everything else counted as `desktop` (see clicks/user-agents). */
export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'console', 'smarttv', 'wearable', 'embedded', 'xr'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** Days of the week, Monday first (ISO 8601). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const CONDITION_TYPES = ['country', 'device', 'os', 'browser', 'language', 'time', 'query', 'referrer', 'bot'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

/** One condition of a rule; a rule matches when all of its conditions hold. */
export type Condition =
  | { type: 'country'; values: string[] }
  | { type: 'device'; values: DeviceType[] }
  | { type: 'os'; values: string[] }
  | { type: 'browser'; values: string[] }
  | { type: 'language'; values: string[] }
  | { type: 'time'; start: string; end: string; days?: Weekday[]; timezone: string }
  | { type: 'query'; name: string; value?: string }
  | { type: 'referrer'; values: string[] }
  | { type: 'bot'; value: boolean };

/** One weighted destination of an A/B split. */
export interface Variant {
  url: string;
  weight: number;
}

/** What link-preview crawlers are shown instead of a redirect. */
export interface Preview {
  title: string | null;
  description: string | null;
  image_url: string | null;
}

export const MAX_RULES = 50;
export const MAX_CONDITIONS = 20;
export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 10;
/** Variant weights are percentages: each visitor falls in one of these buckets. */
export const BUCKETS = 100;
