#!/usr/bin/env node
// Copies Redoc's standalone bundle (a devDependency) into the build output, so the installed package serves the API
// reference page at /api/v1/docs from itself, offline. Usage: copy-api-reference.js [outDir]
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const outDir = path.resolve(root, process.argv[2] ?? 'dist', 'api-reference');
const bundle = require.resolve('redoc/bundles/redoc.standalone.js', { paths: [root] });
fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(bundle, path.join(outDir, 'redoc.standalone.js'));
fs.copyFileSync(`${bundle}.LICENSE.txt`, path.join(outDir, 'redoc.standalone.js.LICENSE.txt'));
