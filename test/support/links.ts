import assert from 'node:assert/strict';
import type { ApiResponse } from './engine';

/** Every field of the public link object: seed 000's plus starts_at, max_clicks, notes, password_protected, and smart routing's variants and preview. */
export const LINK_FIELDS = [
  'id',
  'url',
  'short_url',
  'slug',
  'domain',
  'title',
  'tags',
  'clicks',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'starts_at',
  'expires_at',
  'max_clicks',
  'password_protected',
  'ios_target',
  'android_target',
  'notes',
  'external_id',
  'imported_clicks',
  'variants',
  'preview',
  'folder_id',
  'campaign_id',
  'utm_term',
  'utm_content',
  'track_conversions',
  'pixel_ids',
  'created_at',
  'updated_at',
].sort();

/** A seed's example date, moved on by whole years once it has passed, so the example stays a valid request. */
export function stillFuture(iso: string): string {
  const date = new Date(iso);
  while (date.getTime() <= Date.now()) date.setUTCFullYear(date.getUTCFullYear() + 1);
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

export const isoIn = (ms: number): string => new Date(Date.now() + ms).toISOString();

/** The fields named in a validation error, sorted. */
export function detailFields(response: ApiResponse): string[] {
  return (response.body?.error?.details ?? []).map((d: { field: string }) => d.field).sort();
}

export function assertValidation(response: ApiResponse, fields: string[]): void {
  assert.equal(response.status, 422, response.text);
  assert.equal(response.body.error.code, 'validation_error');
  assert.deepEqual(detailFields(response), [...fields].sort(), response.text);
}
