#!/usr/bin/env node
// Runs the test suite with node's test runner: once on SQLite, then again on Postgres + Redis when
// TEST_DATABASE_URL is set (and TEST_REDIS_URL for the Redis-backed parts). Extra arguments filter files by substring.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureDashboardBuilt } = require('./dashboard-build');

const root = path.join(__dirname, '..');
/** Node applies it to each test file as a whole: far above the slowest file's time; only a hang reaches it. */
const TEST_TIMEOUT_MS = 600_000;
const filters = process.argv.slice(2);

function findTests(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.ts') ? [path.relative(root, full)] : [];
  });
}

const files = findTests(path.join(root, 'test'))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filters.join(' ')}`);
  process.exit(1);
}

// Browser tests serve the built client: build it here, once, rather than in test files running side by side.
if (files.some((file) => fs.readFileSync(path.join(root, file), 'utf8').includes('dashboard-browser'))) ensureDashboardBuilt();

const passes = [{ name: 'SQLite', env: { MASK_TEST_DIALECT: 'sqlite' } }];
if (process.env.TEST_DATABASE_URL) passes.push({
  name: 'Postgres + Redis',
  // Postgres needs MASK_SECRET (test/support/databases.ts TEST_SECRET): engines spawned by tests inherit it.
  env: { MASK_TEST_DIALECT: 'postgres', MASK_SECRET: 'mask-test-secret-not-for-production-0123456789' },
});

let failed = false;
for (const pass of passes) {
  console.log(`\n=== ${pass.name}: ${files.length} test files ===`);
  const result = spawnSync(
    process.execPath,
    [
      '--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
      // A file that hangs fails after this long instead of holding CI until its own limit; and a file whose tests
      // have ended exits even if something it started still holds the event loop.
      `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-force-exit',
      ...files,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ...pass.env } },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
