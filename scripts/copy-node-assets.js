#!/usr/bin/env node
// Copies what n8n loads beside the compiled nodes (icons, codex .node.json files) into the build output,
// keeping their paths: nodes/Mask/mask.svg -> <out>/nodes/Mask/mask.svg. Usage: copy-node-assets.js [outDir]
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const outDir = path.resolve(root, process.argv[2] ?? 'dist');

function assets(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return assets(full);
    return /\.(svg|png|node\.json)$/.test(entry.name) ? [full] : [];
  });
}

for (const source of ['nodes', 'credentials'].flatMap((dir) => assets(path.join(root, dir)))) {
  const target = path.join(outDir, path.relative(root, source));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(source, target);
}
