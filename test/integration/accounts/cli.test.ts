import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildCli } from '../../../engine/cli';
import type { TestEngine } from '../../support/engine';
import { Browser, PASSWORD, startAccountsEngine, uniqueEmail } from './helpers';

describe('Dashboard accounts: mask users', () => {
  let t: TestEngine;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL, MASK_REDIS_PREFIX: process.env.MASK_REDIS_PREFIX };
  before(async () => {
    t = await startAccountsEngine();
    // The CLI reads its settings from the environment, like `npx mask …` would: the test engine's database, and its
    // Redis where sessions live there (so reset-password ends them).
    process.env.DATABASE_URL = t.engine.config.databaseUrl;
    if (t.engine.config.redisUrl) Object.assign(process.env, { REDIS_URL: t.engine.config.redisUrl, MASK_REDIS_PREFIX: t.engine.config.redisPrefix });
  });
  after(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await t.stop();
  });

  const run = async (...args: string[]) => {
    const lines: string[] = [];
    await buildCli((line = '') => lines.push(line)).exitOverride().parseAsync(['node', 'mask', ...args]);
    return lines.join('\n');
  };

  test('users create with a password: the account signs in with the role it was given', async () => {
    const email = uniqueEmail('cli');
    const out = await run('users', 'create', '--email', email, '--name', 'Cli User', '--workspace', t.workspace.id, '--role', 'viewer', '--password', PASSWORD);
    assert.match(out, /Created usr_[0-9a-z]{26}/);
    const browser = new Browser(t);
    const session = await browser.login(email);
    assert.deepEqual(session.body.workspaces, [{ id: t.workspace.id, name: t.workspace.name, role: 'viewer' }]);
  });

  test('users create without a password and reset-password print one-time links to the setup page', async () => {
    const email = uniqueEmail('link');
    const out = await run('users', 'create', '--email', email, '--name', 'Link User', '--workspace', t.workspace.id);
    // On the instance domain the test engine stored at its first start, whatever this process is configured with.
    const link = /(https:\/\/go\.mask\.test\/app\/setup\?token=[A-Za-z0-9_-]{43})/.exec(out)?.[1];
    assert.ok(link, out);
    const token = new URL(link).searchParams.get('token') as string;
    const check = await t.api('GET', `/api/v1/auth/setup?token=${token}`, { key: null });
    assert.deepEqual(check.body, { valid: true, kind: 'password_reset' }, 'the page can say it sets a password');
    const wrongEmail = await new Browser(t).call('POST', '/api/v1/auth/setup', { body: { token, email: uniqueEmail(), name: 'X', password: PASSWORD } });
    assert.equal(wrongEmail.status, 422, 'a reset link sets the password of its own account only');
    const set = await new Browser(t).call('POST', '/api/v1/auth/setup', { body: { token, email, name: 'Link User', password: PASSWORD } });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.workspaces[0].role, 'member');

    const signedIn = new Browser(t);
    await signedIn.login(email);
    const reset = await run('users', 'reset-password', '--email', email, '--password', 'a brand new password');
    assert.match(reset, /every session of the account has ended/);
    assert.equal((await signedIn.call('GET', '/api/v1/auth/session')).status, 401);
    await new Browser(t).login(email, 'a brand new password');
    assert.match(await run('users', 'reset-password', '--email', email), /\/app\/setup\?token=[A-Za-z0-9_-]{43}/);
  });
});
