// Failure model: "Without MASK_DEFAULT_DOMAIN each engine used localhost:<its port>: a link created on engine A
// answered 404 on engine B." The instance domain is stored at the first start and every process adopts it; a process
// configured otherwise says so. Engines here have pools of their own on one database, as separate processes would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { createEngine, type Engine, type EngineOptions } from '../../../engine';
import { createTestDatabase, testDialect, testSecret, type TestDatabase } from '../../support/databases';

const root = path.join(__dirname, '..', '..', '..');

function logCapture(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return { logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) }), lines };
}

describe(`one instance domain for every engine on one ${testDialect()} database`, () => {
  let database: TestDatabase;
  const engines: Engine[] = [];
  const urls = new Map<Engine, string>();

  const start = async (options: EngineOptions): Promise<Engine> => {
    const engine = createEngine({ databaseUrl: database.url, logLevel: 'silent', env: {}, ...testSecret(), webhookWorkers: false, ...options });
    engines.push(engine);
    urls.set(engine, (await engine.listen(0, '127.0.0.1')).url);
    return engine;
  };
  const stop = async (engine: Engine) => {
    engines.splice(engines.indexOf(engine), 1);
    await engine.close();
  };

  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await Promise.all(engines.map((engine) => engine.close().catch(() => undefined)));
    await database.drop();
  });

  let key: string;
  let stored: string;

  test('two engines started together without MASK_DEFAULT_DOMAIN adopt one domain, and a link made on one redirects on the other', async () => {
    // Different ports: before the domain was shared, A's links went on localhost:3101 and B looked on localhost:3102.
    const [a, b] = await Promise.all([start({ port: 3101 }), start({ port: 3102 })]);
    stored = a.config.defaultDomain;
    assert.ok(['localhost:3101', 'localhost:3102'].includes(stored), stored);
    assert.equal(b.config.defaultDomain, stored);

    const workspace = await a.workspaces.create({ name: 'Shared' });
    key = (await a.keys.create({ workspaceId: workspace.id, name: 'k', mode: 'live', scopes: ['admin'] })).secret;
    const created = await fetch(`${urls.get(a)}/api/v1/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.com/shared', slug: 'shared-1' }),
    });
    assert.equal(created.status, 201);
    const link = (await created.json()) as { domain: string; short_url: string };
    assert.equal(link.domain, stored);
    assert.equal(link.short_url, `http://${stored}/shared-1`);

    // On B, by the link's own host and by B's address (an unknown host gets the default domain).
    for (const host of [stored, new URL(urls.get(b)!).host]) {
      const answer = await fetch(`${urls.get(b)}/shared-1`, { redirect: 'manual', headers: { host } });
      assert.equal(answer.status, 302, `Host: ${host}`);
      assert.equal(answer.headers.get('location'), 'https://example.com/shared');
    }
    const workspaceOnB = await fetch(`${urls.get(b)}/api/v1/workspace`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(((await workspaceOnB.json()) as { default_domain: string }).default_domain, stored);
    await Promise.all([stop(a), stop(b)]);
  });

  test('an engine configured with another MASK_DEFAULT_DOMAIN warns at start and uses the stored one', async () => {
    const { logger, lines } = logCapture();
    const c = await start({ defaultDomain: 'go.elsewhere.test', logger });
    assert.equal(c.config.defaultDomain, stored);
    const warning = lines.find((line) => line.level === 40 && String(line.msg).includes('MASK_DEFAULT_DOMAIN'));
    assert.ok(warning, JSON.stringify(lines));
    assert.equal(warning.configured, 'go.elsewhere.test');
    assert.equal(warning.stored, stored);
    assert.match(String(warning.msg), /mask instance-domain/);

    const created = await fetch(`${urls.get(c)}/api/v1/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.com/c', slug: 'shared-2' }),
    });
    assert.equal(((await created.json()) as { domain: string }).domain, stored);
    const refused = await fetch(`${urls.get(c)}/api/v1/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.com/c', slug: 'shared-3', domain: 'go.elsewhere.test' }),
    });
    assert.equal(refused.status, 422, 'the configured domain is not the instance domain');
    await stop(c);
  });

  test('an engine configured with the stored domain starts without a warning', async () => {
    const { logger, lines } = logCapture();
    const d = await start({ defaultDomain: stored, logger });
    assert.deepEqual(lines, []);
    await stop(d);
  });

  test('mask instance-domain shows the stored domain and changes it; the next start uses the new one', async () => {
    const env = { ...process.env, DATABASE_URL: database.url, MASK_DEFAULT_DOMAIN: 'go.elsewhere.test', LOG_LEVEL: 'error', ...(testSecret().secret ? { MASK_SECRET: testSecret().secret } : {}) };
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'engine', 'cli.ts'), ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });

    const shown = cli('instance-domain');
    assert.equal(shown.status, 0, shown.stderr);
    const printed = shown.stdout.split('\n').filter((line) => line && !line.startsWith('{'));
    assert.deepEqual(printed, [stored], 'a short command reads the stored domain, whatever it is configured with');

    const bad = cli('instance-domain', 'not a host');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /host name/);

    const changed = cli('instance-domain', 'Go.Renamed.test');
    assert.equal(changed.status, 0, changed.stderr);
    assert.match(changed.stdout, /now go\.renamed\.test/);

    const e = await start({ port: 3103 });
    assert.equal(e.config.defaultDomain, 'go.renamed.test');
    const created = await fetch(`${urls.get(e)}/api/v1/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.com/e', slug: 'renamed-1' }),
    });
    assert.equal(((await created.json()) as { short_url: string }).short_url, 'https://go.renamed.test/renamed-1');
    await stop(e);
  });
});
