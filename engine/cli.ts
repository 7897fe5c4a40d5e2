#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import type { z } from 'zod/v4';
import { hostnameInput } from './contracts/domains';
import { email as emailInput } from './contracts/members';
import { MAX_CLICKS_PER_MONTH, MAX_RATE_LIMIT_PER_KEY } from './contracts/workspace';
import { requiredText } from './contracts/common';
import cluster from 'node:cluster';
import { createEngine, type Engine, type EngineOptions } from './index';
import { isClusterWorker, parseProcesses, runPrimary } from './cli-cluster';
import { partsOf } from './wiring/index';
import { withEngine } from './cli-engine';
import { instanceDomainSetting } from './wiring/instance-domain';
import { ConfigError, hostName } from './config';
import { systemActor } from './domain/actor';
import { bootstrapFirstWorkspace } from './domain/bootstrap';
import { ROLES, type Role } from './domain/members';
import { serializeUsage, type Plan } from './domain/plans';
import { SCOPES, type Scope } from './domain/scopes';
import { canonicalAllowEntry } from './domain/ip-allow-list';
import { rollbackAll } from './store/migrate';
import { withStartupLock } from './store/startup-lock';
import { listenOn, operationsApp } from './wiring/operations';
import { ApiError } from './support/errors';
import { limitHeapGrowth } from './support/heap-growth';
import { packageInfo } from './support/package-info';
import { toIso } from './support/time';
import { addUserCommands } from './cli-users';
import { addImportCommands } from './cli-imports';

const printLine = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

function parseScopes(value: string): Scope[] {
  const scopes = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length || scopes.length === 0) {
    throw new InvalidArgumentError(`unknown scope(s) ${unknown.join(', ') || '(none given)'}; choose from ${SCOPES.join(', ')}`);
  }
  return scopes as Scope[];
}

function parseAllowedIps(value: string): string[] {
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  return entries.map((entry) => {
    const result = canonicalAllowEntry(entry);
    if ('problem' in result) throw new InvalidArgumentError(result.problem);
    return result.entry;
  });
}

/** An argument checked by the same schema as the API field, or commander's "invalid argument" with its message. */
const checked = <S extends z.ZodType>(schema: S) => (value: string): z.output<S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
};

/** A limit: a whole number in range, or "none" for no limit (kept as "none": commander turns a null into ""). */
const limitArgument = (min: number, max: number) => (value: string): number | 'none' => {
  if (value === 'none') return value;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}, or "none"`);
  return n;
};

type Limit = number | 'none';

const limitText = (value: number | null) => (value === null ? 'no limit' : String(value));

/** Closes the engine on SIGTERM / SIGINT and exits 0, or 1 when closing fails. */
function stopOnSignals(engine: Engine): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    engine.logger.info({ signal }, 'shutting down');
    engine.close().then(
      () => process.exit(0),
      (error) => {
        engine.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** First-start bootstrap under the start-up lock: of engines started together on an empty database, one creates it. */
export function firstStart(engine: Engine): ReturnType<typeof bootstrapFirstWorkspace> {
  return withStartupLock(partsOf(engine).db, () => bootstrapFirstWorkspace(engine));
}

/**
 * The last resort of a long-running process: a rejection nobody handled is a bug to log with its context, not a
 * reason to stop serving every other request (Node's default ends the process).
 */
export function keepServingOnUnhandledRejection(engine: Pick<Engine, 'logger'>): void {
  process.on('unhandledRejection', (reason: unknown) => {
    engine.logger.error({ err: reason, pid: process.pid }, 'unhandled promise rejection; this is a bug, the process keeps serving');
  });
}

type StartOptions = { workers?: boolean; processes?: number };

/** An engine of a process that serves redirects: with the heap growth limit, which only a process of its own may set. */
function servingEngine(options: EngineOptions): Engine {
  const engine = createEngine(options);
  limitHeapGrowth(engine.config.heapGrowthPercent);
  return engine;
}

async function start(options: StartOptions): Promise<void> {
  const engineOptions = options.workers === false ? { webhookWorkers: false } : {};
  if (isClusterWorker()) return startClusterWorker(engineOptions);
  if ((options.processes ?? 1) > 1) return startPrimary(options.processes!, engineOptions);
  const engine = servingEngine(engineOptions);
  // Signals first: whoever waits for the lines below may stop the process as soon as it reads them.
  stopOnSignals(engine);
  keepServingOnUnhandledRejection(engine);
  const server = await engine.listen();
  printListening(engine, server.url);
  // Under the start-up lock: of processes started together on an empty database, exactly one creates the workspace.
  await printFirstStart(engine, server.url, await firstStart(engine));
}

function printListening(engine: Engine, url: string, processes = 1): void {
  const { config } = engine;
  const how = processes > 1 ? ` with ${processes} processes` : '';
  printLine(`MASK ${packageInfo().version} is listening on ${url}${how} (database: ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//…@')})`);
}

async function printFirstStart(engine: Engine, url: string, first: Awaited<ReturnType<typeof firstStart>>): Promise<void> {
  const { config } = engine;
  if (first) {
    printLine();
    printLine(`Created workspace "${first.workspace.name}" (${first.workspace.id}) and its first admin API key.`);
    printLine('It is shown only this once; store it now:');
    printLine();
    printLine(`    ${first.secret}`);
    printLine();
    printLine(`Try it:  curl -H "Authorization: Bearer ${first.secret}" ${url}/api/v1/me`);
    const setup = await partsOf(engine).accounts.createSetupToken(first.workspace.id);
    printLine();
    printLine('Create the owner account of the dashboard with this one-time link (valid 24 hours):');
    printLine();
    printLine(`    ${url}${config.dashboardPath}/setup?token=${setup.token}`);
    printLine();
  }
  printLine(`Create more API keys with:  npx mask keys create --workspace <ws_id> --scopes links:read,links:write`);
  printLine(`List workspaces and keys with:  npx mask keys list`);
}

/**
 * `mask start --processes N`, the primary: migrations, the secret and the first workspace once, under the start-up
 * lock; then N workers share the port. The primary serves nothing itself.
 */
async function startPrimary(processes: number, engineOptions: EngineOptions): Promise<void> {
  const engine = createEngine({ ...engineOptions, webhookWorkers: false });
  keepServingOnUnhandledRejection(engine);
  let first: Awaited<ReturnType<typeof firstStart>>;
  try {
    await engine.start();
    first = await firstStart(engine);
  } catch (error) {
    await engine.close().catch(() => undefined);
    throw error;
  }
  // The first worker to listen tells the address (with PORT=0 the system chooses it, once for all workers).
  cluster.once('message', (_worker, message: { listening?: string }) => {
    if (!message.listening) return;
    printListening(engine, message.listening, processes);
    printFirstStart(engine, message.listening, first)
      .catch((error: unknown) => engine.logger.error({ err: error }, 'could not print the first-start details'))
      .finally(() => void engine.close());
  });
  runPrimary(processes, engine.logger, printLine);
}

/** A worker of `mask start --processes N`: an engine (the primary migrated) serving the shared port. */
async function startClusterWorker(engineOptions: EngineOptions): Promise<void> {
  const engine = servingEngine({ ...engineOptions, migrateOnStart: false });
  stopOnSignals(engine);
  keepServingOnUnhandledRejection(engine);
  const server = await engine.listen();
  process.send?.({ listening: server.url });
}

/** Webhook delivery without the HTTP server: BullMQ workers and the sweeper, or the database-polling dispatcher. */
async function worker(): Promise<void> {
  const engine = createEngine({ webhookWorkers: true });
  stopOnSignals(engine);
  keepServingOnUnhandledRejection(engine);
  const { config } = engine;
  // Probes on MASK_WORKER_PORT: up while starting (/healthz answers, /readyz says "starting").
  let started = false;
  if (config.workerPort !== undefined) {
    const probes = await listenOn(operationsApp(partsOf(engine), () => started, false), config.workerPort, config.host, engine.logger, 'worker probes');
    partsOf(engine).lifecycle.onClose(() => new Promise<void>((resolve) => probes.close(() => resolve())));
    printLine(`Worker probes: ${probes.url}/healthz and ${probes.url}/readyz`);
  }
  await engine.start();
  started = true;
  const how = config.redisUrl ? 'BullMQ workers on Redis' : 'polling the database';
  printLine(`MASK ${packageInfo().version} webhook worker running (${how}, up to ${config.webhookConcurrency} deliveries at once; pid ${process.pid})`);
}

/** The `mask` program; `print` receives its output lines (tests capture them). */
export function buildCli(print: (line?: string) => void = printLine): Command {
  const program = new Command('mask')
    .description('MASK link engine: short links, redirects, click analytics and signed webhooks')
    .version(packageInfo().version);

  program
    .command('start')
    .description('Run migrations, then serve the API and redirects (and deliver webhooks, unless --no-workers)')
    .option('--no-workers', 'do not deliver webhooks in this process; run `mask worker` for that')
    .option('--processes <n>', 'serve with n processes sharing the port (node:cluster), or "auto" for one per CPU', parseProcesses, 1)
    .action(start);

  program
    .command('worker')
    .description('Deliver webhooks without serving HTTP (run one or more next to `mask start --no-workers`)')
    .action(worker);

  program
    .command('migrate')
    .description('Apply pending database migrations')
    .option('--rollback', 'roll every migration back instead (destroys data)')
    .action(async (options: { rollback?: boolean }) => {
      const engine = createEngine({ logLevel: 'warn' });
      try {
        const names = options.rollback ? await rollbackAll(partsOf(engine).db) : await engine.migrate();
        print(names.length ? `${options.rollback ? 'Rolled back' : 'Applied'}: ${names.join(', ')}` : 'Nothing to do.');
      } finally {
        await engine.close();
      }
    });

  program
    .command('instance-domain')
    .description('Show the instance domain of short links (stored at the first start, shared by every process); with a host name, change it')
    .argument('[hostname]', 'e.g. go.example.com (restart running engines to use it)', checked(hostName))
    .action((hostname: string | undefined) =>
      withEngine(async (engine) => {
        if (hostname === undefined) return print(engine.config.defaultDomain);
        const previous = engine.config.defaultDomain;
        await instanceDomainSetting(partsOf(engine)).replace(hostname.toLowerCase());
        print(`The instance domain is now ${hostname.toLowerCase()}. Restart running engines to use it.`);
        print(`Links created on ${previous} keep that domain, which is no longer served unless you add it as a custom domain.`);
      }),
    );

  const workspace = program.command('workspace').description('Manage workspaces');
  workspace
    .command('create <name>')
    .description('Create a workspace')
    .option('--domain <hostname>', 'custom domain for its short links (default: the instance domain)', checked(hostnameInput))
    .action((name: string, options: { domain?: string }) =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        const created = await services.workspaces.create({ name, domain: options.domain });
        print(`Created workspace ${created.id} "${created.name}" (short links on ${created.defaultDomain})`);
        print(`Create a key for it:  npx mask keys create --workspace ${created.id} --scopes admin`);
      }),
    );
  workspace
    .command('list')
    .description('List workspaces')
    .action(() =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        for (const ws of await services.workspaces.list()) print(`${ws.id}  ${ws.defaultDomain}  ${ws.name}`);
      }),
    );

  workspace
    .command('plan <id>')
    .description('Show a workspace\'s plan and live usage; with options, change the plan (emits subscription.updated)')
    .option('--name <name>', 'plan name, e.g. pro', checked(requiredText(64)))
    .option('--max-links <n>', 'links per mode, or "none"', limitArgument(0, 2_147_483_647))
    .option('--max-clicks-per-month <n>', 'counted clicks per mode and UTC month, or "none"', limitArgument(0, MAX_CLICKS_PER_MONTH))
    .option('--rate-limit-per-key <n>', 'API requests per minute per key, or "none" for the instance default', limitArgument(1, MAX_RATE_LIMIT_PER_KEY))
    .action((id: string, options: { name?: string; maxLinks?: Limit; maxClicksPerMonth?: Limit; rateLimitPerKey?: Limit }) =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        const actor = systemActor(id);
        const limit = (value: Limit | undefined) => (value === 'none' ? null : value);
        const change: Partial<Plan> = {
          name: options.name,
          maxLinks: limit(options.maxLinks),
          maxClicksPerMonth: limit(options.maxClicksPerMonth),
          rateLimitPerKey: limit(options.rateLimitPerKey),
        };
        const changing = Object.values(change).some((value) => value !== undefined);
        const { workspace, plan, usage } = changing ? await services.workspaceSettings.update(actor, { plan: change }) : await services.workspaceSettings.get(actor);
        const shown = serializeUsage(usage, plan);
        print(`${workspace.id} "${workspace.name}": plan "${plan.name}"${changing ? ' (updated)' : ''}`);
        print(`  links:        ${shown.links} of ${limitText(plan.maxLinks)} (live)`);
        print(`  clicks:       ${shown.clicks_this_month} of ${limitText(plan.maxClicksPerMonth)} this month (live, until ${shown.period_end})`);
        print(`  rate limit:   ${plan.rateLimitPerKey === null ? 'the instance default' : `${plan.rateLimitPerKey} requests per minute`} per key`);
      }),
    );

  const keys = program.command('keys').description('Manage API keys');
  keys
    .command('create')
    .description('Create an API key and print it once')
    .requiredOption('--workspace <id>', 'workspace id (ws_…)')
    .requiredOption('--scopes <list>', `comma-separated: ${SCOPES.join(',')}`, parseScopes)
    .option('--name <name>', 'a label for the key', 'CLI key')
    .option('--test', 'create a test-mode key (mk_test_…) that sees only test data')
    .option('--allowed-ips <list>', 'comma-separated addresses and CIDR ranges the key may be used from (default: any)', parseAllowedIps)
    .action((options: { workspace: string; scopes: Scope[]; name: string; test?: boolean; allowedIps?: string[] }) =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        if (!(await services.workspaces.find(options.workspace))) throw new ApiError('not_found', `No workspace ${options.workspace}.`);
        const { key, secret } = await services.keys.create({
          workspaceId: options.workspace,
          name: options.name,
          mode: options.test ? 'test' : 'live',
          scopes: options.scopes,
          allowedIps: options.allowedIps,
        });
        const from = key.allowedIps ? `, from ${key.allowedIps.join(',')} only` : '';
        print(`Created ${key.id} (${key.mode}, scopes ${key.scopes.join(',')}${from}). Shown only once:`);
        print(secret);
      }),
    );
  keys
    .command('list')
    .description('List API keys (never their secrets)')
    .option('--workspace <id>', 'only this workspace')
    .action((options: { workspace?: string }) =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        for (const key of await services.keys.list({ workspaceId: options.workspace })) {
          const state = key.revokedAt ? `revoked ${toIso(key.revokedAt)}` : key.expiresAt ? `expires ${toIso(key.expiresAt)}` : 'active';
          print(`${key.id}  ${key.workspaceId}  ${key.mode}  ${key.prefix}…${key.last4}  ${key.scopes.join(',')}  ${state}  last used ${toIso(key.lastUsedAt) ?? 'never'}  ${key.name}`);
        }
      }),
    );
  keys
    .command('revoke <id>')
    .description('Revoke an API key at once')
    .action((id: string) =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        const key = await services.keys.revoke({}, id);
        print(`Revoked ${key.id}.`);
      }),
    );
  keys
    .command('rotate <id>')
    .description('Issue a replacement key; the old one keeps working for the grace period')
    .option('--grace <seconds>', 'seconds the old key stays valid', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 604800) throw new InvalidArgumentError('a whole number of seconds from 0 to 604800');
      return n;
    }, 0)
    .action((id: string, options: { grace: number }) =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        const { key, secret } = await services.keys.rotate({}, id, options.grace);
        print(`Rotated ${id} -> ${key.id}. New key, shown only once:`);
        print(secret);
      }),
    );
  const members = program.command('members').description('Manage team members (records for ownership and audit, not logins)');
  members
    .command('add')
    .description('Add a member to a workspace')
    .requiredOption('--workspace <id>', 'workspace id (ws_…)')
    .requiredOption('--email <email>', 'email address, unique in the workspace', checked(emailInput))
    .requiredOption('--name <name>', 'display name', checked(requiredText(200)))
    .addOption(new Option('--role <role>', 'role in the workspace').choices(ROLES).default('member'))
    .action((options: { workspace: string; email: string; name: string; role: Role }) =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        const member = await services.members.add(systemActor(options.workspace), { name: options.name, email: options.email, role: options.role });
        print(`Added ${member.id} ${member.email} (${member.role}) to ${member.workspaceId}.`);
      }),
    );
  members
    .command('list')
    .description('List members, oldest first')
    .option('--workspace <id>', 'only this workspace')
    .action((options: { workspace?: string }) =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        for (const m of await services.members.list(options.workspace)) print(`${m.id}  ${m.workspaceId}  ${m.role.padEnd(6)}  ${m.email}  ${m.name}`);
      }),
    );
  members
    .command('remove <member>')
    .description('Remove a member, by id (mem_…) or by email with --workspace')
    .option('--workspace <id>', 'the workspace (needed when <member> is an email)')
    .action((member: string, options: { workspace?: string }) =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        const found = await services.members.find(member, options.workspace);
        if (!found) throw new ApiError('not_found', `No member ${member}${options.workspace ? ` in ${options.workspace}` : ''}.`);
        const removed = await services.members.remove(systemActor(found.workspaceId), found.id);
        print(`Removed ${removed.id} ${removed.email} from ${removed.workspaceId}.`);
      }),
    );

  members
    .command('transfer-ownership <member>')
    .description('Make a member (id, or email with --workspace) the owner; every other owner becomes admin')
    .option('--workspace <id>', 'the workspace (needed when <member> is an email)')
    .action((member: string, options: { workspace?: string }) =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        const found = await services.members.find(member, options.workspace);
        if (!found) throw new ApiError('not_found', `No member ${member}${options.workspace ? ` in ${options.workspace}` : ''}.`);
        const owner = await services.members.transferOwnership(systemActor(found.workspaceId), found.id);
        print(`${owner.id} ${owner.email} now owns ${owner.workspaceId}; the previous owners are admins.`);
      }),
    );

  addUserCommands(program, print);
  addImportCommands(program, print);

  const domains = program.command('domains').description('Manage custom domains');
  domains
    .command('add')
    .description('Add a custom domain to a workspace (point its DNS at this instance)')
    .argument('<hostname>', 'e.g. go.example.com', checked(hostnameInput))
    .requiredOption('--workspace <id>', 'workspace id (ws_…)')
    .option('--default', 'also make it the workspace default domain')
    .option('--http', 'short URLs on it use http:// (default: https://, http:// for localhost)')
    .action((hostname: string, options: { workspace: string; default?: boolean; http?: boolean }) =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        const domain = await services.domains.create(systemActor(options.workspace), { hostname, isDefault: options.default, secure: options.http ? false : undefined });
        print(`Added ${domain.id} ${domain.hostname} to ${domain.workspaceId}${domain.isDefault ? ' as its default domain' : ''}.`);
      }),
    );
  domains
    .command('list')
    .description('List custom domains')
    .option('--workspace <id>', 'only this workspace')
    .action((options: { workspace?: string }) =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        for (const d of await services.domains.list(options.workspace)) {
          print(`${d.id}  ${d.workspaceId}  ${d.secure ? 'https' : 'http '}  ${d.hostname}${d.isDefault ? '  (default)' : ''}`);
        }
      }),
    );
  domains
    .command('remove <domain>')
    .description('Remove a custom domain nothing uses any more, by id (dom_…) or host name')
    .action((domain: string) =>
      withEngine(async (engine) => {
        const services = partsOf(engine);
        const found = await services.domains.find(domain);
        if (!found) throw new ApiError('not_found', `No domain ${domain}.`);
        await services.domains.delete(systemActor(found.workspaceId), found.id);
        print(`Removed ${found.hostname} from ${found.workspaceId}.`);
      }),
    );
  return program;
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      if (error instanceof ConfigError || error instanceof ApiError) process.stderr.write(`${error.message}\n`);
      else process.stderr.write(`mask: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(1);
    });
}
