import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEngine } from '../../../engine';
import { systemActor } from '../../../engine/domain/actor';
import { ExportJobs } from '../../../engine/domain/exports/jobs';
import type { LinksExport } from '../../../engine/domain/exports/links-export';
import { ExportStore, type ExportRow } from '../../../engine/store/exports';
import { partsOf } from '../../../engine/wiring';
import { createTestDatabase, testSecret } from '../../support/databases';

const LEASE_MS = 600;
const PAUSES = 15;
const PAUSE_MS = 150;

test('an export job that outlasts its lease keeps it: another process never builds it a second time', async () => {
  const database = await createTestDatabase();
  // Migrated, never started: the engine's own export runner stays off, the two below are the only ones.
  const engine = createEngine({ databaseUrl: database.url, logLevel: 'silent', env: {}, ...testSecret() });
  const runners: ExportJobs[] = [];
  try {
    await engine.migrate();
    const workspace = await engine.workspaces.create({ name: 'Slow export' });
    const parts = partsOf(engine);
    let builds = 0;
    // The real export followed by 15 empty chunks 150 ms apart: a build of about 2.3 s, almost four leases.
    const slowExport = {
      async *chunks(...args: Parameters<LinksExport['chunks']>) {
        builds += 1;
        yield* parts.linksExport.chunks(...args);
        for (let i = 0; i < PAUSES; i++) {
          await sleep(PAUSE_MS);
          yield '';
        }
      },
    } as LinksExport;
    // Two processes' runners over one database, each polling every second for jobs whose lease has run out.
    const store = new ExportStore(parts.db);
    for (let i = 0; i < 2; i++) runners.push(new ExportJobs(store, slowExport, parts.transactions, parts.clock, LEASE_MS, parts.logger));
    for (const runner of runners) runner.start();
    const job = await runners[0].create(systemActor(workspace.id), 'csv');
    let row = job;
    for (let i = 0; i < 100 && row.status !== 'completed'; i++) {
      await sleep(50);
      row = (await store.get(job.id)) as ExportRow;
    }
    assert.equal(row.status, 'completed');
    assert.equal(builds, 1, 'built by one runner, once');
  } finally {
    await Promise.all(runners.map((runner) => runner.close()));
    await engine.close();
    await database.drop();
  }
});
