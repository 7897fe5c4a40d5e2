import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LinkChange } from '../../../engine/domain/link-changes';
import { verifyPassword } from '../../../engine/support/crypto';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { subscribeReceiver, type Receiver } from '../../support/webhook-receiver';
import { LINK_FIELDS, stillFuture } from '../../support/links';

const SEED_CREATE = {
  url: 'https://example.com/my-page',
  slug: 'my-link',
  domain: 'go.yourbrand.com',
  title: 'My Campaign Link',
  tags: ['campaign-q1', 'social'],
  utm_source: 'twitter',
  utm_medium: 'social',
  expires_at: stillFuture('2026-12-31T23:59:59Z'),
};

describe('Links API: seed 000 examples and the link life cycle', () => {
  let t: TestEngine;
  let receiver: Receiver;
  let brandKey: string;
  const changes: LinkChange[] = [];

  before(async () => {
    t = await startTestEngine({ webhookAllowedHosts: 'loopback' });
    receiver = await subscribeReceiver(t);
    t.parts.linkChanges.subscribe((change) => changes.push(change));
    const brand = await t.parts.workspaces.create({ name: 'Your Brand', domain: 'go.yourbrand.com' });
    brandKey = await t.createKey(['admin'], { workspaceId: brand.id });
  });
  after(async () => {
    await t.stop();
    await receiver.close();
  });

  const db = () => t.parts.db;

  test('create, get, list, update and delete answer exactly the seed shapes', async () => {
    const created = await t.api('POST', '/api/v1/links', { key: brandKey, body: SEED_CREATE });
    assert.equal(created.status, 201, created.text);
    const link = created.body;
    assert.deepEqual(Object.keys(link).sort(), LINK_FIELDS);
    assert.match(link.id, /^lnk_[0-9a-z]{26}$/);
    assert.deepEqual(
      { ...link, id: null, created_at: null, updated_at: null },
      {
        id: null,
        url: 'https://example.com/my-page',
        short_url: 'https://go.yourbrand.com/my-link',
        slug: 'my-link',
        domain: 'go.yourbrand.com',
        title: 'My Campaign Link',
        tags: ['campaign-q1', 'social'],
        clicks: 0,
        utm_source: 'twitter',
        utm_medium: 'social',
        utm_campaign: null,
        starts_at: null,
        expires_at: SEED_CREATE.expires_at,
        max_clicks: null,
        password_protected: false,
        ios_target: null,
        android_target: null,
        notes: null,
        external_id: null,
        imported_clicks: 0,
        variants: null,
        preview: null,
        folder_id: null,
        campaign_id: null,
        utm_term: null,
        utm_content: null,
        track_conversions: null,
        pixel_ids: [],
        created_at: null,
        updated_at: null,
      },
    );
    assert.match(link.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(link.updated_at, link.created_at);

    const fetched = await t.api('GET', `/api/v1/links/${link.id}`, { key: brandKey });
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.body, link);

    const listed = await t.api('GET', '/api/v1/links?limit=10&tag=campaign-q1', { key: brandKey });
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(Object.keys(listed.body).sort(), ['data', 'pagination']);
    assert.deepEqual(listed.body.data, [link]);
    assert.deepEqual(listed.body.pagination, { has_more: false, cursor: null });

    const patch = { url: 'https://example.com/updated-page', tags: ['campaign-q2', 'email'], expires_at: stillFuture('2027-06-30T23:59:59Z') };
    const updated = await t.api('PATCH', `/api/v1/links/${link.id}`, { key: brandKey, body: patch });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual({ ...updated.body, updated_at: null }, { ...link, ...patch, updated_at: null });
    const row = await db()('links').where({ id: link.id }).first();
    assert.ok(row.updated_at > row.created_at, 'updated_at moves');
    assert.ok(updated.body.updated_at >= link.updated_at);

    const deleted = await t.api('DELETE', `/api/v1/links/${link.id}`, { key: brandKey });
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, { deleted: true, id: link.id });
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}`, { key: brandKey })).status, 404);
    assert.equal((await t.api('DELETE', `/api/v1/links/${link.id}`, { key: brandKey })).status, 404);
    assert.equal(await db()('links').where({ id: link.id }).first(), undefined, 'hard delete');
    assert.deepEqual(await db()('link_tags').where({ link_id: link.id }), []);
  });

  test('without slug or domain: a random 7-character slug on the workspace default domain', async () => {
    const created = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/long-url' } });
    assert.equal(created.status, 201, created.text);
    assert.match(created.body.slug, /^[A-Za-z0-9]{7}$/);
    assert.equal(created.body.domain, TEST_DOMAIN);
    assert.equal(created.body.short_url, `https://${TEST_DOMAIN}/${created.body.slug}`);
    assert.deepEqual(created.body.tags, []);

    const brandDefault = await t.api('POST', '/api/v1/links', { key: brandKey, body: { url: 'https://example.com/' } });
    assert.equal(brandDefault.body.domain, 'go.yourbrand.com', 'a workspace’s own default domain');
    const onInstance = await t.api('POST', '/api/v1/links', { key: brandKey, body: { url: 'https://example.com/', domain: TEST_DOMAIN } });
    assert.equal(onInstance.status, 201, 'the instance domain is shared by every workspace');
  });

  test('short URLs on local domains use http://; the domain is matched case-insensitively', async () => {
    const local = await t.parts.workspaces.create({ name: 'Local', domain: 'localhost:8088' });
    const key = await t.createKey(['links:write'], { workspaceId: local.id });
    const created = await t.api('POST', '/api/v1/links', { key, body: { url: 'https://example.com/', slug: 'local-one', domain: 'LOCALHOST:8088' } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.domain, 'localhost:8088');
    assert.equal(created.body.short_url, 'http://localhost:8088/local-one');
  });

  test('the seed-003 options round-trip; empty strings and null mean "none"', async () => {
    const body = {
      url: 'https://example.com/product-launch',
      slug: 'launch-2026',
      starts_at: '2026-01-01T09:00:00Z',
      expires_at: stillFuture('2026-12-31T23:59:59.000+02:00'),
      max_clicks: 500,
      tags: ['marketing', 'launch', 'marketing'],
      notes: 'Shared in the December announcement\nsecond line',
      ios_target: 'https://apps.apple.com/app/id123',
      android_target: 'https://play.google.com/store/apps/details?id=x',
      utm_campaign: '',
      title: null,
    };
    const created = await t.api('POST', '/api/v1/links', { body });
    assert.equal(created.status, 201, created.text);
    const link = created.body;
    assert.equal(link.starts_at, '2026-01-01T09:00:00Z');
    assert.equal(link.expires_at, new Date(body.expires_at).toISOString().replace(/\.000Z$/, 'Z'), 'normalised to UTC');
    assert.equal(link.max_clicks, 500);
    assert.deepEqual(link.tags, ['marketing', 'launch'], 'duplicates dropped, order kept');
    assert.equal(link.notes, body.notes);
    assert.equal(link.ios_target, body.ios_target);
    assert.equal(link.android_target, body.android_target);
    assert.equal(link.utm_campaign, null);
    assert.equal(link.title, null);
  });

  test('UTM parameters are stored apart: the destination URL is kept as given', async () => {
    const url = 'https://example.com/page?ref=a%20b&x=1#section';
    const created = await t.api('POST', '/api/v1/links', { body: { url, utm_source: 'news letter', utm_medium: 'email' } });
    assert.equal(created.body.url, url);
    assert.equal((await db()('links').where({ id: created.body.id }).first()).url, url);
  });

  test('passwords are write-only, hashed with scrypt, versioned, and never logged or audited', async () => {
    const created = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/secret', password: 'open sesame' } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.password_protected, true);
    assert.ok(!created.text.includes('open sesame'));
    assert.equal(created.body.password, undefined);
    const id = created.body.id;
    const row = await db()('links').where({ id }).first();
    assert.match(row.password_hash, /^scrypt\$/);
    assert.ok(await verifyPassword('open sesame', row.password_hash));
    assert.equal(row.password_version, 0);

    const changed = await t.api('PATCH', `/api/v1/links/${id}`, { body: { password: 'another one' } });
    assert.equal(changed.status, 200, changed.text);
    const afterChange = await db()('links').where({ id }).first();
    assert.ok(await verifyPassword('another one', afterChange.password_hash));
    assert.equal(afterChange.password_version, 1);

    const cleared = await t.api('PATCH', `/api/v1/links/${id}`, { body: { password: null } });
    assert.equal(cleared.body.password_protected, false);
    const afterClear = await db()('links').where({ id }).first();
    assert.equal(afterClear.password_hash, null);
    assert.equal(afterClear.password_version, 2);

    const again = await t.api('PATCH', `/api/v1/links/${id}`, { body: { password: null } });
    assert.equal(again.status, 200);
    assert.equal((await db()('links').where({ id }).first()).password_version, 2, 'clearing nothing changes nothing');

    const audits = await db()('audit_logs').where({ resource_id: id });
    const events = await db()('events').where('payload', 'like', `%${id}%`);
    for (const text of [...audits.map((a) => a.changes), ...events.map((e) => e.payload)]) {
      assert.ok(!text.includes('sesame') && !text.includes('another one') && !text.includes('scrypt$'), text);
    }
    const passwordChange = audits.find((a) => JSON.parse(a.changes).password_version);
    assert.ok(passwordChange, 'a password change is visible in the audit log, redacted');
    assert.deepEqual(JSON.parse(passwordChange.changes).password_version, { before: '[redacted]', after: '[redacted]' });
  });

  test('PATCH changes only what is present; null clears; an empty patch changes nothing', async () => {
    const created = await t.api('POST', '/api/v1/links', {
      body: { url: 'https://example.com/a', title: 'Title', tags: ['x'], utm_source: 'src', max_clicks: 3, notes: 'n' },
    });
    const id = created.body.id;
    const cleared = await t.api('PATCH', `/api/v1/links/${id}`, { body: { title: null, tags: null, max_clicks: null, notes: '' } });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(cleared.body.title, null);
    assert.deepEqual(cleared.body.tags, []);
    assert.equal(cleared.body.max_clicks, null);
    assert.equal(cleared.body.notes, null);
    assert.equal(cleared.body.utm_source, 'src', 'absent fields stay');
    assert.equal(cleared.body.url, 'https://example.com/a');
    assert.deepEqual(await db()('link_tags').where({ link_id: id }), []);

    const before = await db()('links').where({ id }).first();
    const auditsBefore = await db()('audit_logs').where({ resource_id: id }).count({ n: '*' });
    const empty = await t.api('PATCH', `/api/v1/links/${id}`, { body: {} });
    assert.equal(empty.status, 200);
    const same = await t.api('PATCH', `/api/v1/links/${id}`, { body: { url: 'https://example.com/a', slug: created.body.slug, domain: created.body.domain } });
    assert.equal(same.status, 200, same.text);
    assert.equal((await db()('links').where({ id }).first()).updated_at, before.updated_at, 'no-op patches leave updated_at');
    assert.deepEqual(await db()('audit_logs').where({ resource_id: id }).count({ n: '*' }), auditsBefore);
  });

  test('each change is audited and announced in its transaction; the redirect cache hears of it after commit', async () => {
    changes.length = 0;
    const created = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/e', slug: 'events-1', tags: ['t'] } });
    const id = created.body.id;
    const updated = await t.api('PATCH', `/api/v1/links/${id}`, { body: { title: 'New title' } });
    await t.api('DELETE', `/api/v1/links/${id}`);

    const audits = await db()('audit_logs').where({ resource_id: id }).orderBy('id');
    assert.deepEqual(audits.map((a) => a.action), ['link.created', 'link.updated', 'link.deleted']);
    assert.ok(audits.every((a) => a.resource_type === 'link' && a.workspace_id === t.workspace.id && a.mode === 'live' && a.request_id));
    const diff = JSON.parse(audits[1].changes);
    assert.deepEqual(diff.title, { before: null, after: 'New title' });
    assert.deepEqual(Object.keys(diff).filter((field) => field !== 'updated_at'), ['title'], 'only what changed');

    const events = (await db()('events').where({ workspace_id: t.workspace.id }).orderBy('id')).map((e) => JSON.parse(e.payload));
    const mine = events.filter((e) => e.data.id === id);
    assert.deepEqual(mine.map((e) => e.type), ['link.created', 'link.updated', 'link.deleted']);
    assert.deepEqual(mine[0].data, created.body);
    assert.deepEqual(mine[1].data, { ...updated.body, rules: [] }, 'link.updated also carries the link’s routing rules');
    assert.deepEqual(mine[2].data, updated.body, 'link.deleted carries the link as it was');
    assert.match(mine[0].id, /^msg_/);

    assert.deepEqual(changes, [
      { id, domain: TEST_DOMAIN, slug: 'events-1', kind: 'created' },
      { id, domain: TEST_DOMAIN, slug: 'events-1', kind: 'updated' },
      { id, domain: TEST_DOMAIN, slug: 'events-1', kind: 'deleted' },
    ]);
  });

  test('a deleted slug can be taken again; the new link is a new id', async () => {
    const first = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/1', slug: 'reusable' } });
    await t.api('DELETE', `/api/v1/links/${first.body.id}`);
    const second = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/2', slug: 'reusable' } });
    assert.equal(second.status, 201, second.text);
    assert.notEqual(second.body.id, first.body.id);
  });

  test('clicks counted elsewhere show in the link object', async () => {
    const created = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/c', tags: ['counted'] } });
    await db()('links').where({ id: created.body.id }).update({ clicks: 142 });
    assert.equal((await t.api('GET', `/api/v1/links/${created.body.id}`)).body.clicks, 142);
    const tagRow = await db()('link_tags').where({ link_id: created.body.id }).first();
    assert.equal(tagRow.clicks, 142, 'the tag index follows the click count');
  });
});
