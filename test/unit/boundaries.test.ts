import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const root = path.join(__dirname, '..', '..');
// What n8n's community-node rules let node files import: n8n-workflow, node built-ins and the package's own node code.
const ALLOWED = /^(n8n-workflow$|node:|\.{1,2}\/)/;

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.ts$/.test(entry.name) ? [full] : [];
  });
}

test('nodes/ and credentials/ never import the engine or any engine dependency', () => {
  const offenders: string[] = [];
  for (const file of [...sources(path.join(root, 'nodes')), ...sources(path.join(root, 'credentials'))]) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)) {
      const specifier = match[1];
      const resolved = specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : '';
      if (!ALLOWED.test(specifier) || resolved.startsWith(path.join(root, 'engine')) || resolved.startsWith(path.join(root, 'migrations'))) {
        offenders.push(`${path.relative(root, file)} imports ${specifier}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});
