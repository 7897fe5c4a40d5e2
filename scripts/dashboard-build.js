// The dashboard's built client, built when missing or older than its sources (as `npm run build:dashboard` would).
// newestSource is also used by the benches, to rebuild the engine when its sources are newer.
// The test runner calls it once before browser tests run in parallel, so two test files never build into the same
// folder at once (vite empties it first); test/support/dashboard-browser.ts calls it for runs that bypass the runner.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const DASHBOARD_DIST = path.join(root, 'dist', 'dashboard');

function newestSource(dir) {
  return Math.max(
    0,
    ...fs.readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs;
    }),
  );
}

function ensureDashboardBuilt() {
  const index = path.join(DASHBOARD_DIST, 'index.html');
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestSource(path.join(root, 'dashboard'))) return;
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:dashboard'], { cwd: root, stdio: 'inherit' });
}

module.exports = { DASHBOARD_DIST, ensureDashboardBuilt, newestSource };
