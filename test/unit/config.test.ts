import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../engine/config';

describe('config', () => {
  test('defaults: port 3000, 127.0.0.1, SQLite under ./data, default domain localhost:<port>', () => {
    const config = loadConfig({}, {});
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.databaseUrl, 'sqlite:data/mask.sqlite');
    assert.equal(config.defaultDomain, 'localhost:3000');
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.heapGrowthPercent, 20);
    assert.equal(loadConfig({}, { MASK_HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent, 0);
  });

  test('the click writer: auto is a worker for a SQLite file, inline for Postgres and in-memory SQLite', () => {
    assert.equal(loadConfig({}, {}).clickWriter, 'worker');
    assert.equal(loadConfig({ databaseUrl: 'postgres://u@h/db' }, {}).clickWriter, 'inline');
    assert.equal(loadConfig({ databaseUrl: 'sqlite::memory:' }, {}).clickWriter, 'inline');
    assert.equal(loadConfig({ clickWriter: 'inline' }, {}).clickWriter, 'inline');
    assert.equal(loadConfig({ databaseUrl: 'postgres://u@h/db', clickWriter: 'worker' }, {}).clickWriter, 'worker');
    // A worker thread cannot share an in-memory database; an unknown writer is refused with the variable named.
    assert.throws(() => loadConfig({ databaseUrl: 'sqlite::memory:', clickWriter: 'worker' }, {}), ConfigError);
    assert.throws(() => loadConfig({ databaseUrl: 'sqlite::memory:', clickWriter: 'worker' }, {}), /MASK_CLICK_WRITER=worker needs a database file or Postgres/);
    assert.throws(() => loadConfig({}, { MASK_CLICK_WRITER: 'thread' }), /MASK_CLICK_WRITER must be auto, worker or inline/);
  });

  test('reads the environment; options win over it', () => {
    const env = { PORT: '4000', DATABASE_URL: 'postgres://u@h/db', LOG_LEVEL: 'debug', TRUST_PROXY: '1', MASK_DEFAULT_DOMAIN: 'Go.Example.com' };
    const config = loadConfig({ port: 5000 }, env);
    assert.equal(config.port, 5000);
    assert.equal(config.databaseUrl, 'postgres://u@h/db');
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.trustProxy, 1);
    assert.equal(config.defaultDomain, 'go.example.com');
  });

  for (const [name, value] of [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'http://x'],
    ['LOG_LEVEL', 'loud'],
    ['MASK_SECRET', 'short'],
    ['MASK_DEFAULT_DOMAIN', 'not a host'],
    ['MASK_HEAP_GROWTH_PERCENT', 'tight'],
    ['MASK_HEAP_GROWTH_PERCENT', '-10'],
    ['MASK_HEAP_GROWTH_PERCENT', '12.5'],
  ]) {
    test(`an invalid ${name} stops start-up with a line naming it`, () => {
      assert.throws(() => loadConfig({}, { [name]: value }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, new RegExp(`^Invalid configuration: ${name} `));
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
    });
  }
});
