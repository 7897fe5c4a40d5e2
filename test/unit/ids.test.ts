import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasPrefix, newId } from '../../engine/support/ids';

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
});
