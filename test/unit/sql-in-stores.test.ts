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

test('SQL, Knex values and driver error codes stay in engine/store/', () => {
  const offenders = [...violations()].flatMap(([, lines]) => lines);
  assert.deepEqual(offenders, [], 'move these queries into a store in engine/store/ and hand the module the store');
});
