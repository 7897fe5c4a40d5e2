import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { systemActor } from '../../../engine/domain/actor';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { assertValidation } from '../../support/links';
import { startReceiver, until } from '../../support/webhook-receiver';

export const PAGE_FIELDS = [
  'avatar_url',
  'created_at',
  'description',
  'domain',
  'handle',
  'id',
  'items',
  'public_url',
  'published',
  'published_at',
  'theme',
  'title',
  'updated_at',
];

describe('Bio pages API: life cycle, items, publishing', () => {
  let t: TestEngine;
  let sale: { id: string; short_url: string };

  before(async () => {
    t = await startTestEngine({ webhookAllowedHosts: 'loopback' });
    sale = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/sale', slug: 'big-sale' } })).body;
  });
  after(() => t.stop());

  const db = () => t.parts.db;
  const managedLinks = (pageId: string) => db()('links').where({ page_id: pageId }).orderBy('id');

  test('create, get, list, update, publish, unpublish and delete answer the page object', async () => {
    const created = await t.api('POST', '/api/v1/pages', {
      body: {
        handle: 'Acme-Team',
        title: 'ACME',
        description: 'All our links\nin one place',
        avatar_url: 'https://example.com/logo.png',
        items: [
          { label: 'Our sale', link_id: sale.id },
          { label: 'Docs', url: 'https://example.com/docs' },
        ],
      },
    });
    assert.equal(created.status, 201, created.text);
    const page = created.body;
    assert.deepEqual(Object.keys(page).sort(), PAGE_FIELDS);
    assert.match(page.id, /^pg_[0-9a-z]{26}$/);
    assert.equal(page.handle, 'acme-team', 'handles are stored in lower case');
    assert.equal(page.domain, TEST_DOMAIN);
    assert.equal(page.theme, 'auto');
    assert.equal(page.published, false);
    assert.equal(page.published_at, null);
    assert.equal(page.public_url, `https://${TEST_DOMAIN}/p/acme-team`);
    assert.equal(page.created_at, page.updated_at);
    assert.deepEqual(page.items[0], { label: 'Our sale', link_id: sale.id, short_url: sale.short_url, clicks: 0 });
    assert.deepEqual(Object.keys(page.items[1]).sort(), ['clicks', 'label', 'short_url', 'url']);
    assert.equal(page.items[1].url, 'https://example.com/docs');
    assert.match(page.items[1].short_url, new RegExp(`^https://${TEST_DOMAIN.replace(/\./g, '\\.')}/[A-Za-z0-9]{7}$`));

    assert.deepEqual((await t.api('GET', `/api/v1/pages/${page.id}`)).body, page);
    const listed = await t.api('GET', '/api/v1/pages');
    assert.deepEqual(listed.body, { data: [page], pagination: { has_more: false, cursor: null } });

    const updated = await t.api('PATCH', `/api/v1/pages/${page.id}`, { body: { title: 'ACME Inc.', theme: 'ocean', description: null } });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual({ ...updated.body, updated_at: null }, { ...page, title: 'ACME Inc.', theme: 'ocean', description: null, updated_at: null });

    const published = await t.api('POST', `/api/v1/pages/${page.id}/publish`);
    assert.equal(published.status, 200);
    assert.equal(published.body.published, true);
    assert.match(published.body.published_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const unpublished = await t.api('POST', `/api/v1/pages/${page.id}/unpublish`);
    assert.deepEqual([unpublished.body.published, unpublished.body.published_at], [false, null]);

    const deleted = await t.api('DELETE', `/api/v1/pages/${page.id}`);
    assert.deepEqual(deleted.body, { deleted: true, id: page.id });
    assert.equal((await t.api('GET', `/api/v1/pages/${page.id}`)).status, 404);
    assert.equal((await t.api('DELETE', `/api/v1/pages/${page.id}`)).status, 404);
    assert.equal((await t.api('POST', `/api/v1/pages/${page.id}/publish`)).status, 404);
    assert.deepEqual(await managedLinks(page.id), [], 'the managed link of the URL item went with the page');
    assert.equal((await t.api('GET', `/api/v1/links/${sale.id}`)).status, 200, 'a link item’s link stays');
    assert.deepEqual(await db()('page_items').where({ page_id: page.id }), []);
  });

  test('publishing delivers a signed page.published with the page object, once per publication, and is audited', async () => {
    const receiver = await startReceiver();
    try {
      const endpoint = await t.api('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/hooks`, events: ['page.published'] } });
      assert.equal(endpoint.status, 201, endpoint.text);
      const page = (await t.api('POST', '/api/v1/pages', { body: { handle: 'launch', items: [{ label: 'Sale', link_id: sale.id }] } })).body;
      const published = (await t.api('POST', `/api/v1/pages/${page.id}/publish`)).body;
      const again = await t.api('POST', `/api/v1/pages/${page.id}/publish`);
      assert.deepEqual(again.body, published, 'publishing a published page changes nothing');
      await t.api('POST', `/api/v1/pages/${page.id}/unpublish`);
      await t.api('POST', `/api/v1/pages/${page.id}/unpublish`);
      await t.api('PATCH', `/api/v1/pages/${page.id}`, { body: { title: 'Edited' } });
      const republished = (await t.api('POST', `/api/v1/pages/${page.id}/publish`)).body;

      await until(() => receiver.received.length >= 2, 'two page.published deliveries');
      const verifier = new Webhook(endpoint.body.secret);
      const messages = receiver.received.map((request) => verifier.verify(request.body, request.headers as Record<string, string>) as { id: string; type: string; workspace_id: string; data: unknown });
      assert.deepEqual(messages.map((message) => message.type), ['page.published', 'page.published']);
      assert.deepEqual(messages.map((message) => message.data), [published, republished]);
      assert.equal(messages[0].workspace_id, t.workspace.id);
      assert.match(messages[0].id, /^msg_/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(receiver.received.length, 2, 'no delivery for create, update, unpublish or a repeated publish');

      const audits = await db()('audit_logs').where({ resource_id: page.id }).orderBy('id').select('action', 'request_id');
      assert.deepEqual(
        audits.map((row: { action: string }) => row.action),
        ['page.created', 'page.published', 'page.unpublished', 'page.updated', 'page.published'],
      );
      for (const row of audits) assert.match(row.request_id, /^req_/);
      assert.equal((await t.api('DELETE', `/api/v1/webhooks/${endpoint.body.id}`)).status, 200);
    } finally {
      await receiver.close();
    }
  });

  test('URL items get managed short links, hidden from the Links API and reused while the URL stays', async () => {
    const page = (
      await t.api('POST', '/api/v1/pages', {
        body: {
          handle: 'managed',
          items: [
            { label: 'Docs', url: 'https://example.com/docs' },
            { label: 'Blog', url: 'https://example.com/blog' },
            { label: 'Docs again', url: 'https://example.com/docs' },
          ],
        },
      })
    ).body;
    const [docs, blog, docsAgain] = page.items;
    assert.notEqual(docs.short_url, docsAgain.short_url, 'each item has its own link, so each counts its own clicks');
    const managed = await managedLinks(page.id);
    assert.equal(managed.length, 3);
    assert.deepEqual(managed.map((row: { title: string }) => row.title).sort(), ['Blog', 'Docs', 'Docs again']);
    for (const row of managed) {
      assert.equal(row.workspace_id, t.workspace.id);
      assert.equal(row.mode, 'live');
      assert.equal((await t.api('GET', `/api/v1/links/${row.id}`)).status, 404, 'not a link of the Links API');
      assert.equal((await t.api('PATCH', `/api/v1/links/${row.id}`, { body: { url: 'https://evil.test/' } })).status, 404);
      assert.equal((await t.api('DELETE', `/api/v1/links/${row.id}`)).status, 404);
    }
    const listed = (await t.api('GET', '/api/v1/links?limit=100')).body.data.map((link: { id: string }) => link.id);
    assert.ok(!managed.some((row: { id: string }) => listed.includes(row.id)), 'the link list leaves them out');
    assert.equal((await t.api('POST', '/api/v1/pages', { body: { handle: 'steal', items: [{ label: 'x', link_id: managed[0].id }] } })).status, 422, 'and pages cannot borrow them');

    const reordered = await t.api('PATCH', `/api/v1/pages/${page.id}`, {
      body: {
        items: [
          { label: 'Blog (new)', url: 'https://example.com/blog' },
          { label: 'Docs', url: 'https://example.com/docs' },
          { label: 'Shop', url: 'https://example.com/shop' },
        ],
      },
    });
    assert.equal(reordered.status, 200, reordered.text);
    assert.equal(reordered.body.items[0].short_url, blog.short_url, 'same URL: same link, its clicks kept');
    assert.equal(reordered.body.items[1].short_url, docs.short_url);
    const after = await managedLinks(page.id);
    assert.equal(after.length, 3);
    assert.ok(!after.some((row: { slug: string }) => docsAgain.short_url.endsWith(`/${row.slug}`)), 'the unused managed link is gone');
    assert.equal(after.find((row: { slug: string }) => blog.short_url.endsWith(`/${row.slug}`)).title, 'Blog (new)', 'renamed with its item');

    const unchanged = await t.api('PATCH', `/api/v1/pages/${page.id}`, { body: { items: reordered.body.items.map(({ label, url }: { label: string; url: string }) => ({ label, url })) } });
    assert.deepEqual(unchanged.body, reordered.body, 'the same items again change nothing, updated_at included');
    const audits = await db()('audit_logs').where({ resource_id: page.id }).select('action');
    assert.deepEqual(audits.map((row: { action: string }) => row.action), ['page.created', 'page.updated']);
  });

  test('a page on another domain moves its managed links there; link items keep their own domain', async () => {
    await t.parts.db('domains').insert({ id: 'dom_00000000000000000000000001', workspace_id: t.workspace.id, hostname: 'bio.acme.test', secure: true, is_default: false, created_at: Date.now() });
    await t.parts.redirects.domains.refresh();
    const page = (await t.api('POST', '/api/v1/pages', { body: { handle: 'movers', items: [{ label: 'Sale', link_id: sale.id }, { label: 'Docs', url: 'https://example.com/docs' }] } })).body;
    const moved = await t.api('PATCH', `/api/v1/pages/${page.id}`, { body: { domain: 'BIO.acme.test' } });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.domain, 'bio.acme.test');
    assert.equal(moved.body.public_url, 'https://bio.acme.test/p/movers');
    assert.equal(moved.body.items[0].short_url, sale.short_url);
    assert.match(moved.body.items[1].short_url, /^https:\/\/bio\.acme\.test\/[A-Za-z0-9]{7}$/);
    const managed = await managedLinks(page.id);
    assert.deepEqual(managed.map((row: { domain: string }) => row.domain), ['bio.acme.test']);
  });

  test('deleting a link removes it from the pages that list it', async () => {
    const doomed = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/old' } })).body;
    const page = (await t.api('POST', '/api/v1/pages', { body: { handle: 'pruned', items: [{ label: 'Old', link_id: doomed.id }, { label: 'Sale', link_id: sale.id }] } })).body;
    assert.equal((await t.api('DELETE', `/api/v1/links/${doomed.id}`)).status, 200);
    const fetched = (await t.api('GET', `/api/v1/pages/${page.id}`)).body;
    assert.deepEqual(fetched.items.map((item: { label: string }) => item.label), ['Sale']);
  });

  test('custom domains: a page can use one added through the API, and keeps it from being deleted', async () => {
    const { adminKey: key } = await t.createWorkspace('Domains');
    const domain = await t.api('POST', '/api/v1/domains', { key, body: { hostname: 'links.pages-domain.test' } });
    assert.equal(domain.status, 201, domain.text);
    const page = await t.api('POST', '/api/v1/pages', { key, body: { handle: 'on-custom', domain: 'links.pages-domain.test', items: [{ label: 'Docs', url: 'https://example.com/docs' }] } });
    assert.equal(page.status, 201, page.text);
    assert.match(page.body.items[0].short_url, /^https:\/\/links\.pages-domain\.test\/[A-Za-z0-9]{7}$/);
    const refused = await t.api('DELETE', `/api/v1/domains/${domain.body.id}`, { key });
    assert.equal(refused.status, 409);
    assert.match(refused.body.error.message, /1 links and 1 bio pages/, 'the managed link and the page both hold it');
    assert.equal((await t.api('PATCH', `/api/v1/pages/${page.body.id}`, { key, body: { domain: null } })).status, 200, 'back to the default domain');
    assert.equal((await t.api('DELETE', `/api/v1/domains/${domain.body.id}`, { key })).status, 200, 'nothing holds it any more');
    assertValidation(await t.api('POST', '/api/v1/pages', { key, body: { handle: 'gone-domain', domain: 'links.pages-domain.test' } }), ['domain']);
  });

  test('plan limits: managed links count as links; a page that would pass max_links is refused whole', async () => {
    const { adminKey: key, workspace } = await t.createWorkspace('Small plan');
    // The operator's plan change (as `mask workspace plan`): a workspace's keys cannot change their plan.
    await t.parts.workspaceSettings.update(systemActor(workspace.id), { plan: { maxLinks: 3 } });
    const own = (await t.api('POST', '/api/v1/links', { key, body: { url: 'https://example.com/own' } })).body;
    const urls = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `U${i}`, url: `https://example.com/u${i}` }));
    const tooMany = await t.api('POST', '/api/v1/pages', { key, body: { handle: 'too-many', items: [{ label: 'Own', link_id: own.id }, ...urls(3)] } });
    assert.equal(tooMany.status, 403, tooMany.text);
    assert.equal(tooMany.body.error.code, 'plan_limit_reached');
    assert.deepEqual(tooMany.body.error.limit, { name: 'max_links', max: 3, used: 1 });
    assert.equal((await db()('pages').where({ handle: 'too-many' })).length, 0, 'nothing half-saved');

    const fits = await t.api('POST', '/api/v1/pages', { key, body: { handle: 'fits', items: [{ label: 'Own', link_id: own.id }, ...urls(2)] } });
    assert.equal(fits.status, 201, fits.text);
    assert.equal((await t.api('GET', '/api/v1/workspace', { key })).body.usage.links, 3, 'the two managed links are counted');
    const same = await t.api('PATCH', `/api/v1/pages/${fits.body.id}`, { key, body: { title: 'Full', items: [...urls(2)].reverse() } });
    assert.equal(same.status, 200, 'reusing managed links needs no allowance');
    assert.equal((await t.api('PATCH', `/api/v1/pages/${fits.body.id}`, { key, body: { items: urls(3) } })).status, 403, 'a new one does');
    assert.equal((await t.api('POST', '/api/v1/pages', { key, body: { handle: 'links-only', items: [{ label: 'Own', link_id: own.id }] } })).status, 201, 'link items use no allowance');
  });

  test('handles are unique per domain, case-insensitively, across workspaces', async () => {
    const first = await t.api('POST', '/api/v1/pages', { body: { handle: 'unique-one' } });
    assert.equal(first.status, 201);
    const clash = await t.api('POST', '/api/v1/pages', { body: { handle: 'UNIQUE-one' } });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.code, 'conflict');
    assert.deepEqual(clash.body.error.details, [{ field: 'handle', message: 'Already in use on this domain' }]);
    const other = await t.createWorkspace('Neighbour');
    assert.equal((await t.api('POST', '/api/v1/pages', { key: other.adminKey, body: { handle: 'unique-one' } })).status, 409, 'the instance domain is shared');
    const elsewhere = await t.api('POST', '/api/v1/pages', { body: { handle: 'unique-one', domain: 'bio.acme.test' } });
    assert.equal(elsewhere.status, 201, 'free on another domain');
    const second = (await t.api('POST', '/api/v1/pages', { body: { handle: 'unique-two' } })).body;
    assert.equal((await t.api('PATCH', `/api/v1/pages/${second.id}`, { body: { handle: 'unique-one' } })).status, 409);
    assert.equal((await t.api('PATCH', `/api/v1/pages/${elsewhere.body.id}`, { body: { domain: TEST_DOMAIN } })).status, 409, 'moving onto a taken handle');
    assert.equal((await t.api('PATCH', `/api/v1/pages/${second.id}`, { body: { handle: 'Unique-Two' } })).body.updated_at, second.updated_at, 'its own handle is no conflict');

    const racing = await Promise.all([1, 2, 3].map(() => t.api('POST', '/api/v1/pages', { body: { handle: 'raced', items: [{ label: 'A', url: 'https://example.com/a' }] } })));
    assert.deepEqual(racing.map((r) => r.status).sort(), [201, 409, 409]);
    assert.equal((await db()('pages').where({ handle: 'raced' })).length, 1);
    assert.equal((await db()('links').where({ url: 'https://example.com/a' })).length, 1, 'the losers left no managed link behind');
  });

  test('scopes, workspaces and modes are isolated', async () => {
    const page = (await t.api('POST', '/api/v1/pages', { body: { handle: 'private-one' } })).body;
    const reader = await t.createKey(['pages:read']);
    assert.equal((await t.api('GET', `/api/v1/pages/${page.id}`, { key: reader })).status, 200);
    assert.equal((await t.api('GET', '/api/v1/pages', { key: reader })).status, 200);
    for (const [method, path] of [['POST', '/api/v1/pages'], ['PATCH', `/api/v1/pages/${page.id}`], ['DELETE', `/api/v1/pages/${page.id}`], ['POST', `/api/v1/pages/${page.id}/publish`], ['POST', `/api/v1/pages/${page.id}/unpublish`]]) {
      const response = await t.api(method, path, { key: reader, body: method === 'DELETE' ? undefined : {} });
      assert.equal(response.status, 403, `${method} ${path}`);
    }
    const linksOnly = await t.createKey(['links:read', 'links:write']);
    assert.equal((await t.api('GET', '/api/v1/pages', { key: linksOnly })).status, 403);
    const writer = await t.createKey(['pages:write']);
    assert.equal((await t.api('POST', '/api/v1/pages', { key: writer, body: { handle: 'writer-page' } })).status, 201, 'pages:write alone can create (items checked without links:read)');

    const other = await t.createWorkspace('Other');
    const testKey = await t.createKey(['admin'], { mode: 'test' });
    for (const key of [other.adminKey, testKey]) {
      assert.equal((await t.api('GET', `/api/v1/pages/${page.id}`, { key })).status, 404);
      assert.equal((await t.api('PATCH', `/api/v1/pages/${page.id}`, { key, body: { title: 'x' } })).status, 404);
      assert.equal((await t.api('POST', `/api/v1/pages/${page.id}/publish`, { key })).status, 404);
      assert.equal((await t.api('DELETE', `/api/v1/pages/${page.id}`, { key })).status, 404);
      assert.ok(!(await t.api('GET', '/api/v1/pages', { key })).body.data.some((p: { id: string }) => p.id === page.id));
    }
    const testPage = await t.api('POST', '/api/v1/pages', { key: testKey, body: { handle: 'test-mode-page' } });
    assert.equal(testPage.status, 201);
    assert.ok(!(await t.api('GET', '/api/v1/pages?limit=100')).body.data.some((p: { id: string }) => p.id === testPage.body.id), 'live keys do not see test pages');
  });

  test('list: newest first, keyset pages, filters on domain and published', async () => {
    const fresh = await t.createWorkspace('Lister');
    const key = fresh.adminKey;
    const ids: string[] = [];
    for (const handle of ['list-a', 'list-b', 'list-c']) ids.push((await t.api('POST', '/api/v1/pages', { key, body: { handle } })).body.id);
    await t.api('POST', `/api/v1/pages/${ids[1]}/publish`, { key });
    const first = await t.api('GET', '/api/v1/pages?limit=2', { key });
    assert.deepEqual(first.body.data.map((p: { id: string }) => p.id), [ids[2], ids[1]]);
    assert.equal(first.body.pagination.has_more, true);
    const second = await t.api('GET', `/api/v1/pages?limit=2&cursor=${encodeURIComponent(first.body.pagination.cursor)}`, { key });
    assert.deepEqual(second.body.data.map((p: { id: string }) => p.id), [ids[0]]);
    assert.deepEqual(second.body.pagination, { has_more: false, cursor: null });
    assert.deepEqual((await t.api('GET', '/api/v1/pages?published=true', { key })).body.data.map((p: { id: string }) => p.id), [ids[1]]);
    assert.deepEqual((await t.api('GET', '/api/v1/pages?published=false', { key })).body.data.map((p: { id: string }) => p.id), [ids[2], ids[0]]);
    assert.equal((await t.api('GET', `/api/v1/pages?domain=${TEST_DOMAIN.toUpperCase()}`, { key })).body.data.length, 3);
    assert.equal((await t.api('GET', '/api/v1/pages?domain=elsewhere.test', { key })).body.data.length, 0);
    const wrongCursor = await t.api('GET', `/api/v1/pages?published=true&cursor=${encodeURIComponent(first.body.pagination.cursor)}`, { key });
    assert.equal(wrongCursor.status, 400, 'a cursor belongs to its filters');
    assert.equal((await t.api('GET', '/api/v1/pages?published=yes', { key })).status, 422);
    assert.equal((await t.api('GET', '/api/v1/pages?limit=101', { key })).status, 422);
    assert.equal((await t.api('GET', '/api/v1/pages?sort=title', { key })).status, 422);
  });
});
