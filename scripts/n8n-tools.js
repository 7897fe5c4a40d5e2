// Installs n8n tools into a cache folder outside the package (never into its node_modules) and says where.
// MASK_N8N_CACHE overrides the cache folder (default ~/.cache/mask-n8n).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const cacheRoot = () => path.resolve(process.env.MASK_N8N_CACHE ?? path.join(os.homedir(), '.cache', 'mask-n8n'));

/** Installs `manifest` into <cache>/<name> unless an install of the same manifest is already there. */
function ensureInstalled(name, manifest, npmArgs) {
  const dir = path.join(cacheRoot(), name);
  const manifestText = `${JSON.stringify({ name: `mask-${name}`, private: true, ...manifest }, null, 2)}\n`;
  const marker = path.join(dir, '.installed');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === manifestText) return dir;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), manifestText);
  console.log(`Installing ${name} into ${dir} (once; later runs reuse it)…`);
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...npmArgs], { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm install in ${dir} failed`);
  fs.writeFileSync(marker, manifestText);
  return dir;
}

/** n8n's community-node lint: the verification scanner and the newest community-node rules. */
const lintTools = () =>
  ensureInstalled(
    'lint-0.32.0',
    // The scanner pins the native TypeScript 7, which has no JS API: the parser needs a JS one beside it. n8n-workflow is
    // a peer of the rules.
    { dependencies: { '@n8n/scan-community-package': '0.32.0', '@n8n/eslint-plugin-community-nodes': '0.32.0', typescript: '5.9.3', 'n8n-workflow': '2.8.0' } },
    ['--ignore-scripts', '--legacy-peer-deps'],
  );

/** n8n 2.8.4, the newest release that runs on Node 20, with the overrides it needs to install here. */
const n8nRuntime = () =>
  ensureInstalled(
    'n8n-2.8.4',
    {
      dependencies: { n8n: '2.8.4', '@opentelemetry/core': '^2.1.0', '@opentelemetry/sdk-trace-base': '^2.1.0' },
      overrides: { xlsx: '0.18.5', '@langchain/langgraph-checkpoint': '1.0.1' },
      allowScripts: { sqlite3: true },
    },
    ['--legacy-peer-deps'],
  );

module.exports = { cacheRoot, lintTools, n8nRuntime };
