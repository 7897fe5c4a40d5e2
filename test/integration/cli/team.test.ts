import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Command } from 'commander';
import type { Knex } from 'knex';
import { buildCli } from '../../../engine/cli';
import { createDb } from '../../../engine/store/db';
import { createTestDatabase, type TestDatabase } from '../../support/databases';

const root = path.join(__dirname, '..', '..', '..');

/** Runs the CLI in this process (each command migrates, acts and closes its own engine) and returns what it printed. */
async function mask(...args: string[]): Promise<string> {
  let output = '';
  await buildCli((line = '') => (output += `${line}\n`)).parseAsync(['node', 'mask', ...args]);
  return output;
}

/** A real `mask` process, for exit codes and error output. */
function spawnMask(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'engine', 'cli.ts'), ...args], {
    cwd: root,
    env: { ...process.env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const subcommand = (program: Command, ...names: string[]): Command =>
  names.reduce((command, name) => command.commands.find((c) => c.name() === name) as Command, program);

describe('mask members, domains and workspace plan (CLI)', () => {
  let database: TestDatabase;
  let db: Knex;
  let workspaceId: string;
  before(async () => {
    database = await createTestDatabase();
    Object.assign(process.env, { DATABASE_URL: database.url, MASK_DEFAULT_DOMAIN: 'localhost:3000', LOG_LEVEL: 'warn' });
    workspaceId = /ws_[0-9a-z]{26}/.exec(await mask('workspace', 'create', 'Acme'))?.[0] as string;
    db = createDb(database.url);
  });
  after(async () => {
    await db.destroy();
    await database.drop();
  });

  test('members add, list and remove (by id or by email); changes are audited as the system', async () => {
    const added = await mask('members', 'add', '--workspace', workspaceId, '--email', 'Ada@Example.com', '--name', 'Ada', '--role', 'owner');
    const adaId = /mem_[0-9a-z]{26}/.exec(added)?.[0] as string;
    assert.match(added, /ada@example\.com \(owner\)/);
    const bob = /mem_[0-9a-z]{26}/.exec(await mask('members', 'add', '--workspace', workspaceId, '--email', 'bob@example.com', '--name', 'Bob'))?.[0];
    const listed = await mask('members', 'list', '--workspace', workspaceId);
    assert.match(listed, new RegExp(`${adaId}\\s+${workspaceId}\\s+owner\\s+ada@example\\.com\\s+Ada`));
    assert.match(listed, /member\s+bob@example\.com\s+Bob/);
    await assert.rejects(mask('members', 'remove', adaId), /last owner/);
    assert.match(await mask('members', 'remove', 'BOB@example.com', '--workspace', workspaceId), new RegExp(`Removed ${bob}`));
    assert.match(await mask('members', 'remove', adaId), /Removed/);
    assert.equal(await mask('members', 'list', '--workspace', workspaceId), '');
    await assert.rejects(mask('members', 'remove', 'ada@example.com'), /No member/, 'an email needs --workspace');
    const audits = await db('audit_logs').where({ resource_type: 'member' }).orderBy('id');
    assert.deepEqual(audits.map((a) => [a.action, a.actor_type]), [
      ['member.added', 'system'],
      ['member.added', 'system'],
      ['member.removed', 'system'],
      ['member.removed', 'system'],
    ]);
  });

  test('domains add, list and remove; workspace plan shows and changes the plan', async () => {
    assert.match(await mask('domains', 'add', 'Go.Acme.example', '--workspace', workspaceId, '--default'), /go\.acme\.example .* default domain/);
    assert.match(await mask('domains', 'add', 'dev.localhost:8080', '--workspace', workspaceId), /dev\.localhost:8080/);
    const listed = await mask('domains', 'list', '--workspace', workspaceId);
    assert.match(listed, /https\s+go\.acme\.example\s+\(default\)/);
    assert.match(listed, /http\s+dev\.localhost:8080\n/);
    assert.equal((await db('workspaces').where({ id: workspaceId }).first()).default_domain, 'go.acme.example');
    assert.match(await mask('domains', 'remove', 'GO.ACME.EXAMPLE'), /Removed go\.acme\.example/);
    assert.equal((await db('workspaces').where({ id: workspaceId }).first()).default_domain, null);

    assert.match(await mask('workspace', 'create', 'Shop', '--domain', 'Shop.Example.'), /short links on shop\.example\)/, 'the same canonical form');
    assert.match(await mask('workspace', 'plan', workspaceId), /plan "default"[\s\S]*links:\s+0 of no limit/);
    const changed = await mask('workspace', 'plan', workspaceId, '--name', 'pro', '--max-links', '500', '--rate-limit-per-key', '120');
    assert.match(changed, /plan "pro" \(updated\)[\s\S]*0 of 500[\s\S]*120 requests per minute/);
    await mask('workspace', 'plan', workspaceId, '--max-links', 'none');
    const row = await db('workspaces').where({ id: workspaceId }).first();
    assert.deepEqual([row.plan_name, row.plan_max_links, row.rate_limit], ['pro', null, 120]);
    const audits = await db('audit_logs').where({ resource_id: workspaceId, action: 'workspace.updated' });
    assert.deepEqual(audits.map((a) => a.actor_type), ['system', 'system'], 'two plan changes, audited as the system');
  });

  test('each command documents its options in --help', () => {
    const program = buildCli();
    const expected: Array<[string[], RegExp[]]> = [
      [['members', 'add'], [/--workspace/, /--email/, /--name/, /--role/, /owner/]],
      [['members', 'list'], [/--workspace/]],
      [['members', 'remove'], [/<member>/, /--workspace/]],
      [['domains', 'add'], [/<hostname>/, /--workspace/, /--default/, /--http/]],
      [['domains', 'list'], [/--workspace/]],
      [['domains', 'remove'], [/<domain>/]],
      [['workspace', 'plan'], [/--max-links/, /--max-clicks-per-month/, /--rate-limit-per-key/, /none/]],
    ];
    for (const [names, patterns] of expected) {
      const help = subcommand(program, ...names).helpInformation();
      for (const pattern of patterns) assert.match(help, pattern, names.join(' '));
    }
  });

  test('bad arguments and API errors exit 1 with the message, and store nothing', async () => {
    const email = spawnMask(['members', 'add', '--workspace', workspaceId, '--email', 'not-an-email', '--name', 'X']);
    assert.equal(email.code, 1);
    assert.match(email.stderr, /Must be an email address/);
    const unknown = spawnMask(['members', 'add', '--workspace', 'ws_nope', '--email', 'a@example.com', '--name', 'X', '--role', 'viewer']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr.trim(), 'Workspace not found.');
    assert.equal(Number((await db('members').count({ n: '*' }))[0].n), 0);
  });
});
