import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { ClickRecorder, ClickSpool, type BatchWriter, type ClickRecorderOptions, type IdentifiedClick } from '../../../engine/clicks';
import { databaseFingerprint } from '../../../engine/clicks/spool';
import { settlesWithin } from '../../../engine/support/deadlines';
import { inlineBatchWriter } from '../../../engine/wiring/clicks';
import { clickedLink } from '../../support/analytics';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { createLink, type TestLink } from '../../support/link-fixtures';
import { takeTableOffline } from '../../support/outage';
import { DESKTOP_UA, visit } from '../../support/redirect-client';
import { until } from '../../support/webhook-receiver';

const silent = pino({ level: 'silent' });

/** Stored click rows, `links.clicks` and the link's `all` rollup: each must equal the clicks captured, once. */
async function stored(t: TestEngine, link: TestLink): Promise<{ rows: number; counter: number; rollup: number }> {
  const { db } = t.parts;
  const [{ n }] = await db('clicks').where({ link_id: link.id }).count({ n: '*' });
  const counter = Number((await db('links').where({ id: link.id }).first()).clicks);
  const [{ s }] = await db('link_click_rollups').where({ link_id: link.id, dimension: 'all' }).sum({ s: 'clicks' });
  return { rows: Number(n), counter, rollup: Number(s ?? 0) };
}

const spoolFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

/** A pid that is certainly dead: a child that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;

/** A replay's write that only notes the ids of the clicks it is given. */
function idCollector(): { ids: string[]; write: (batch: IdentifiedClick[]) => Promise<void> } {
  const ids: string[] = [];
  return { ids, write: async (batch) => void ids.push(...batch.map((click) => click.id)) };
}

describe('the click spool', () => {
  let t: TestEngine;
  let spoolDir: string;

  before(async () => {
    spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-spool-'));
    t = await startTestEngine({ clickSpoolDir: spoolDir, clickFlushMs: 60_000 });
  });
  after(async () => {
    await t.stop();
    fs.rmSync(spoolDir, { recursive: true, force: true });
  });

  test('clicks the database refuses are spooled, then replayed once it answers: stored once, counted once', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    assert.equal((await visit(t.baseUrl, link.path, { host: TEST_DOMAIN, headers: { 'user-agent': DESKTOP_UA } })).status, 302);
    await t.parts.clicks.flush();
    const restore = await takeTableOffline(t.parts.db, 'clicks');
    let restored = false;
    try {
      for (let i = 0; i < 30; i++) {
        assert.equal((await visit(t.baseUrl, link.path, { host: TEST_DOMAIN, headers: { 'user-agent': DESKTOP_UA } })).status, 302);
      }
      await assert.rejects(t.parts.clicks.flush());
      await restore();
      restored = true;
      await t.parts.clicks.replaySpool();
    } finally {
      if (!restored) await restore();
    }
    assert.deepEqual(await stored(t, link), { rows: 31, counter: 31, rollup: 31 });
    assert.equal(t.parts.clicks.stats.spooled, 30);
    assert.equal(t.parts.clicks.stats.dropped, 0);
    assert.deepEqual(spoolFiles(spoolDir), [], 'a replayed file is deleted');
  });

  test('a spool file left by a dead process is replayed, and replaying it again stores and counts nothing twice', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    const clicked = clickedLink({ ...link, short_url: `https://${link.domain}/${link.slug}` }, t.workspace.id);
    const clicks: IdentifiedClick[] = Array.from({ length: 12 }, (_, i) => ({
      id: `clk_${String(i).padStart(2, '0')}${'0'.repeat(24)}`,
      link: clicked,
      at: Date.now(),
      url: 'https://example.com/',
      userAgent: DESKTOP_UA,
      referrer: null,
      country: 'FR',
      address: `198.51.100.${i}`,
      head: false,
    }));
    const dead = deadPid();
    const name = `clicks-${databaseFingerprint(t.engine.config.databaseUrl)}-${dead}-${Date.now() - 1000}-deadbeef.log`;
    const text = clicks.map((click) => JSON.stringify(click)).join('\n') + '\n{"torn":';
    fs.writeFileSync(path.join(spoolDir, name), text);
    await t.parts.clicks.replaySpool();
    assert.deepEqual(await stored(t, link), { rows: 12, counter: 12, rollup: 12 });
    assert.deepEqual(spoolFiles(spoolDir), []);

    // As if the replaying process had died after its commit and before deleting the file.
    fs.writeFileSync(path.join(spoolDir, `${name}.claimed-${dead}`), text);
    await t.parts.clicks.replaySpool();
    assert.deepEqual(await stored(t, link), { rows: 12, counter: 12, rollup: 12 });
    assert.deepEqual(spoolFiles(spoolDir), []);
  });

  test('two replays at once: the second ends only once every file is written, the one the first is writing included', async () => {
    const spool = new ClickSpool(spoolDir, t.engine.config.databaseUrl, silent);
    const dead = deadPid();
    const files = ['a', 'b'].map((tag, f) => {
      const name = `clicks-${databaseFingerprint(t.engine.config.databaseUrl)}-${dead}-${f}-${tag}.log`;
      const ids = Array.from({ length: 3 }, (_, i) => `clk_${tag}${i}`);
      fs.writeFileSync(path.join(spoolDir, name), ids.map((id) => JSON.stringify({ id })).join('\n') + '\n');
      return ids;
    });
    const { ids: written, write: note } = idCollector();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let firstWriteStarted!: () => void;
    const firstWrite = new Promise<void>((resolve) => (firstWriteStarted = resolve));
    // The first file's write waits at the gate, as a commit on a slow database would.
    const write = async (batch: IdentifiedClick[]) => {
      if (batch[0].id === files[0][0]) {
        firstWriteStarted();
        await gate;
      }
      await note(batch);
    };
    const first = spool.replay(write, 100);
    await firstWrite;
    let writtenWhenSecondEnded: string[] | null = null;
    const second = spool.replay(write, 100).then((error) => ((writtenWhenSecondEnded = [...written]), error));
    // Time for the second replay to end early, as it did before replays of a directory queued.
    await settlesWithin(second, 200);
    open();
    assert.deepEqual(await Promise.all([first, second]), [null, null]);
    assert.deepEqual(writtenWhenSecondEnded, files.flat(), 'each file written once, before the second replay ended');
    assert.deepEqual(spoolFiles(spoolDir), []);
  });

  test('a spool file removed by hand while open: the next replay goes on, and later clicks are still spooled', async () => {
    const spool = new ClickSpool(spoolDir, t.engine.config.databaseUrl, silent);
    await spool.append([{ id: 'clk_removed' } as IdentifiedClick]);
    for (const name of spoolFiles(spoolDir)) fs.rmSync(path.join(spoolDir, name));
    const { ids: replayed, write } = idCollector();
    assert.equal(await spool.replay(write, 100), null);
    const appended = spool.append([{ id: 'clk_after' } as IdentifiedClick]);
    assert.ok(await settlesWithin(appended, 2000), 'the append after the removal never ended');
    await appended;
    assert.equal(await spool.replay(write, 100), null);
    assert.deepEqual(replayed, ['clk_after']);
    await spool.close();
  });

  test('spool files of another database, or of a live process, are left alone', async () => {
    const other = `clicks-${databaseFingerprint('sqlite:/elsewhere/mask.sqlite')}-1-1-00.log`;
    const live = `clicks-${databaseFingerprint(t.engine.config.databaseUrl)}-${process.ppid}-1-00.log`;
    for (const name of [other, live]) fs.writeFileSync(path.join(spoolDir, name), '');
    await t.parts.clicks.replaySpool();
    assert.deepEqual(spoolFiles(spoolDir).sort(), [other, live].sort());
    for (const name of [other, live]) fs.rmSync(path.join(spoolDir, name));
  });
});

describe('a click recorder whose database is slow', () => {
  let t: TestEngine;
  let spoolDir: string;

  before(async () => {
    spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-spool-'));
    t = await startTestEngine({ clickWriter: 'inline' });
  });
  after(async () => {
    await t.stop();
    fs.rmSync(spoolDir, { recursive: true, force: true });
  });

  /** A recorder with a spool, over the engine's database, whose every write first waits for `beforeWrite`. */
  const recorderWaitingFor = (beforeWrite: () => Promise<unknown>, options: Pick<ClickRecorderOptions, 'flushMs' | 'batchSize' | 'bufferMax'>) => {
    const { db, clock, outbox, secret, config } = t.parts;
    const inner = inlineBatchWriter(db, clock, outbox, secret);
    const writer: BatchWriter = { write: async (batch) => (await beforeWrite(), inner.write(batch)), close: () => inner.close() };
    return new ClickRecorder(writer, silent, options, new ClickSpool(spoolDir, config.databaseUrl, silent));
  };

  test('spools the clicks beyond bufferMax instead of dropping them; all are stored once the database catches up', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // The database "answers" only once the gate opens.
    const recorder = recorderWaitingFor(() => gate, { flushMs: 10, batchSize: 500, bufferMax: 1000 });
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    const clicked = clickedLink({ ...link, short_url: `https://${link.domain}/${link.slug}` }, t.workspace.id);
    const N = 5000;
    try {
      for (let i = 0; i < N; i++) {
        recorder.record({ link: clicked, at: Date.now(), url: 'https://example.com/', userAgent: DESKTOP_UA, referrer: null, country: null, address: '203.0.113.7', head: false });
        if (i % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal(recorder.stats.dropped, 0);
      assert.equal(recorder.buffered, N, 'every click is held: in memory, or on its way to the spool');
      open();
      await recorder.flush();
      assert.ok(recorder.stats.spooled >= N - 2000, `spooled ${recorder.stats.spooled}`);
      assert.equal(recorder.buffered, 0);
    } finally {
      open();
      await recorder.close();
    }
    assert.deepEqual(await stored(t, link), { rows: N, counter: N, rollup: N });
  });

  /** Records `count` clicks of `link`, one every `everyMs`, as redirects would. */
  const recordClicks = async (recorder: ClickRecorder, link: TestLink, count: number, everyMs: number) => {
    const clicked = clickedLink({ ...link, short_url: `https://${link.domain}/${link.slug}` }, t.workspace.id);
    for (let i = 0; i < count; i++) {
      recorder.record({ link: clicked, at: Date.now(), url: 'https://example.com/', userAgent: DESKTOP_UA, referrer: null, country: null, address: '203.0.113.8', head: false });
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  };

  // Failure model: every commit longer than the 50 ms flush interval (a WAL checkpoint, a busy moment) sent the clicks
  // waiting behind it to the spool: a healthy database made the sustained benchmark spool 3,543 clicks in 3 minutes.
  test('commits slower than the flush interval, by less than a stall, spool nothing', async () => {
    // Commits take 1.5 intervals (spooled at one interval, as before); a stall is three, so a busy machine has 150 ms of slack.
    const recorder = recorderWaitingFor(() => new Promise((resolve) => setTimeout(resolve, 150)), { flushMs: 100, batchSize: 5000, bufferMax: 100_000 });
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    recorder.start();
    try {
      await recordClicks(recorder, link, 100, 5);
      await recorder.flush();
      assert.equal(recorder.stats.spooled, 0, 'nothing spooled');
    } finally {
      await recorder.close();
    }
    assert.deepEqual(await stored(t, link), { rows: 100, counter: 100, rollup: 100 });
  });

  test('a commit that stalls sends the clicks waiting behind it to the spool (the SIGKILL bound); each is stored once', async () => {
    let open!: () => void;
    const stalled = new Promise<void>((resolve) => (open = resolve));
    const recorder = recorderWaitingFor(() => stalled, { flushMs: 50, batchSize: 5000, bufferMax: 100_000 });
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    recorder.start();
    try {
      await recordClicks(recorder, link, 100, 5);
      // The first batch has been committing for the whole run: what came after it goes to disk, not only to memory.
      await until(() => recorder.stats.spooled > 0, 'clicks spooled behind the stalled commit');
      assert.ok(recorder.stats.spooled > 0, `spooled ${recorder.stats.spooled}`);
      open();
      await recorder.flush();
    } finally {
      open();
      await recorder.close();
    }
    assert.deepEqual(await stored(t, link), { rows: 100, counter: 100, rollup: 100 });
  });
});
