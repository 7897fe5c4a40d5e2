import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bucketOf, bucketTable } from '../../engine/domain/routing/buckets';
import { countryCode, languageTag } from '../../engine/domain/routing/codes';
import { variantLabel } from '../../engine/domain/routing/labels';
import { TimeZone } from '../../engine/analytics/zone';
import { compileCondition, instantOf, type VisitFacts } from '../../engine/domain/routing/match';

const facts = (overrides: Partial<VisitFacts> = {}): VisitFacts => ({
  now: Date.parse('2026-12-07T08:30:00Z'), // a Monday; 09:30 in Berlin, 14:00 in Kolkata
  country: () => null,
  device: () => 'desktop',
  os: () => null,
  browser: () => null,
  bot: () => false,
  languages: () => [],
  query: () => [],
  referrerHost: () => null,
  ...overrides,
});

describe('smart routing: buckets, codes and conditions', () => {
  test('buckets spread evenly and never change for the same visitor', () => {
    const counts = new Array<number>(100).fill(0);
    for (let i = 0; i < 100_000; i++) counts[bucketOf('lnk_x', `10.0.${i >> 8}.${i & 255}`, 'UA')]++;
    assert.ok(Math.min(...counts) > 850 && Math.max(...counts) < 1150, `${Math.min(...counts)}–${Math.max(...counts)}`);
    // Pinned: every process and every release must put a visitor in the same bucket, or visitors change variant.
    assert.deepEqual(
      [bucketOf('lnk_x', '1.2.3.4', 'UA'), bucketOf('lnk_y', '1.2.3.4', 'UA'), bucketOf('lnk_x', '1.2.3.5', 'UA'), bucketOf('rule_01', '2001:db8::1', 'Mozilla/5.0')],
      [33, 5, 90, 99],
    );
  });

  test('buckets go to variants in order, so a weight change moves only the shifted boundary', () => {
    const before = bucketTable([{ weight: 33 }, { weight: 33 }, { weight: 34 }]);
    const after = bucketTable([{ weight: 33 }, { weight: 43 }, { weight: 24 }]);
    const moved = [...before.keys()].filter((b) => before[b] !== after[b]);
    assert.deepEqual(moved, [66, 67, 68, 69, 70, 71, 72, 73, 74, 75]);
    assert.ok(moved.every((b) => before[b] === 2 && after[b] === 1));
  });

  test('country codes and language tags are checked against ISO 3166-1 and known languages', () => {
    assert.equal(countryCode('de'), 'DE');
    assert.equal(countryCode('XX'), null);
    assert.equal(countryCode('EU'), null);
    assert.equal(languageTag('en-us'), 'en-US');
    assert.equal(languageTag('zh-Hant-TW'), 'zh-Hant-TW');
    assert.equal(languageTag('qq'), null);
    assert.equal(languageTag('en-ZZ'), null);
    assert.equal(languageTag('x-klingon'), null);
  });

  test('time windows follow the zone’s clock and days', () => {
    const window = (start: string, end: string, timezone: string, days?: Array<'mon' | 'tue'>) => compileCondition({ type: 'time', start, end, timezone, days })(facts());
    assert.equal(window('09:00', '10:00', 'Europe/Berlin'), true);
    assert.equal(window('09:00', '10:00', 'UTC'), false);
    assert.equal(window('13:30', '14:30', 'Asia/Kolkata', ['mon']), true);
    assert.equal(window('13:30', '14:30', 'Asia/Kolkata', ['tue']), false);
    assert.equal(window('2026-12-07T08:00:00Z', '2026-12-07T09:00:00Z', 'UTC'), true);
    assert.equal(window('2026-12-07T09:00', '2026-12-07T10:00', 'Europe/Berlin'), true, 'local date and time read in the zone');
    assert.equal(window('2026-12-07T09:00', '2026-12-07T10:00', 'UTC'), false);
  });

  test('time window instants: impossible dates and times are refused, not rolled over into the next ones', () => {
    const berlin = TimeZone.of('Europe/Berlin') as TimeZone;
    assert.equal(instantOf('2026-12-07T09:30', berlin), Date.parse('2026-12-07T08:30:00Z'));
    assert.equal(instantOf('2026-12-07T09:30:15.5+01:00', berlin), Date.parse('2026-12-07T08:30:15.500Z'));
    for (const impossible of ['2026-02-30T10:00Z', '2026-02-30T10:00', '2026-12-07T09:61', '2026-12-07T24:00Z', '2026-12-07T09:00:60Z', '2026-12-07', 'tomorrow']) {
      assert.equal(instantOf(impossible, berlin), null, impossible);
    }
  });

  test('language matches the most preferred tag, regional forms included', () => {
    const french = compileCondition({ type: 'language', values: ['fr'] });
    assert.equal(french(facts({ languages: () => ['fr-ch', 'en'] })), true);
    assert.equal(french(facts({ languages: () => ['en', 'fr'] })), false);
    assert.equal(compileCondition({ type: 'language', values: ['pt-BR'] })(facts({ languages: () => ['pt'] })), false);
  });

  test('referrer hosts match subdomains, not look-alikes', () => {
    const x = compileCondition({ type: 'referrer', values: ['t.co'] });
    assert.equal(x(facts({ referrerHost: () => 'mobile.t.co' })), true);
    assert.equal(x(facts({ referrerHost: () => 'nott.co' })), false);
  });

  test('long variant URLs get a bounded label that still tells them apart', () => {
    const long = `https://example.com/${'a'.repeat(300)}`;
    assert.equal(variantLabel('https://example.com/a'), 'https://example.com/a');
    assert.equal(variantLabel(`${long}1`).length, 253);
    assert.notEqual(variantLabel(`${long}1`), variantLabel(`${long}2`));
  });
});
