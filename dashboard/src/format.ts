import type { Link } from './api';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const number = new Intl.NumberFormat();

export const formatDateTime = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '—');
export const formatDate = (iso: string | null | undefined): string => (iso ? dateOnly.format(new Date(iso)) : '—');
export const formatNumber = (value: number): string => number.format(value);

export type LinkStatus = 'active' | 'scheduled' | 'expired' | 'capped';

/** What a visitor gets now: derived from the schedule and the click cap (a password is shown beside it). */
export function linkStatus(link: Link, now = Date.now()): LinkStatus {
  if (link.expires_at && Date.parse(link.expires_at) <= now) return 'expired';
  if (link.max_clicks !== null && link.clicks >= link.max_clicks) return 'capped';
  if (link.starts_at && Date.parse(link.starts_at) > now) return 'scheduled';
  return 'active';
}

const pad = (value: number) => String(value).padStart(2, '0');

/** `<input type="datetime-local">` value (local time) of an ISO instant. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** ISO instant (UTC, with `Z`) of a datetime-local value read in the browser's zone; null when empty. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

/** ISO instant of local midnight starting `date` (`YYYY-MM-DD`), plus `days`. */
export function localMidnight(date: string, days = 0): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y, m - 1, d + days).toISOString();
}

/** `YYYY-MM-DD` of a date plus `days`, as a calendar date (no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + days));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Host and path of a URL, for compact display. */
export function displayUrl(url: string): string {
  return url.replace(/^https?:\/\//, '');
}
