import v8 from 'node:v8';

/**
 * Limits how far V8 lets a serving process's old generation grow before it collects it again: after a collection
 * the limit is the live heap plus `percent`%, instead of V8's own factor (up to 4×). Under load, each redirect leaves
 * a little garbage behind in the old generation (a buffered click lives past two young-generation collections), and
 * with V8's factor an engine with 40 MB live ran up to about 330 MB RSS before the collection came. Tighter growth
 * means more frequent (mostly concurrent) collections, a little CPU. 0 keeps V8's default.
 *
 * The flag is process-wide, so only `mask start` sets it, not an engine embedded in someone else's process.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
