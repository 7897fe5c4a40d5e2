import http, { type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { ConfigError, loadConfig, type ConfigOptions, type EngineConfig } from './config';
import { loadSecret } from './domain/engine-secret';
import type { KeyService } from './domain/keys';
import type { WorkspaceService } from './domain/workspaces';
import { EngineSecretStore } from './store/engine-secret';
import { migrateLatest } from './store/migrate';
import { withStartupLock } from './store/startup-lock';
import { createLogger, type Logger } from './support/logger';
import { packageInfo } from './support/package-info';
import { SecretBoxError } from './support/secret-box';
import { systemClock, type Clock } from './support/time';
import { createApp } from './wiring/app';
import { composeEngine, registerParts } from './wiring/index';
import { listenOn, operationsApp } from './wiring/operations';
import { loadSecretKeys } from './wiring/secret-keys';
import { loadInstanceDomain } from './wiring/instance-domain';

export interface EngineOptions extends ConfigOptions {
  clock?: Clock;
  logger?: Logger;
  /** Environment to read settings from (default: process.env). Options win over it. */
  env?: NodeJS.ProcessEnv;
  /** Run migrations in start() (default true). */
  migrateOnStart?: boolean;
}

export interface Engine {
  config: EngineConfig;
  /** The Express app: mount it in a host app, or serve `handler` directly. */
  app: Express;
  /** Node request listener: redirect fast path first, then the Express app. */
  handler: RequestListener;
  /** Provisioning without HTTP: create and list workspaces. */
  workspaces: WorkspaceService;
  /** Provisioning without HTTP: create, rotate and revoke API keys (the secret is returned once). */
  keys: KeyService;
  /** Writes the clicks this process still buffers (reports then include them). */
  flushClicks(): Promise<void>;
  logger: Logger;
  migrate(): Promise<string[]>;
  /** Migrates (unless disabled), loads the secret and starts background work. Requests before it answer 503. */
  start(): Promise<void>;
  /** Starts an HTTP server on the configured (or given) port and host. */
  listen(port?: number, host?: string): Promise<Server & { url: string }>;
  /** Stops accepting, flushes buffered work, closes connections. */
  close(): Promise<void>;
  /** Where `/metrics` is served once started with MASK_METRICS_PORT (`metricsPort`), else null. */
  readonly metricsUrl: string | null;
}

export function createEngine(options: EngineOptions = {}): Engine {
  const { clock = systemClock, env, logger: givenLogger, migrateOnStart = true, ...configOptions } = options;
  const config = loadConfig(configOptions, env);
  const logger = givenLogger ?? createLogger(config.logLevel);
  const parts = composeEngine(config, clock, logger);
  const state = { ready: false };
  const app = createApp(parts, state, packageInfo().version);
  const servers: Server[] = [];
  let started: Promise<void> | null = null;
  let closed: Promise<void> | null = null;
  let metricsUrl: string | null = null;

  const handler: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (state.ready && !parts.dashboard.claims(req.url) && parts.redirects.handle(req, res)) return;
    app(req, res);
  };

  const migrate = () => migrateLatest(parts.db);

  const start = () =>
    (started ??= (async () => {
      // The sealing key first: a deployment that cannot have one (Postgres without MASK_SECRET) stops before anything.
      parts.secretBox.load(loadSecretKeys(config));
      // Processes started together on an empty database migrate, create the secret and store the instance domain one at a time.
      await withStartupLock(parts.db, async () => {
        if (migrateOnStart) await migrate();
        parts.secret.set(await loadSecret(new EngineSecretStore(parts.db), config.secret));
        await loadInstanceDomain(parts);
        await sealStoredSecrets(parts.webhooks.endpoints, logger);
      });
      await parts.lifecycle.start();
      if (config.metricsPort !== undefined) {
        const server = await listenOn(operationsApp(parts, () => state.ready, true), config.metricsPort, config.host, logger, 'metrics');
        servers.push(server);
        metricsUrl = server.url;
      }
      state.ready = true;
    })());

  const listen = async (port = config.port, host = config.host) => {
    await start();
    const server = http.createServer(handler);
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    servers.push(server);
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return Object.assign(server, { url: `http://${shownHost}:${address.port}` });
  };

  const close = () =>
    (closed ??= (async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeIdleConnections();
            }),
        ),
      );
      state.ready = false;
      await parts.lifecycle.close();
      await parts.db.destroy();
    })());

  const engine: Engine = {
    config,
    app,
    handler,
    workspaces: parts.workspaces,
    keys: parts.keys,
    flushClicks: () => parts.clicks.flush(),
    logger,
    migrate,
    start,
    listen,
    close,
    get metricsUrl() {
      return metricsUrl;
    },
  };
  registerParts(engine, parts);
  return engine;
}

/**
 * Webhook secrets stored in plaintext (before sealing existed) or under a previous key are sealed with the current
 * one; a secret under a key this engine lacks stops the start with one line (a ConfigError) instead of failing every
 * delivery later.
 */
async function sealStoredSecrets(endpoints: { sealStoredSecrets(): Promise<number> }, logger: Logger): Promise<void> {
  try {
    const sealed = await endpoints.sealStoredSecrets();
    if (sealed > 0) logger.info({ sealed }, 'sealed stored webhook secrets with the current key');
  } catch (error) {
    if (error instanceof SecretBoxError) throw new ConfigError(`Invalid configuration: ${error.message}`);
    throw error;
  }
}

export { loadConfig, ConfigError } from './config';
export type { EngineConfig, ConfigOptions } from './config';
export { ApiError } from './support/errors';
