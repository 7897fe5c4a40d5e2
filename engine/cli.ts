#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { createEngine, type Engine } from './index';
import { ConfigError } from './config';
import { bootstrapFirstWorkspace } from './domain/bootstrap';
import { SCOPES, type Scope } from './domain/scopes';
import { rollbackAll } from './store/migrate';
import { ApiError } from './support/errors';
import { packageInfo } from './support/package-info';
import { toIso } from './support/time';

const print = (line = '') => process.stdout.write(`${line}\n`);

function parseScopes(value: string): Scope[] {
  const scopes = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length || scopes.length === 0) {
    throw new InvalidArgumentError(`unknown scope(s) ${unknown.join(', ') || '(none given)'}; choose from ${SCOPES.join(', ')}`);
  }
  return scopes as Scope[];
}

/** Runs a short command against the database: migrate, act, close. */
async function withEngine<T>(action: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = createEngine({ logLevel: 'warn' });
  try {
    await engine.migrate();
    return await action(engine);
  } finally {
    await engine.close();
  }
}

/** Closes the engine on SIGTERM / SIGINT and exits 0, or 1 when closing fails. */
function stopOnSignals(engine: Engine): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    engine.services.logger.info({ signal }, 'shutting down');
    engine.close().then(
      () => process.exit(0),
      (error) => {
        engine.services.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function start(options: { workers?: boolean }): Promise<void> {
  const engine = createEngine(options.workers === false ? { webhookWorkers: false } : {});
  const server = await engine.listen();
  const { config } = engine;
  print(`MASK ${packageInfo().version} is listening on ${server.url} (database: ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//…@')})`);
  const first = await bootstrapFirstWorkspace(engine.services);
  if (first) {
    print();
    print(`Created workspace "${first.workspace.name}" (${first.workspace.id}) and its first admin API key.`);
    print('It is shown only this once; store it now:');
    print();
    print(`    ${first.secret}`);
    print();
    print(`Try it:  curl -H "Authorization: Bearer ${first.secret}" ${server.url}/api/v1/me`);
  }
  print(`Create more API keys with:  npx mask keys create --workspace <ws_id> --scopes links:read,links:write`);
  print(`List workspaces and keys with:  npx mask keys list`);
  stopOnSignals(engine);
}

/** Webhook delivery without the HTTP server: BullMQ workers and the sweeper, or the database-polling dispatcher. */
async function worker(): Promise<void> {
  const engine = createEngine({ webhookWorkers: true });
  await engine.start();
  const { config } = engine;
  const how = config.redisUrl ? 'BullMQ workers on Redis' : 'polling the database';
  print(`MASK ${packageInfo().version} webhook worker running (${how}, up to ${config.webhookConcurrency} deliveries at once; pid ${process.pid})`);
  stopOnSignals(engine);
}

export function buildCli(): Command {
  const program = new Command('mask')
    .description('MASK link engine: short links, redirects, click analytics and signed webhooks')
    .version(packageInfo().version);

  program
    .command('start')
    .description('Run migrations, then serve the API and redirects (and deliver webhooks, unless --no-workers)')
    .option('--no-workers', 'do not deliver webhooks in this process; run `mask worker` for that')
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
        const names = options.rollback ? await rollbackAll(engine.services.db) : await engine.migrate();
        print(names.length ? `${options.rollback ? 'Rolled back' : 'Applied'}: ${names.join(', ')}` : 'Nothing to do.');
      } finally {
        await engine.close();
      }
    });

  const workspace = program.command('workspace').description('Manage workspaces');
  workspace
    .command('create <name>')
    .description('Create a workspace')
    .option('--domain <hostname>', 'custom domain for its short links (default: the instance domain)')
    .action((name: string, options: { domain?: string }) =>
      withEngine(async ({ services }) => {
        const created = await services.workspaces.create({ name, domain: options.domain });
        print(`Created workspace ${created.id} "${created.name}" (short links on ${created.defaultDomain})`);
        print(`Create a key for it:  npx mask keys create --workspace ${created.id} --scopes admin`);
      }),
    );
  workspace
    .command('list')
    .description('List workspaces')
    .action(() =>
      withEngine(async ({ services }) => {
        for (const ws of await services.workspaces.list()) print(`${ws.id}  ${ws.defaultDomain}  ${ws.name}`);
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
    .action((options: { workspace: string; scopes: Scope[]; name: string; test?: boolean }) =>
      withEngine(async ({ services }) => {
        if (!(await services.workspaces.find(options.workspace))) throw new ApiError('not_found', `No workspace ${options.workspace}.`);
        const { key, secret } = await services.keys.create({
          workspaceId: options.workspace,
          name: options.name,
          mode: options.test ? 'test' : 'live',
          scopes: options.scopes,
        });
        print(`Created ${key.id} (${key.mode}, scopes ${key.scopes.join(',')}). Shown only once:`);
        print(secret);
      }),
    );
  keys
    .command('list')
    .description('List API keys (never their secrets)')
    .option('--workspace <id>', 'only this workspace')
    .action((options: { workspace?: string }) =>
      withEngine(async ({ services }) => {
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
      withEngine(async ({ services }) => {
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
      withEngine(async ({ services }) => {
        const { key, secret } = await services.keys.rotate({}, id, options.grace);
        print(`Rotated ${id} -> ${key.id}. New key, shown only once:`);
        print(secret);
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
