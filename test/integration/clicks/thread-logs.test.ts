// Failure model: "knex/pg print plain-text lines beside the JSON logs", here from the click-writer thread, whose knex
// had no logger: its messages now reach the engine's logger as JSON lines, marked with the thread they came from.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { ThreadBatchWriter } from '../../../engine/clicks';
import { relayLogLine } from '../../../engine/support/logger';
import { spawnClickWriterThread } from '../../../engine/wiring/clicks';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { until } from '../../support/webhook-receiver';

type Line = Record<string, unknown>;

function capture(level: string): { logger: pino.Logger; lines: Line[] } {
  const lines: Line[] = [];
  return { logger: pino({ level, base: { service: 'mask' } }, { write: (line: string) => void lines.push(JSON.parse(line)) }), lines };
}

describe('the click-writer thread logs through the engine’s JSON logger', () => {
  test('a knex warning in the thread (a database it cannot open) arrives as a JSON entry, at its level, marked click-writer', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-thread-logs-'));
    const { logger, lines } = capture('warn');
    // A directory where the database file should be: knex logs "Acquire connection error" and the write fails.
    const writer = new ThreadBatchWriter(
      () => spawnClickWriterThread({ databaseUrl: `sqlite:${dir}`, secret: 'x'.repeat(48), logLevel: 'warn' }),
      () => Date.now(),
      () => undefined,
      undefined,
      (line) => relayLogLine(logger, line, { thread: 'click-writer' }),
    );
    try {
      await assert.rejects(writer.write([]), /unable to open database file/);
      const warning = lines.find((line) => line.msg === 'knex warning');
      assert.ok(warning, JSON.stringify(lines));
      assert.equal(warning.level, 40);
      assert.equal(warning.thread, 'click-writer');
      assert.equal(warning.service, 'mask', 'the engine logger’s own fields');
      assert.match(String(warning.knex), /^Acquire connection error: SqliteError: unable to open database file/);
    } finally {
      await writer.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('an engine that has not had a click yet', () => {
    const { logger, lines } = capture('debug');
    let t: TestEngine;
    before(async () => {
      t = await startTestEngine({ clickWriter: 'worker', logger });
    });
    after(() => t.stop());

    // Failure model: a wrapper around the writer (the clicks-written metric) hid its start(), so the thread started at
    // the first click, and a SIGKILL in its start-up lost every click of that time.
    test('has started its writer thread already', async () => {
      await until(() => lines.some((line) => line.msg === 'click writer thread started'), 'the writer thread to start', 20_000);
      assert.ok(lines.some((line) => line.msg === 'click writer thread started'), 'the thread started with the engine');
      assert.equal(Number((await t.parts.db('clicks').count({ n: '*' }))[0].n), 0, 'with no click recorded');
    });
  });

  describe('an engine writing clicks on a thread', () => {
    let t: TestEngine;
    const { logger, lines } = capture('debug');
    before(async () => {
      t = await startTestEngine({ clickWriter: 'worker', logger });
    });
    after(() => t.stop());

    test('the thread’s own lines come through the engine’s logger at its level', async () => {
      const link = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/', slug: 'thread-logs' } });
      assert.equal(link.status, 201, link.text);
      const visit = await fetch(`${t.baseUrl}/thread-logs`, { redirect: 'manual', headers: { host: TEST_DOMAIN, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36' } });
      assert.equal(visit.status, 302);
      await t.engine.flushClicks();
      assert.equal(Number((await t.parts.db('links').where({ id: link.body.id }).first()).clicks), 1, 'written by the thread');
      await until(() => lines.some((line) => line.msg === 'click writer thread started'), 'the writer thread to start', 20_000);
      const started = lines.find((line) => line.msg === 'click writer thread started');
      assert.ok(started, 'the thread started and said so');
      assert.equal(started.level, 20);
      assert.equal(started.thread, 'click-writer');
      assert.equal(typeof started.threadId, 'number');
    });
  });
});
