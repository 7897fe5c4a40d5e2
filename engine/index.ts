import http, { type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { loadConfig, type ConfigOptions, type EngineConfig } from './config';
import { loadSecret } from './domain/engine-secret';
import { createApp } from './http/app';
import { apiRoutes } from './http/routes';
import { createServices, type Services } from './services';
import { EngineSecretStore } from './store/engine-secret';
import { migrateLatest } from './store/migrate';
import { createLogger, type Logger } from './support/logger';
import { packageInfo } from './support/package-info';
import { systemClock, type Clock } from './support/time';

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
  services: Services;
  migrate(): Promise<string[]>;
  /** Migrates (unless disabled), loads the secret and starts background work. Requests before it answer 503. */
  start(): Promise<void>;
  /** Starts an HTTP server on the configured (or given) port and host. */
  listen(port?: number, host?: string): Promise<Server & { url: string }>;
  /** Stops accepting, flushes buffered work, closes connections. */
  close(): Promise<void>;
}

export function createEngine(options: EngineOptions = {}): Engine {
  const { clock = systemClock, env, logger: givenLogger, migrateOnStart = true, ...configOptions } = options;
  const config = loadConfig(configOptions, env);
  const logger = givenLogger ?? createLogger(config.logLevel);
  const services = createServices(config, clock, logger);
  const state = { ready: false };
  const app = createApp(services, apiRoutes(services), state, packageInfo().version);
  const servers: Server[] = [];
  let started: Promise<void> | null = null;
  let closed: Promise<void> | null = null;

  const handler: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (state.ready) for (const fastPath of services.fastPaths) if (fastPath(req, res)) return;
    app(req, res);
  };

  const migrate = () => migrateLatest(services.db);

  const start = () =>
    (started ??= (async () => {
      if (migrateOnStart) await migrate();
      services.secret.set(await loadSecret(new EngineSecretStore(services.db), config.secret));
      await services.lifecycle.start();
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
      await services.lifecycle.close();
      await services.db.destroy();
    })());

  return { config, app, handler, services, migrate, start, listen, close };
}

export { loadConfig, ConfigError } from './config';
export type { EngineConfig, ConfigOptions } from './config';
export { ApiError } from './support/errors';
