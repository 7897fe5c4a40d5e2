import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../support/databases';

const root = path.join(__dirname, '..', '..', '..');
const CLI = [ '--import', 'tsx', path.join(root, 'engine', 'cli.ts')];

function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [...CLI, ...args], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `mask start`, waits for its first lines, and stops it by PID with SIGTERM. */
async function startServer(env: Record<string, string>): Promise<{ output: string; url: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [...CLI, 'start'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 20_000;
  while (!/List workspaces and keys/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`mask start did not come up:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = /listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
  return {
    output,
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

describe('mask CLI', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'warn', MASK_DEFAULT_DOMAIN: 'localhost:3000' };
  });
  after(() => database.drop());

  test('first start prints one admin key that works; a later start prints none', async () => {
    const first = await startServer(env);
    const key = /mk_live_[A-Za-z0-9_-]{43}/.exec(first.output)?.[0];
    assert.ok(key, first.output);
    const me = await fetch(`${first.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(me.status, 200);
    assert.equal(await first.stop(), 0, 'graceful exit on SIGTERM');

    const second = await startServer(env);
    assert.doesNotMatch(second.output, /mk_live_/);
    assert.match(second.output, /mask keys create/);
    assert.equal(await second.stop(), 0);
  });

  test('workspace create, keys create/list/rotate/revoke', () => {
    const ws = runCli(['workspace', 'create', 'Acme', '--domain', 'go.acme.test'], env);
    assert.equal(ws.code, 0, ws.stderr);
    const wsId = /ws_[0-9a-z]{26}/.exec(ws.stdout)?.[0] as string;
    assert.ok(wsId);

    const created = runCli(['keys', 'create', '--workspace', wsId, '--scopes', 'links:read,links:write', '--test'], env);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /mk_test_[A-Za-z0-9_-]{43}/);
    const keyId = /key_[0-9a-z]{26}/.exec(created.stdout)?.[0] as string;

    const listed = runCli(['keys', 'list', '--workspace', wsId], env);
    assert.match(listed.stdout, new RegExp(keyId));
    assert.doesNotMatch(listed.stdout, /mk_test_[A-Za-z0-9_-]{43}/, 'secrets never listed');

    const rotated = runCli(['keys', 'rotate', keyId, '--grace', '30'], env);
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, /mk_test_/);
    const revoked = runCli(['keys', 'revoke', keyId], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(runCli(['keys', 'list', '--workspace', wsId], env).stdout, /revoked/);
  });

  test('keys create --allowed-ips sets the list in canonical form; a bad entry exits non-zero naming it', () => {
    const ws = runCli(['workspace', 'create', 'Office'], env);
    assert.equal(ws.code, 0, ws.stderr);
    const wsId = /ws_[0-9a-z]{26}/.exec(ws.stdout)?.[0] as string;
    const created = runCli(['keys', 'create', '--workspace', wsId, '--scopes', 'links:read', '--allowed-ips', '10.1.2.3/8, 2001:db8::1'], env);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /from 10\.0\.0\.0\/8,2001:db8::1 only/);
    const bad = runCli(['keys', 'create', '--workspace', wsId, '--scopes', 'links:read', '--allowed-ips', '10.0.0.0/33'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /"10\.0\.0\.0\/33" is not a valid CIDR range/);
  });

  test('bad arguments and bad configuration exit 1 with a clear line', () => {
    const scopes = runCli(['keys', 'create', '--workspace', 'ws_x', '--scopes', 'links:fly'], env);
    assert.notEqual(scopes.code, 0);
    assert.match(scopes.stderr, /unknown scope/);
    const port = runCli(['migrate'], { ...env, PORT: 'eighty' });
    assert.equal(port.code, 1);
    assert.equal(port.stderr.trim(), 'Invalid configuration: PORT must be a port number from 0 to 65535');
    const help = runCli(['keys', 'create', '--help'], env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--scopes/);
  });
});
