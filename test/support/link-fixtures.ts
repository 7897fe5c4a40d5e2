// Links for redirect and click tests, inserted straight into the table until the Links API is merged; then these
// helpers can call the API instead. Changes are announced on `linkChanges` the way the Links API does after a commit.
import { randomBytes } from 'node:crypto';
import type { Engine } from '../../engine';
import type { Mode } from '../../engine/domain/scopes';
import { hashPassword } from '../../engine/support/crypto';
import { newId } from '../../engine/support/ids';
import { TEST_DOMAIN } from './engine';
import { partsOf } from '../../engine/wiring';

export interface LinkInput {
  workspaceId: string;
  url?: string;
  domain?: string;
  slug?: string;
  mode?: Mode;
  utm_source?: string | null;
  utm_medium?: string | null;
  utm_campaign?: string | null;
  ios_target?: string | null;
  android_target?: string | null;
  starts_at?: number | null;
  expires_at?: number | null;
  max_clicks?: number | null;
  password?: string | null;
}

export interface TestLink {
  id: string;
  domain: string;
  slug: string;
  url: string;
  path: string;
}

export const randomSlug = (): string => `t${randomBytes(6).toString('hex')}`;

export async function createLink(engine: Engine, input: LinkInput): Promise<TestLink> {
  const now = Date.now();
  const { workspaceId, password, ...fields } = input;
  const row = {
    id: newId('lnk', now),
    workspace_id: workspaceId,
    mode: fields.mode ?? 'live',
    domain: fields.domain ?? TEST_DOMAIN,
    slug: fields.slug ?? randomSlug(),
    url: fields.url ?? 'https://example.com/landing',
    utm_source: fields.utm_source ?? null,
    utm_medium: fields.utm_medium ?? null,
    utm_campaign: fields.utm_campaign ?? null,
    ios_target: fields.ios_target ?? null,
    android_target: fields.android_target ?? null,
    starts_at: fields.starts_at ?? null,
    expires_at: fields.expires_at ?? null,
    max_clicks: fields.max_clicks ?? null,
    password_hash: password ? await hashPassword(password) : null,
    password_version: password ? 1 : 0,
    clicks: 0,
    created_at: now,
    updated_at: now,
  };
  await partsOf(engine).db('links').insert(row);
  partsOf(engine).linkChanges.publish({ id: row.id, domain: row.domain, slug: row.slug, kind: 'created' });
  return { id: row.id, domain: row.domain, slug: row.slug, url: row.url, path: `/${row.slug}` };
}

/** Updates a link the way the Links API will: a new password bumps its version, then the change is announced. */
export async function updateLink(engine: Engine, link: TestLink, patch: Omit<Partial<LinkInput>, 'workspaceId' | 'slug' | 'domain'>): Promise<void> {
  const { db, linkChanges } = partsOf(engine);
  const { password, ...fields } = patch;
  const change: Record<string, unknown> = { ...fields, updated_at: Date.now() };
  if (password !== undefined) {
    change.password_hash = password ? await hashPassword(password) : null;
    change.password_version = db.raw('password_version + 1');
  }
  await db('links').where({ id: link.id }).update(change);
  linkChanges.publish({ id: link.id, domain: link.domain, slug: link.slug, kind: 'updated' });
}

export async function deleteLink(engine: Engine, link: TestLink): Promise<void> {
  await partsOf(engine).db('links').where({ id: link.id }).delete();
  partsOf(engine).linkChanges.publish({ id: link.id, domain: link.domain, slug: link.slug, kind: 'deleted' });
}

export async function addDomain(engine: Engine, workspaceId: string, hostname: string, secure = true): Promise<void> {
  await partsOf(engine).db('domains').insert({ id: newId('dom'), workspace_id: workspaceId, hostname, secure, is_default: false, created_at: Date.now() });
}
