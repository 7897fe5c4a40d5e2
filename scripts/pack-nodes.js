#!/usr/bin/env node
// Builds the nodes-only package: the MASK node, the MASK Trigger and the MaskApi credential, with zero runtime
// dependencies (n8n-workflow is a peer n8n provides), packs it as n8n-nodes-mask-<version>.tgz in the project
// folder, and lints sources and tarball with n8n's own community-node tools. Exit code 1 if any check fails.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { lintTools } = require('./n8n-tools');

const root = path.join(__dirname, '..');
const work = path.join(root, '.cache', 'pack-nodes');
const packageDir = path.join(work, 'package');
const sourceDir = path.join(work, 'source');
const unpackedDir = path.join(work, 'unpacked');

function run(command, args, cwd = root) {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    throw new Error(`${command} ${args.join(' ')} failed`);
  }
  return result.stdout;
}

/** The "n8n nodes" section of the README, as the tarball's README. */
function nodesReadme() {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = /^## n8n nodes\n[\s\S]*?(?=^## )/m.exec(readme)?.[0] ?? '';
  return `# n8n-nodes-mask\n\nn8n community nodes for MASK, the self-hosted link-management platform.\n\n${section.replace(/^## n8n nodes\n/, '')}`;
}

function nodesManifest(root) {
  const full = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return {
    name: full.name,
    version: full.version,
    description: 'n8n nodes for MASK: short links, routing rules, campaigns, conversions, QR codes, bio pages, analytics and a trigger on signed webhooks',
    license: full.license,
    homepage: full.homepage,
    author: full.author,
    ...(full.repository ? { repository: full.repository } : {}),
    keywords: full.keywords,
    engines: full.engines,
    files: ['dist'],
    n8n: full.n8n,
    peerDependencies: { 'n8n-workflow': '*' },
  };
}

fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(packageDir, { recursive: true });

console.log('Building the nodes…');
run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.nodes.json', '--outDir', path.join(packageDir, 'dist')]);
run(process.execPath, [path.join(__dirname, 'copy-node-assets.js'), path.join(packageDir, 'dist')]);
const manifest = nodesManifest(root);
fs.writeFileSync(path.join(packageDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
fs.writeFileSync(path.join(packageDir, 'README.md'), nodesReadme());

for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
  if (!fs.existsSync(path.join(packageDir, entry))) throw new Error(`${entry} is listed in n8n but was not built`);
}

const tarball = run('npm', ['pack', '--json', '--pack-destination', root], packageDir);
const [{ filename, files, size }] = JSON.parse(tarball);
console.log(`Packed ${filename}: ${files.length} files, ${size} bytes`);

// What the lint sees: the sources beside the nodes-only manifest, and the tarball as n8n would download it.
fs.mkdirSync(sourceDir, { recursive: true });
for (const dir of ['nodes', 'credentials']) fs.cpSync(path.join(root, dir), path.join(sourceDir, dir), { recursive: true });
fs.writeFileSync(path.join(sourceDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
fs.mkdirSync(unpackedDir, { recursive: true });
run('tar', ['-xzf', path.join(root, filename), '-C', unpackedDir, '--strip-components=1']);

const packed = JSON.parse(fs.readFileSync(path.join(unpackedDir, 'package.json'), 'utf8'));
if (Object.keys(packed.dependencies ?? {}).length > 0) throw new Error('the nodes package must have no runtime dependencies');
console.log('Runtime dependencies: none');

const lint = spawnSync(process.execPath, [path.join(__dirname, 'community-lint.js'), lintTools(), sourceDir, unpackedDir], { stdio: 'inherit' });
if (lint.status !== 0) {
  console.error('n8n community-node lint failed');
  process.exit(1);
}
console.log(`\n${filename} is ready: install it in n8n (Settings → Community Nodes) or with npm in ~/.n8n/nodes.`);
