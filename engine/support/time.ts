/** The engine's clock; injected so domain code never calls Date.now() directly. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const toIso = (value: Date | string | number | null | undefined): string | null => {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
};

export const unixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
