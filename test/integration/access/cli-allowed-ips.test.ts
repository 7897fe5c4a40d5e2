import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../support/databases';

const root = path.join(__dirname, '..', '..', '..');

function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'engine', 'cli.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mask keys create --allowed-ips', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn' };
  });
  after(() => database.drop());

  test('sets the list in canonical form; a bad entry exits non-zero naming it', () => {
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
});
