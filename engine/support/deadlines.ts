/**
 * `promise`, or a rejection with `new Error(message)` when it has not settled `ms` after the call. When the timer
 * fires it first lets the event loop read pending I/O once (setImmediate runs after the poll phase), so an answer that
 * arrived during a stall of this process still wins: only a peer that really did not answer counts as too slow.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => setImmediate(() => reject(new Error(message))), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when `promise` settles (either way) within `ms` (as withDeadline counts it); false when it is still pending then. */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return withDeadline(promise.then(() => true, () => true), ms, 'still pending').catch(() => false);
}
