import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createEngine, type Engine } from '../../../engine';
import type { ClickedLink } from '../../../engine/clicks';
import { clickedLink, groupsOf, recordClicks, type HandMadeClick } from '../../support/analytics';
import { testDialect, testSecret } from '../../support/databases';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { DESKTOP_UA, IPHONE_UA } from '../../support/redirect-client';

// SQLite has one writer at a time, so its flushes never overlap; and two engines in one process cannot share a SQLite
// file (better-sqlite3 waits for the lock synchronously, holding the event loop the other engine needs to commit).
const sqlite = testDialect() === 'sqlite' ? 'Postgres only: SQLite writes one transaction at a time' : false;

describe('click analytics: two engine processes flushing into the same rollup rows at once', { skip: sqlite }, () => {
  let a: TestEngine;
  let b: Engine;
  let links: ClickedLink[];

  before(async () => {
    a = await startTestEngine();
    // A second process of the same deployment: same database, its own click buffer.
    b = createEngine({ databaseUrl: a.engine.config.databaseUrl, defaultDomain: TEST_DOMAIN, logLevel: 'silent', env: {}, ...testSecret(), migrateOnStart: false });
    await b.start();
    links = [];
    for (const slug of ['proc-one', 'proc-two', 'proc-three']) {
      const created = await a.api('POST', '/api/v1/links', { body: { url: 'https://example.com/', slug } });
      links.push(clickedLink(created.body, a.workspace.id));
    }
  });
  after(async () => {
    await b?.close();
    await a?.stop();
  });

  test('every click counts once and every visitor once per link and day, whichever process wrote it first', async () => {
    // The same 40 visitors click the same 3 links in the same hours through both processes: the writes collide on
    // rollup rows and visitor-days.
    const clicksOf = (tag: string): HandMadeClick[] =>
      Array.from({ length: 600 }, (_, i) => ({
        at: new Date(Date.parse('2026-10-20T08:00:00Z') + (i % 120) * 60_000 + (tag === 'b' ? 30_000 : 0)).toISOString(),
        link: links[i % 3],
        visitor: `p${i % 40}`,
        userAgent: i % 2 ? DESKTOP_UA : IPHONE_UA,
        referrer: `https://r${i % 5}.example/`,
      }));
    await Promise.all([recordClicks(a.engine, clicksOf('a')), recordClicks(b, clicksOf('b'))]);
    const report = await a.api('GET', '/api/v1/analytics?start=2026-10-20&end=2026-10-21&group_by=link');
    assert.equal(report.status, 200, report.text);
    // Visitor i%40 meets link i%3: each visitor reaches all three links (40 and 3 are coprime) → 120 visitor-days.
    assert.deepEqual(report.body.totals, { clicks: 1200, unique_visitors: 120 });
    assert.deepEqual(groupsOf(report), links.map((link) => [link.id, 400, 40]).sort((x, y) => (x[0] < y[0] ? -1 : 1)));
    const hours = await a.api('GET', '/api/v1/analytics?start=2026-10-20T08:00:00Z&end=2026-10-20T10:00:00Z&interval=hour');
    assert.deepEqual(hours.body.data.map((point: { clicks: number }) => point.clicks), [600, 600]);
  });
});
