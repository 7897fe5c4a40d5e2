import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { describe, test } from 'node:test';
import { settlesWithin, withDeadline } from '../../engine/support/deadlines';

const never = () => new Promise<never>(() => undefined);
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
/** Holds the event loop, as a long synchronous task or a GC pause of this process would. */
const stall = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('deadlines', () => {
  test('withDeadline gives the answer that comes in time, and its rejection as it is, and leaves no timer behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    assert.equal(await withDeadline(after(5, 'answer'), 60_000, 'too slow'), 'answer');
    await assert.rejects(withDeadline(Promise.reject(new Error('refused')), 60_000, 'too slow'), /refused/);
    assert.equal(timers(), before, 'a minute-long deadline timer still holds the process');
  });

  test('withDeadline rejects with its message when nothing comes, not before its deadline', async () => {
    const started = performance.now();
    await assert.rejects(withDeadline(never(), 30, 'the peer did not answer'), { message: 'the peer did not answer' });
    assert.ok(performance.now() - started >= 29);
  });

  test('an answer that arrived while this process was stalled past the deadline still wins', async () => {
    // Started from the check phase, so the next phase after the stall is the timers phase, where the deadline fires;
    // the one thread-pool request, done during the stall, is read in the poll phase after it.
    await new Promise((resolve) => setImmediate(resolve));
    const answer = fs.stat(__filename).then(() => 'answer');
    const raced = withDeadline(answer, 20, 'too slow');
    stall(100);
    assert.equal(await raced, 'answer');
  });

  test('settlesWithin tells whether the promise settled in time, either way', async () => {
    assert.equal(await settlesWithin(after(5, 'x'), 1000), true);
    assert.equal(await settlesWithin(Promise.reject(new Error('refused')), 1000), true);
    assert.equal(await settlesWithin(never(), 20), false);
  });
});
