import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

// README "Architecture": SQL and driver error codes live only in engine/store/. Everything else receives stores (and a
// TransactionRunner); it may name Knex's types (`import type`) to pass a transaction on, never build a query with it.
const root = path.join(__dirname, '..', '..');
const engine = path.join(root, 'engine');

const RULES: Array<{ name: string; pattern: RegExp }> = [
  {
    name: 'imports a database driver as a value',
    pattern: /^\s*import\s+(?!type\s)[^;]*?\bfrom\s+['"](?:knex|pg|better-sqlite3)['"]|\brequire\(\s*['"](?:knex|pg|better-sqlite3)['"]\s*\)/,
  },
  { name: 'builds a query on a Knex handle', pattern: /\b(?:db|trx|tx|knex|nested)(?:<[^>()]*>)?\(|\bthis\.db\b|\.raw\(|\.client\.acquireConnection\(/ },
  { name: 'writes SQL text', pattern: /\b(?:INSERT INTO|DELETE FROM|ON CONFLICT|UPDATE \w+ SET)\b|\bSELECT\b.*\bFROM\b/ },
  { name: 'reads driver error codes', pattern: /\bisUniqueViolation\b|\bisDataError\b|\bSQLITE_[A-Z]|['"][0-9]{2}[0-9A-Z]{3}['"]|\bSQLSTATE\b/ },
];

// Being moved: other engineers are moving the SQL of these modules into engine/store/ right now. Each entry must still
// break a rule (a stale one fails the second test: delete it once its module is clean), so the list stays exact.
const BEING_MOVED: ReadonlySet<string> = new Set([
  'engine/webhooks/deliveries.ts', // being moved: delivery reads and redelivery
  'engine/webhooks/delivery-store.ts', // being moved: the delivery queue
  'engine/webhooks/leader-lease.ts', // being moved: webhook_locks
  'engine/webhooks/planner.ts', // being moved: endpoint matching
  'engine/webhooks/retention.ts', // being moved: delivery and event pruning
]);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.ts$/.test(entry.name) ? [full] : [];
  });
}

/** What each non-store engine module breaks: `file:line rule`, comment lines left out. */
function violations(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sources(engine)) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    if (relative.startsWith('engine/store/')) continue;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (/^\s*(?:\/\/|\/\*|\*)/.test(line)) return;
      for (const rule of RULES) {
        if (!rule.pattern.test(line)) continue;
        const list = found.get(relative) ?? [];
        list.push(`${relative}:${index + 1} ${rule.name}: ${line.trim()}`);
        found.set(relative, list);
      }
    });
  }
  return found;
}

test('SQL, Knex values and driver error codes stay in engine/store/ (but for the modules being moved)', () => {
  const offenders = [...violations()].filter(([file]) => !BEING_MOVED.has(file)).flatMap(([, lines]) => lines);
  assert.deepEqual(offenders, [], 'move these queries into a store in engine/store/ and hand the module the store');
});

test('every module listed as being moved still holds SQL (delete an entry once its module is clean)', () => {
  const found = violations();
  assert.deepEqual([...BEING_MOVED].filter((file) => !found.has(file)), []);
});
