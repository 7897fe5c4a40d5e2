import fs from 'node:fs';
import path from 'node:path';

/** The package's own package.json, found from here whether running from sources or from dist/. */
let cached: { name: string; version: string } | null = null;

/** The package's own package.json, read on first use. */
export const packageInfo = () => (cached ??= readPackageJson());

function readPackageJson(): { name: string; version: string } {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name: string; version: string };
      if (pkg.name === 'n8n-nodes-mask') return pkg;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { name: 'n8n-nodes-mask', version: '0.0.0' };
    dir = parent;
  }
}

let root: string | null | undefined;

/** The package's root folder (where its package.json is), whether running from sources or from dist/; null if not found. */
export function packageRoot(): string | null {
  if (root !== undefined) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate) && (JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string }).name === 'n8n-nodes-mask') return (root = dir);
    if (path.dirname(dir) === dir) return (root = null);
  }
}
