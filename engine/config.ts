import os from 'node:os';
import path from 'node:path';
import { z } from 'zod/v4';
import { formatDuration, parseDuration } from './support/duration';
import { sqliteFileOf } from './store/database-url';
import { parseTargetPolicy, PolicyError } from './support/address-policy';

const boolean = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);
const PORT_MESSAGE = 'must be a port number from 0 to 65535';
const port = z.coerce.number({ message: PORT_MESSAGE }).int(PORT_MESSAGE).min(0, PORT_MESSAGE).max(65535, PORT_MESSAGE);
const wholeNumber = (min: number, max: number, what: string) => {
  const message = `must be a whole number of ${what} from ${min} to ${max}`;
  return z.coerce.number({ message }).int(message).min(min, message).max(max, message);
};
const perMinute = wholeNumber(1, 100_000, 'requests per minute');
const FLUSH_MESSAGE = 'must be a number of seconds from 0.1 to 300';

/** `5s`, `30m`, `2h` (or milliseconds as a number) → milliseconds, within [min, max]. */
const duration = (min: number, max: number) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const ms = typeof value === 'number' ? value : parseDuration(value);
    if (ms === null || ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `must be a duration such as 5s, 30m or 2h, from ${formatDuration(min)} to ${formatDuration(max)}` });
      return z.NEVER;
    }
    return ms;
  });

const MAX_RETRY_DELAY = 7 * 86_400_000;
const retrySchedule = z.union([z.array(z.number()), z.string()]).transform((value, ctx) => {
  const items = typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value;
  const delays = items.map((item) => (typeof item === 'number' ? item : parseDuration(item)));
  if (delays.length > 30 || delays.some((ms) => ms === null || ms < 0 || ms > MAX_RETRY_DELAY)) {
    ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of up to 30 delays such as 5s,5m,30m (each at most 7d)' });
    return z.NEVER;
  }
  return delays as number[];
});

const targetPolicy = z.string().transform((value, ctx) => {
  try {
    return parseTargetPolicy(value);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
});

/** `evil.example` (that host and every name under it), comma-separated; lower-cased. */
const hostPatterns = z
  .union([z.array(z.string()), z.string()])
  .optional()
  .transform((value, ctx) => {
    const items = (typeof value === 'string' ? value.split(',') : (value ?? [])).map((h) => h.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '')).filter(Boolean);
    const bad = items.find((h) => !/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(h));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `must be comma-separated host names such as bad.example; "${bad}" is not one` });
      return z.NEVER;
    }
    return items;
  });

export const hostName = z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/i, 'must be a host name, optionally with :port');

/**
 * Every setting once: its environment variable, its schema and its default.
 * Options passed to createEngine() use the camelCase keys and win over the environment.
 */
const SPEC = {
  port: { env: 'PORT', schema: port.default(3000) },
  host: { env: 'HOST', schema: z.string().min(1).default('127.0.0.1') },
  databaseUrl: {
    env: 'DATABASE_URL',
    schema: z
      .string()
      .regex(/^(postgres(ql)?:\/\/|sqlite:|file:|\/|\.)/, 'must be postgres://…, sqlite:<path>, or a file path')
      .optional(),
  },
  redisUrl: { env: 'REDIS_URL', schema: z.string().regex(/^rediss?:\/\//, 'must be redis://… or rediss://…').optional() },
  redisPrefix: { env: 'MASK_REDIS_PREFIX', schema: z.string().regex(/^[\w:.-]{1,64}$/, 'must be 1-64 word characters, colons, dots or dashes').default('mask:') },
  defaultDomain: { env: 'MASK_DEFAULT_DOMAIN', schema: hostName.optional() },
  secret: { env: 'MASK_SECRET', schema: z.string().min(32, 'must be at least 32 characters').optional() },
  secretPrevious: { env: 'MASK_SECRET_PREVIOUS', schema: z.string().min(32, 'must be at least 32 characters').optional() },
  trustProxy: {
    env: 'TRUST_PROXY',
    schema: z
      .union([z.boolean(), z.number().int().min(0), z.string()])
      .default(false)
      .transform((v) => {
        if (typeof v !== 'string') return v;
        if (v === 'true' || v === 'false') return v === 'true';
        return /^\d+$/.test(v) ? Number(v) : v;
      }),
  },
  logLevel: {
    env: 'LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  },
  allowHttpUrls: { env: 'MASK_ALLOW_HTTP_URLS', schema: boolean.default(false) },
  dataDir: { env: 'MASK_DATA_DIR', schema: z.string().min(1).default('./data') },
  rateLimitPerMinute: { env: 'MASK_RATE_LIMIT_PER_MINUTE', schema: perMinute.default(1000) },
  anonymousRateLimitPerMinute: { env: 'MASK_ANONYMOUS_RATE_LIMIT_PER_MINUTE', schema: perMinute.default(120) },
  authFailuresPerMinute: { env: 'MASK_AUTH_FAILURES_PER_MINUTE', schema: perMinute.default(60) },
  // Worker threads that draw QR codes off the event loop; 0 draws on it. Default: the cores but one, from 1 to 4.
  qrThreads: {
    env: 'MASK_QR_THREADS',
    schema: wholeNumber(0, 16, 'threads').default(Math.min(4, Math.max(1, os.availableParallelism() - 1))),
  },
  usageFlushSeconds: {
    env: 'MASK_USAGE_FLUSH_SECONDS',
    schema: z.coerce.number({ message: FLUSH_MESSAGE }).min(0.1, FLUSH_MESSAGE).max(300, FLUSH_MESSAGE).default(2),
  },
  usageRetentionDays: { env: 'MASK_USAGE_RETENTION_DAYS', schema: wholeNumber(1, 3650, 'days').default(90) },
  webhookWorkers: { env: 'WEBHOOK_WORKERS', schema: boolean.default(true) },
  webhookRetrySchedule: { env: 'WEBHOOK_RETRY_SCHEDULE', schema: retrySchedule.prefault('5s,5m,30m,2h,5h,10h,14h,20h,24h') },
  webhookTimeout: { env: 'WEBHOOK_TIMEOUT', schema: duration(100, 120_000).prefault('15s') },
  webhookDisableAfter: { env: 'WEBHOOK_DISABLE_AFTER', schema: duration(1000, 365 * 86_400_000).prefault('5d') },
  webhookAllowedHosts: { env: 'WEBHOOK_ALLOWED_HOSTS', schema: targetPolicy.prefault('external') },
  webhookConcurrency: { env: 'WEBHOOK_CONCURRENCY', schema: z.coerce.number().int().min(1).max(1000).default(50) },
  webhookPollInterval: { env: 'WEBHOOK_POLL_INTERVAL', schema: duration(10, 60_000).prefault('1s') },
  webhookSweepInterval: { env: 'WEBHOOK_SWEEP_INTERVAL', schema: duration(100, 3_600_000).prefault('30s') },
  webhookRetention: { env: 'WEBHOOK_RETENTION', schema: duration(1000, 10 * 365 * 86_400_000).prefault('30d') },
  unknownHost: { env: 'MASK_UNKNOWN_HOST', schema: z.enum(['default', '404'], { message: 'must be default or 404' }).default('default') },
  redirectStatus: {
    env: 'MASK_REDIRECT_STATUS',
    schema: z.coerce
      .number()
      .refine((v) => [301, 302, 303, 307, 308].includes(v), 'must be 301, 302, 303, 307 or 308')
      .default(302),
  },
  forwardQuery: { env: 'MASK_FORWARD_QUERY', schema: boolean.default(true) },
  // Hosts (host or host:port) custom retargeting pixel scripts may load from; empty: no custom pixel scripts.
  pixelScriptHosts: {
    env: 'MASK_PIXEL_SCRIPT_HOSTS',
    schema: z
      .union([z.array(z.string()), z.string()])
      .transform((value) => (typeof value === 'string' ? value.split(',') : value).map((host) => host.trim().toLowerCase()).filter(Boolean))
      .pipe(z.array(hostName))
      .prefault(''),
  },
  linkCacheSize: { env: 'MASK_LINK_CACHE_SIZE', schema: wholeNumber(1, 1_000_000, 'links').default(10_000) },
  linkCacheTtl: { env: 'MASK_LINK_CACHE_TTL', schema: wholeNumber(1, 3600, 'seconds').default(30) },
  countryHeader: {
    env: 'MASK_COUNTRY_HEADER',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name, or none')
      .default('cf-ipcountry')
      .transform((v) => (v.toLowerCase() === 'none' ? null : v.toLowerCase())),
  },
  geoipDatabase: { env: 'MASK_GEOIP_DB', schema: z.string().min(1).optional() },
  clickFlushMs: { env: 'MASK_CLICK_FLUSH_MS', schema: wholeNumber(10, 60_000, 'milliseconds').default(50) },
  clickBatchSize: { env: 'MASK_CLICK_BATCH_SIZE', schema: wholeNumber(1, 10_000, 'clicks').default(5000) },
  clickWriter: {
    env: 'MASK_CLICK_WRITER',
    schema: z.enum(['auto', 'worker', 'inline'], { message: 'must be auto, worker or inline' }).default('auto'),
  },
  clickBufferMax: { env: 'MASK_CLICK_BUFFER_MAX', schema: wholeNumber(1000, 10_000_000, 'clicks').default(100_000) },
  clickSpoolDir: { env: 'MASK_CLICK_SPOOL_DIR', schema: z.string().min(1).optional() },
  clickShutdownGrace: { env: 'MASK_CLICK_SHUTDOWN_GRACE', schema: duration(0, 60_000).prefault('2s') },
  clickRetention: { env: 'MASK_CLICK_RETENTION', schema: duration(86_400_000, 10 * 365 * 86_400_000).prefault('365d') },
  heapGrowthPercent: { env: 'MASK_HEAP_GROWTH_PERCENT', schema: wholeNumber(0, 1000, 'percent').default(20) },
  unlockCookieTtl: { env: 'MASK_UNLOCK_TTL', schema: wholeNumber(60, 86_400, 'seconds').default(86_400) },
  dashboardPath: {
    env: 'MASK_DASHBOARD_PATH',
    schema: z.string().regex(/^\/[a-z0-9][a-z0-9_-]{0,63}$/, 'must be one path segment such as /app').default('/app'),
  },
  dashboardDir: { env: 'MASK_DASHBOARD_DIR', schema: z.string().min(1).optional() },
  sessionIdle: { env: 'MASK_SESSION_IDLE', schema: duration(1000, 365 * 86_400_000).prefault('7d') },
  sessionMaxAge: { env: 'MASK_SESSION_MAX_AGE', schema: duration(1000, 365 * 86_400_000).prefault('30d') },
  metricsPort: { env: 'MASK_METRICS_PORT', schema: port.optional() },
  metricsToken: { env: 'MASK_METRICS_TOKEN', schema: z.string().min(16, 'must be at least 16 characters').optional() },
  workerPort: { env: 'MASK_WORKER_PORT', schema: port.optional() },
  smtpUrl: {
    env: 'MASK_SMTP_URL',
    schema: z.string().regex(/^smtps?:\/\/\S+$/, 'must be an smtp:// or smtps:// URL such as smtp://user:pass@host:587').optional(),
  },
  oidcIssuer: { env: 'MASK_OIDC_ISSUER', schema: z.url({ protocol: /^https?$/, message: 'must be the issuer URL' }).optional() },
  oidcClientId: { env: 'MASK_OIDC_CLIENT_ID', schema: z.string().min(1).max(500).optional() },
  oidcClientSecret: { env: 'MASK_OIDC_CLIENT_SECRET', schema: z.string().min(1).max(2000).optional() },
  oidcAllowedDomains: {
    env: 'MASK_OIDC_ALLOWED_DOMAINS',
    schema: z
      .union([z.array(z.string()), z.string()])
      .optional()
      .transform((value) => (typeof value === 'string' ? value.split(',') : (value ?? [])).map((d) => d.trim().toLowerCase()).filter(Boolean)),
  },
  oidcLabel: { env: 'MASK_OIDC_LABEL', schema: z.string().min(1).max(100).default('Single sign-on') },
  smtpFrom: { env: 'MASK_SMTP_FROM', schema: z.string().min(3).max(320).regex(/^[^\r\n]+$/, 'must be one line').optional() },
  databaseRetryAfter: { env: 'MASK_DATABASE_RETRY_AFTER', schema: wholeNumber(1, 3600, 'seconds').default(5) },
  requireHttps: { env: 'MASK_REQUIRE_HTTPS', schema: boolean.default(false) },
  guestLinks: { env: 'MASK_GUEST_LINKS', schema: boolean.default(false) },
  guestWorkspace: { env: 'MASK_GUEST_WORKSPACE', schema: z.string().regex(/^ws_[0-9a-z]{26}$/, 'must be a workspace id (ws_…)').optional() },
  guestLinkLifetime: { env: 'MASK_GUEST_LINK_LIFETIME', schema: duration(1000, 7 * 86_400_000).prefault('7d') },
  guestLinksPerHour: { env: 'MASK_GUEST_LINKS_PER_HOUR', schema: wholeNumber(1, 100_000, 'links per hour').default(20) },
  guestDeniedHosts: { env: 'MASK_GUEST_DENIED_HOSTS', schema: hostPatterns },
  importMaxBytes: { env: 'MASK_IMPORT_MAX_BYTES', schema: wholeNumber(1024, 1_073_741_824, 'bytes').default(52_428_800) },
  importLease: { env: 'MASK_IMPORT_LEASE', schema: duration(1000, 3_600_000).prefault('30s') },
} as const;

type Spec = typeof SPEC;
export type EngineConfig = Omit<{ [K in keyof Spec]: z.output<Spec[K]['schema']> }, 'clickWriter' | 'clickSpoolDir'> & {
  databaseUrl: string;
  /** Where clicks the database cannot take in time are spooled: `<dataDir>/spool` unless set; null for an in-memory database. */
  clickSpoolDir: string | null;
  defaultDomain: string;
  /** Whether MASK_DEFAULT_DOMAIN (or the option) was given, rather than falling back to `localhost:<PORT>`. */
  defaultDomainConfigured: boolean;
  /** `auto` resolved: a worker thread for a SQLite file, inline for Postgres and in-memory SQLite. */
  clickWriter: 'worker' | 'inline';
};
export type ConfigOptions = { [K in keyof Spec]?: z.input<Spec[K]['schema']> };

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads the environment once, applies options over it, validates, and fills derived defaults. */
export function loadConfig(options: ConfigOptions = {}, env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const out: Record<string, unknown> = {};
  for (const [key, { env: name, schema }] of Object.entries(SPEC)) {
    const fromOptions = (options as Record<string, unknown>)[key];
    const raw = fromOptions !== undefined ? fromOptions : env[name] === '' ? undefined : env[name];
    const parsed = (schema as z.ZodType).safeParse(raw);
    if (!parsed.success) {
      const reason = parsed.error.issues[0]?.message ?? 'is invalid';
      throw new ConfigError(`Invalid configuration: ${name} ${reason.startsWith('must') ? reason : `is invalid (${reason})`}`);
    }
    out[key] = parsed.data;
  }
  const config = out as EngineConfig;
  config.databaseUrl ??= `sqlite:${path.join(config.dataDir, 'mask.sqlite')}`;
  config.defaultDomainConfigured = config.defaultDomain !== undefined;
  config.defaultDomain = (config.defaultDomain ?? `localhost:${config.port}`).toLowerCase();
  const sqliteFile = sqliteFileOf(config.databaseUrl);
  const inMemory = sqliteFile === ':memory:' || sqliteFile === '';
  config.clickSpoolDir = inMemory ? null : ((out.clickSpoolDir as string | undefined) ?? path.join(config.dataDir, 'spool'));
  const oidc = [config.oidcIssuer, config.oidcClientId, config.oidcClientSecret].filter(Boolean).length;
  if (oidc !== 0 && oidc !== 3) throw new ConfigError('Invalid configuration: MASK_OIDC_ISSUER, MASK_OIDC_CLIENT_ID and MASK_OIDC_CLIENT_SECRET go together');
  if (config.smtpUrl && !config.smtpFrom) throw new ConfigError('Invalid configuration: MASK_SMTP_FROM is needed with MASK_SMTP_URL (the sender of invitation mails)');
  config.clickWriter = resolveClickWriter(out.clickWriter as 'auto' | 'worker' | 'inline', sqliteFileOf(config.databaseUrl));
  return config;
}

// An in-memory SQLite database lives in one connection: a worker thread cannot share it.
function resolveClickWriter(choice: 'auto' | 'worker' | 'inline', sqliteFile: string | null): 'worker' | 'inline' {
  const inMemory = sqliteFile === ':memory:' || sqliteFile === '';
  if (choice === 'worker' && inMemory) throw new ConfigError('Invalid configuration: MASK_CLICK_WRITER=worker needs a database file or Postgres, not an in-memory database');
  if (choice !== 'auto') return choice;
  return sqliteFile !== null && !inMemory ? 'worker' : 'inline';
}
