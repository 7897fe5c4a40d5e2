import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { heading, type Tab } from '../support/dashboard-browser';
import { skipWithoutChromium } from '../support/chromium';
import { dashboardTeam, type DashboardTeam } from '../support/dashboard-team';
import { DESKTOP_UA } from '../support/redirect-client';

/**
 * Smart routing of a link in a real Chromium: rules built with the condition builder (an unknown country refused at
 * its condition), reordered, edited and deleted; the link's A/B split (weights not adding up to 100 refused) and
 * social preview; clicks by rule and variant on the link's analytics; a viewer sees all of it read-only.
 */
describe('the dashboard in Chromium: smart routing', { skip: skipWithoutChromium }, () => {
  let team: DashboardTeam;
  let t: DashboardTeam['t'];
  let owner: Tab;
  let linkId: string;
  let shortUrl: string;
  const api = (method: string, path: string, body?: unknown) => team.api(method, path, body);
  const rulesOf = async () => (await api('GET', `/api/v1/links/${linkId}/rules`)).body.data as { id: string; url: string; conditions: unknown[] }[];

  before(async () => {
    team = await dashboardTeam();
    ({ t, owner } = team);
    const link = (await api('POST', '/api/v1/links', { url: 'https://example.com/home', slug: 'routed' })).body;
    linkId = link.id;
    shortUrl = link.short_url;
  });

  after(() => team?.close());

  test('rules: an unknown country refused at its condition, then rules added, reordered, edited and deleted', async () => {
    // The link was made after the owner signed in: load the list again.
    await owner.reload();
    await heading(owner, 'Links');
    await owner.getByRole('link', { name: /^Routing of / }).click();
    await heading(owner, 'Smart routing');
    await owner.getByText('No rules yet.').waitFor();

    await owner.getByRole('button', { name: 'Add rule' }).click();
    let dialog = owner.getByRole('dialog', { name: 'New rule' });
    await dialog.getByLabel('Values').fill('DE, XX');
    await dialog.getByLabel('Destination URL').fill('https://example.com/de');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.locator('#condition-0-values-error').getByText(/Unknown country "XX"/).waitFor();
    assert.equal((await dialog.getByLabel('Values').getAttribute('aria-invalid')), 'true');
    await team.browser.screen(owner, 'routing-rule-error');
    assert.deepEqual(await rulesOf(), [], 'a refused rule writes nothing');

    await dialog.getByLabel('Values').fill('DE, AT');
    await dialog.getByRole('button', { name: 'Add condition' }).click();
    await dialog.locator('#condition-1-type').selectOption('bot');
    await dialog.locator('#condition-1-bot').selectOption('person');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await owner.getByText('Rule added').waitFor();
    await owner.getByText('Country is DE or AT').waitFor();

    await owner.getByRole('button', { name: 'Add rule' }).click();
    dialog = owner.getByRole('dialog', { name: 'New rule' });
    await dialog.locator('#condition-0-type').selectOption('query');
    await dialog.getByLabel('Parameter').fill('ref');
    await dialog.getByLabel('Value', { exact: true }).fill('mail');
    await dialog.getByLabel('Destination URL').fill('https://example.com/mail');
    await dialog.getByRole('button', { name: 'Add variant' }).click();
    await dialog.getByRole('button', { name: 'Add variant' }).click();
    await dialog.getByLabel('Variant 1 URL').fill('https://example.com/mail-a');
    await dialog.getByLabel('Variant 1 weight').fill('60');
    await dialog.getByLabel('Variant 2 URL').fill('https://example.com/mail-b');
    await dialog.getByLabel('Variant 2 weight').fill('40');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await owner.getByText('Query ref=mail').waitFor();
    let rules = await rulesOf();
    assert.deepEqual(rules.map((r) => r.url), ['https://example.com/de', 'https://example.com/mail']);
    assert.deepEqual(rules[0].conditions, [{ type: 'country', values: ['DE', 'AT'] }, { type: 'bot', value: false }]);
    await team.browser.screen(owner, 'routing-rules');

    await owner.getByRole('button', { name: 'Move up rule 2' }).click();
    await owner.getByText('Rule moved to position 1').waitFor();
    rules = await rulesOf();
    assert.deepEqual(rules.map((r) => r.url), ['https://example.com/mail', 'https://example.com/de']);

    await owner.getByRole('button', { name: 'Edit rule 2' }).click();
    dialog = owner.getByRole('dialog', { name: 'Edit rule 2' });
    assert.equal(await dialog.getByLabel('Values').inputValue(), 'DE, AT');
    await dialog.getByLabel('Destination URL').fill('https://example.com/dach');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await owner.getByText('Rule saved').waitFor();
    assert.equal((await rulesOf())[1].url, 'https://example.com/dach');

    await owner.getByRole('button', { name: 'Delete rule 2' }).click();
    await owner.getByRole('dialog', { name: 'Delete rule 2?' }).getByRole('button', { name: 'Delete rule' }).click();
    await owner.getByText('Rule deleted').waitFor();
    assert.deepEqual((await rulesOf()).map((r) => r.url), ['https://example.com/mail']);
    assert.deepEqual(owner.errors, []);
  });

  test('the link’s A/B split (weights must add up to 100) and its social preview', async () => {
    const split = owner.getByRole('region', { name: 'A/B split of the link' });
    await split.getByRole('button', { name: 'Add variant' }).click();
    await split.getByRole('button', { name: 'Add variant' }).click();
    await split.getByLabel('Variant 1 URL').fill('https://example.com/a');
    await split.getByLabel('Variant 1 weight').fill('70');
    await split.getByLabel('Variant 2 URL').fill('https://example.com/b');
    await split.getByLabel('Variant 2 weight').fill('20');
    await split.getByText('Weights add up to 90 (must be 100).').waitFor();
    await split.getByRole('button', { name: 'Save split' }).click();
    await split.locator('#link-variants-error').getByText(/Weights must add up to 100/).waitFor();
    assert.equal((await api('GET', `/api/v1/links/${linkId}`)).body.variants, null);
    await split.getByLabel('Variant 2 weight').fill('30');
    // The screen reloads the link after a save; that reload is held back until the preview has been typed into.
    const linkPath = `/api/v1/links/${linkId}`;
    let releaseReload = () => {};
    const reloadHeld = new Promise<void>((resolve) => (releaseReload = resolve));
    await owner.route(`**${linkPath}`, async (route) => {
      if (route.request().method() === 'GET') await reloadHeld;
      await route.continue();
    });
    await split.getByRole('button', { name: 'Save split' }).click();
    await owner.getByText('A/B split saved').waitFor();
    assert.deepEqual((await api('GET', linkPath)).body.variants, [
      { url: 'https://example.com/a', weight: 70 },
      { url: 'https://example.com/b', weight: 30 },
    ]);

    const preview = owner.getByRole('region', { name: 'Social preview' });
    await preview.getByLabel('Preview title').fill('Spring launch');
    const reloaded = owner.waitForResponse((response) => new URL(response.url()).pathname === linkPath && response.request().method() === 'GET');
    releaseReload();
    await (await reloaded).finished();
    await owner.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    await owner.unroute(`**${linkPath}`);
    assert.equal(await preview.getByLabel('Preview title').inputValue(), 'Spring launch', 'the reload after saving the split kept what was typed');
    await preview.getByLabel('Preview image URL').fill('not a url');
    await preview.getByRole('button', { name: 'Save preview' }).click();
    await preview.locator('#preview-image-error').waitFor();
    await preview.getByLabel('Preview image URL').fill('https://example.com/cover.png');
    await preview.getByRole('button', { name: 'Save preview' }).click();
    await owner.getByText('Social preview saved').waitFor();
    assert.deepEqual((await api('GET', `/api/v1/links/${linkId}`)).body.preview, { title: 'Spring launch', description: null, image_url: 'https://example.com/cover.png' });
    await team.browser.screen(owner, 'routing-split-preview');
    assert.deepEqual(owner.errors, []);
  });

  test('the link’s analytics group clicks by rule and by variant', async () => {
    const [rule] = await rulesOf();
    for (const query of ['?ref=mail', '?ref=mail', '']) {
      const response = await fetch(shortUrl + query, { redirect: 'manual', headers: { 'user-agent': DESKTOP_UA } });
      assert.equal(response.status, 302);
    }
    await t.parts.clicks.flush();
    await owner.getByRole('link', { name: 'Clicks by rule and variant' }).click();
    await heading(owner, /^Analytics of /);
    const byRule = owner.locator('#breakdown-rule').locator('..');
    await byRule.getByText(`Rule 1 (${rule.id})`).waitFor();
    await byRule.getByText('No rule (own destination)').waitFor();
    const byVariant = owner.locator('#breakdown-variant').locator('..');
    await byVariant.getByText(/^https:\/\/example\.com\/(mail-a|mail-b|a|b)$/).first().waitFor();
    await team.browser.screen(owner, 'routing-analytics');
    assert.deepEqual(owner.errors, []);
  });

  test('a viewer sees the rules, split and preview without write controls', async () => {
    const viewer = await team.viewer();
    await viewer.goto(`${team.origin}/app/links/${linkId}/routing`);
    await heading(viewer, 'Smart routing');
    await viewer.getByText('Query ref=mail').waitFor();
    for (const name of ['Add rule', /^Move/, /^Edit/, /^Delete/, 'Add variant', 'Save split', 'Save preview']) {
      assert.equal(await viewer.getByRole('button', { name }).count(), 0, `no "${name}" for a viewer`);
    }
    assert.equal(await viewer.getByLabel('Preview title').isDisabled(), true);
    await team.browser.screen(viewer, 'routing-viewer');
    assert.deepEqual(viewer.errors, []);
  });
});
