import type { TestEngine } from './engine';
import { DashboardBrowser, dashboardEngine, signIn, type Tab } from './dashboard-browser';

export const TEAM_PASSWORD = 'correct horse battery staple';

/**
 * A dashboard engine with an admin key, an owner (ada@example.com, signed in in Chromium) and a viewer
 * (vic@example.com, signed in on demand): the cast of the screen tests that check roles.
 */
export async function dashboardTeam() {
  const { t, origin, workspace } = await dashboardEngine();
  const adminKey = await t.createKey(['admin'], { workspaceId: workspace.id });
  await t.parts.accounts.createUser({ email: 'ada@example.com', name: 'Ada', workspaceId: workspace.id, role: 'owner', password: TEAM_PASSWORD });
  await t.parts.accounts.createUser({ email: 'vic@example.com', name: 'Vic', workspaceId: workspace.id, role: 'viewer', password: TEAM_PASSWORD });
  const browser = await DashboardBrowser.launch();
  const owner = await browser.newPage(origin, '/app/login');
  await signIn(owner, 'ada@example.com', TEAM_PASSWORD);
  return {
    t: t as TestEngine,
    origin,
    browser,
    owner,
    workspaceId: workspace.id,
    /** A call with the admin key. */
    api: (method: string, path: string, body?: unknown) => t.api(method, path, { key: adminKey, body }),
    /** The viewer, signed in in a fresh profile. */
    async viewer(): Promise<Tab> {
      const page = await browser.newPage(origin, '/app/login');
      await signIn(page, 'vic@example.com', TEAM_PASSWORD);
      return page;
    },
    async close(): Promise<void> {
      await browser.close();
      await t.stop();
    },
  };
}

export type DashboardTeam = Awaited<ReturnType<typeof dashboardTeam>>;
