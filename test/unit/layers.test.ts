import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const root = path.join(__dirname, '..', '..');
const cruiser = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

// The rules live in .dependency-cruiser.cjs (README "Architecture"): layers only import downwards, the three HTTP faces
// never import each other, no import cycles, every engine module sits in a layer, node files never import the engine.
test('the engine imports only downwards, without cycles', () => {
  const run = spawnSync(process.execPath, [cruiser, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', 'engine', 'nodes', 'credentials'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `dependency-cruiser found violations:\n${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /no dependency violations found/);
});
