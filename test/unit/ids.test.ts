import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasPrefix, IdSequence, newId } from '../../engine/support/ids';

describe('ids', () => {
  test('prefixed, 26 characters, sortable by time', () => {
    const early = newId('lnk', Date.UTC(2026, 0, 1));
    const late = newId('lnk', Date.UTC(2026, 0, 2));
    assert.match(early, /^lnk_[0-9a-z]{26}$/);
    assert.ok(early < late);
    assert.ok(hasPrefix(early, 'lnk'));
    assert.ok(!hasPrefix(early, 'ws'));
  });

  test('unique under a burst in one millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('clk', 1)));
    assert.equal(ids.size, 10_000);
  });

  test('a sequence counts up within a millisecond and draws afresh at the next, in the same format', () => {
    const sequence = new IdSequence('req');
    const burst = Array.from({ length: 10_000 }, () => sequence.next(5));
    assert.equal(new Set(burst).size, 10_000);
    assert.deepEqual([...burst].sort(), burst, 'ascending within the millisecond');
    for (const id of burst) assert.ok(hasPrefix(id, 'req'));
    const later = sequence.next(6);
    assert.ok(later > burst[burst.length - 1]);
    // The first 40 random bits: a sequence that kept counting across milliseconds would leave them as they were.
    const leading = (id: string) => id.slice(14, 22);
    assert.notEqual(leading(later), leading(burst[burst.length - 1]), 'a new millisecond starts from fresh randomness');
    assert.notEqual(leading(sequence.next(7)), leading(later), 'and so does the one after');
  });
});
