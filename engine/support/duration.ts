const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `5s`, `30m`, `2h`, `5d` (or a bare number of milliseconds) → milliseconds; null when not a duration. */
export function parseDuration(value: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!match) return null;
  const ms = Number(match[1]) * UNITS[match[2] ?? 'ms'];
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

/** The shortest exact spelling of a duration, for messages and documentation: 300000 → `5m`. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) if (ms >= UNITS[unit] && ms % UNITS[unit] === 0) return `${ms / UNITS[unit]}${unit}`;
  return `${ms}ms`;
}
