import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvLine } from '../../engine/analytics/export';
import { dateInputProblem, instantOf } from '../../engine/analytics/range';
import { TimeZone, type Interval } from '../../engine/analytics/zone';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const zone = (name: string) => TimeZone.of(name) as TimeZone;
const bounds = (name: string, interval: Interval, from: string, to: string) => zone(name).boundaries(interval, Date.parse(from), Date.parse(to)).map(iso);

describe('time-zone buckets', () => {
  test('New York: the fall-back day lasts 25 hours, the spring-forward day 23; both 01:00 hours are hours of their own', () => {
    assert.deepEqual(bounds('America/New_York', 'day', '2026-11-01T12:00:00Z', '2026-11-02T12:00:00Z'), ['2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', '2026-11-03T05:00:00Z']);
    assert.deepEqual(bounds('America/New_York', 'day', '2026-03-08T12:00:00Z', '2026-03-08T13:00:00Z'), ['2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z']);
    assert.deepEqual(bounds('America/New_York', 'hour', '2026-11-01T05:00:00Z', '2026-11-01T07:00:00Z'), ['2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z']);
    assert.deepEqual(bounds('America/New_York', 'hour', '2026-03-08T06:00:00Z', '2026-03-08T08:00:00Z'), ['2026-03-08T06:00:00Z', '2026-03-08T07:00:00Z', '2026-03-08T08:00:00Z']);
  });

  test('half- and quarter-hour zones: Kolkata (+05:30), Kathmandu (+05:45), Newfoundland (−03:30 with DST)', () => {
    assert.deepEqual(bounds('Asia/Kolkata', 'hour', '2026-11-01T18:00:00Z', '2026-11-01T19:00:00Z'), ['2026-11-01T17:30:00Z', '2026-11-01T18:30:00Z', '2026-11-01T19:30:00Z']);
    assert.deepEqual(bounds('Asia/Kathmandu', 'day', '2026-11-01T00:00:00Z', '2026-11-01T01:00:00Z'), ['2026-10-31T18:15:00Z', '2026-11-01T18:15:00Z']);
    assert.deepEqual(bounds('America/St_Johns', 'day', '2026-11-01T12:00:00Z', '2026-11-02T12:00:00Z'), ['2026-11-01T02:30:00Z', '2026-11-02T03:30:00Z', '2026-11-03T03:30:00Z']);
  });

  test('Lord Howe moves its clocks by 30 minutes: the hour it skips into is 90 minutes long', () => {
    assert.deepEqual(bounds('Australia/Lord_Howe', 'hour', '2026-10-03T14:30:00Z', '2026-10-03T16:30:00Z'), ['2026-10-03T14:30:00Z', '2026-10-03T16:00:00Z', '2026-10-03T17:00:00Z']);
  });

  test('Santiago springs forward at midnight: that day starts at 01:00', () => {
    assert.deepEqual(bounds('America/Santiago', 'day', '2026-09-06T12:00:00Z', '2026-09-06T13:00:00Z'), ['2026-09-06T04:00:00Z', '2026-09-07T03:00:00Z']);
  });

  test('weeks start on Monday and months on the 1st, on the zone’s calendar', () => {
    assert.deepEqual(bounds('Europe/Berlin', 'week', '2026-11-01T12:00:00Z', '2026-11-02T12:00:00Z'), ['2026-10-25T23:00:00Z', '2026-11-01T23:00:00Z', '2026-11-08T23:00:00Z'] /* Monday Oct 26, after summer time ended on the 25th */);
    assert.deepEqual(bounds('Pacific/Auckland', 'month', '2026-12-31T12:00:00Z', '2026-12-31T13:00:00Z'), ['2026-12-31T11:00:00Z', '2027-01-31T11:00:00Z']);
  });

  test('names: IANA zones in any case, as given; anything else is unknown', () => {
    assert.equal(zone('asia/kolkata').name, 'asia/kolkata');
    assert.equal(zone('Asia/Kolkata').name, 'Asia/Kolkata');
    assert.equal(zone('utc').name, 'UTC');
    for (const name of ['Mars/Olympus_Mons', '', '+05:30', '../../etc/passwd', 'a'.repeat(70)]) assert.equal(TimeZone.of(name), null, name);
  });
});

describe('date inputs', () => {
  test('dates and zone-less times are read on the zone’s clock; zoned times as they are', () => {
    const ny = zone('America/New_York');
    assert.equal(iso(instantOf('2026-11-01', ny)), '2026-11-01T04:00:00Z');
    assert.equal(iso(instantOf('2026-11-01T01:30', ny)), '2026-11-01T05:30:00Z', 'the first 01:30 of the night clocks fall back');
    assert.equal(iso(instantOf('2026-03-08T02:30', ny)), '2026-03-08T07:00:00Z', 'a time clocks skip: the end of the gap');
    assert.equal(new Date(instantOf('2026-11-01T00:00:00.5+05:30', ny)).toISOString(), '2026-10-31T18:30:00.500Z');
  });

  test('malformed or impossible dates are refused', () => {
    for (const text of ['2026-11-01', '2026-11-01T09:30', '2026-11-01T09:30:15.123456789Z', '2026-11-01T09:30:00-03:00']) assert.equal(dateInputProblem(text), null, text);
    for (const text of ['2026-02-29', '2026-13-01', '2026-11-01T24:00', '2026-11-01 09:30', '1730419200', 'now', '2026-11-01T09:30:00+5']) assert.notEqual(dateInputProblem(text), null, text);
  });
});

test('CSV fields: quoted when they hold a comma, quote, CR or LF; quotes doubled; null empty', () => {
  assert.equal(csvLine(['plain', null, true, 'a,b', 'say "hi"', 'two\nlines', 'cr\r']), 'plain,,true,"a,b","say ""hi""","two\nlines","cr\r"\r\n');
});
