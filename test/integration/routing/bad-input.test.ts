import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { routingHelpers } from './support';

const fields = (body: { error: { details: Array<{ field: string }> } }) => body.error.details.map((detail) => detail.field).sort();

describe('smart routing: bad input is a 422 naming each problem, and nothing is half-written', () => {
  let t: TestEngine;
  let linkId: string;
  const { createLink, addRule } = routingHelpers(() => t);
  const rulesOf = async (id: string) => (await t.api('GET', `/api/v1/links/${id}/rules`)).body.data;

  before(async () => {
    t = await startTestEngine();
    linkId = (await createLink()).id;
    await addRule(linkId, { conditions: [{ type: 'country', values: ['US'] }], url: 'https://example.com/us' });
  });
  after(() => t.stop());

  const cases: Array<[string, unknown, string[]]> = [
    ['unknown condition type', { conditions: [{ type: 'weather', values: ['rain'] }], url: 'https://example.com/x' }, ['conditions.0.type']],
    ['unknown country', { conditions: [{ type: 'country', values: ['US', 'XX'] }], url: 'https://example.com/x' }, ['conditions.0.values.1']],
    ['unknown language', { conditions: [{ type: 'language', values: ['qq', 'de'] }], url: 'https://example.com/x' }, ['conditions.0.values.0']],
    ['unknown device', { conditions: [{ type: 'device', values: ['fridge'] }], url: 'https://example.com/x' }, ['conditions.0.values.0']],
    ['time window ending before it starts', { conditions: [{ type: 'time', start: '18:00', end: '09:00' }], url: 'https://example.com/x' }, ['conditions.0.end']],
    ['unknown time zone', { conditions: [{ type: 'time', start: '09:00', end: '18:00', timezone: 'Mars/Olympus' }], url: 'https://example.com/x' }, ['conditions.0.timezone']],
    ['time that is no time', { conditions: [{ type: 'time', start: 'tomorrow', end: '2026-02-30T10:00' }], url: 'https://example.com/x' }, ['conditions.0.end', 'conditions.0.start']],
    ['impossible timestamps, not rolled over', { conditions: [{ type: 'time', start: '2026-12-07T09:61', end: '2026-02-30T10:00Z' }], url: 'https://example.com/x' }, ['conditions.0.end', 'conditions.0.start']],
    ['bad day', { conditions: [{ type: 'time', start: '09:00', end: '18:00', days: ['funday'] }], url: 'https://example.com/x' }, ['conditions.0.days.0']],
    ['weights not adding up to 100', { conditions: [{ type: 'bot' }], url: 'https://example.com/x', variants: [{ url: 'https://example.com/a', weight: 50 }, { url: 'https://example.com/b', weight: 40 }] }, ['variants']],
    ['overlapping variants', { conditions: [{ type: 'bot' }], url: 'https://example.com/x', variants: [{ url: 'https://example.com/a', weight: 50 }, { url: 'https://example.com/a', weight: 50 }] }, ['variants.1.url']],
    ['one variant', { conditions: [{ type: 'bot' }], url: 'https://example.com/x', variants: [{ url: 'https://example.com/a', weight: 100 }] }, ['variants']],
    ['destination failing the URL rules', { conditions: [{ type: 'bot' }], url: 'javascript:alert(1)' }, ['url']],
    ['no conditions', { conditions: [], url: 'https://example.com/x' }, ['conditions']],
    ['unknown field', { conditions: [{ type: 'bot', colour: 'red' }], url: 'https://example.com/x', weight: 3 }, ['conditions.0.colour', 'weight']],
  ];
  for (const [name, body, expected] of cases) {
    test(`${name} → 422 naming ${expected.join(', ')}`, async () => {
      const response = await t.api('POST', `/api/v1/links/${linkId}/rules`, { body });
      assert.equal(response.status, 422, response.text);
      assert.equal(response.body.error.code, 'validation_error');
      assert.deepEqual(fields(response.body), expected);
    });
  }

  test('every broken condition of a rule is listed at once', async () => {
    const response = await t.api('POST', `/api/v1/links/${linkId}/rules`, {
      body: {
        conditions: [{ type: 'nope' }, { type: 'country', values: ['ZZ'] }, { type: 'language', values: ['xx-YY'] }, { type: 'time', start: '25:00', end: '10:00', timezone: 'Nowhere/City' }],
        url: 'ftp://example.com',
        variants: [{ url: 'https://example.com/a', weight: 10 }, { url: 'https://example.com/b', weight: 10 }],
      },
    });
    assert.equal(response.status, 422);
    assert.deepEqual(fields(response.body), ['conditions.0.type', 'conditions.1.values.0', 'conditions.2.values.0', 'conditions.3.start', 'conditions.3.timezone', 'url', 'variants']);
    assert.equal((await rulesOf(linkId)).length, 1);
  });

  test('link variants and preview are checked the same way on links', async () => {
    const response = await t.api('POST', '/api/v1/links', {
      body: { url: 'https://example.com', variants: [{ url: 'https://example.com/a', weight: 70 }, { url: 'http://example.com/b', weight: 20 }], preview: { title: 'x', image_url: 'data:image/png;base64,AA' } },
    });
    assert.equal(response.status, 422);
    assert.deepEqual(fields(response.body), ['preview.image_url', 'variants', 'variants.1.url']);
  });

  test('more than 50 rules: the 51st is refused, and a replace with 51 writes nothing', async () => {
    const link = await createLink();
    const rule = (i: number) => ({ conditions: [{ type: 'query', name: 'n', value: String(i) }], url: `https://example.com/${i}` });
    const fifty = await t.api('PUT', `/api/v1/links/${link.id}/rules`, { body: { rules: Array.from({ length: 50 }, (_, i) => rule(i)) } });
    assert.equal(fifty.status, 200, fifty.text);
    const more = await t.api('POST', `/api/v1/links/${link.id}/rules`, { body: rule(50) });
    assert.equal(more.status, 422);
    assert.deepEqual(fields(more.body), ['rules']);
    const tooMany = await t.api('PUT', `/api/v1/links/${link.id}/rules`, { body: { rules: Array.from({ length: 51 }, (_, i) => rule(i + 100)) } });
    assert.equal(tooMany.status, 422);
    assert.deepEqual(fields(tooMany.body), ['rules']);
    const kept = await rulesOf(link.id);
    assert.equal(kept.length, 50);
    assert.equal(kept[0].url, 'https://example.com/0');
  });

  test('a replace with one bad rule among good ones writes nothing', async () => {
    const before = await rulesOf(linkId);
    const response = await t.api('PUT', `/api/v1/links/${linkId}/rules`, {
      body: { rules: [{ conditions: [{ type: 'bot' }], url: 'https://example.com/ok' }, { conditions: [{ type: 'country', values: ['XX'] }], url: 'https://example.com/bad' }] },
    });
    assert.equal(response.status, 422);
    assert.deepEqual(fields(response.body), ['rules.1.conditions.0.values.0']);
    assert.deepEqual(await rulesOf(linkId), before);
  });

  test('reorder must list every rule once', async () => {
    const link = await createLink();
    const a = await addRule(link.id, { conditions: [{ type: 'bot' }], url: 'https://example.com/a' });
    const b = await addRule(link.id, { conditions: [{ type: 'bot' }], url: 'https://example.com/b' });
    const stranger = await addRule(linkId, { conditions: [{ type: 'bot' }], url: 'https://example.com/s' });
    const response = await t.api('POST', `/api/v1/links/${link.id}/rules/reorder`, { body: { rule_ids: [a.id, a.id, stranger.id] } });
    assert.equal(response.status, 422);
    assert.deepEqual(fields(response.body), ['rule_ids', 'rule_ids.1', 'rule_ids.2']);
    assert.deepEqual((await rulesOf(link.id)).map((rule: { id: string }) => rule.id), [a.id, b.id]);
  });

  test('analytics refuses an unknown group_by and accepts rule and variant', async () => {
    assert.equal((await t.api('GET', '/api/v1/analytics?group_by=rules')).status, 422);
    assert.equal((await t.api('GET', '/api/v1/analytics?group_by=variant')).status, 200);
  });
});
