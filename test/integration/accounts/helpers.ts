import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EngineOptions } from '../../../engine';
import type { Role } from '../../../engine/domain/members';
import type { Clock } from '../../../engine/support/time';
import { startTestEngine, type ApiResponse, type TestEngine } from '../../support/engine';

export const PASSWORD = 'correct horse battery';
export const INDEX_HTML = '<!doctype html>\n<html><head><meta charset="utf-8"><title>MASK</title><script type="module" src="./assets/app-3f9a1c2b.js"></script></head><body><div id="root"></div></body></html>\n';

/** A built dashboard in a temporary folder: index.html and one hashed asset. */
export function fakeDashboard(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-dashboard-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(dir, 'assets', 'app-3f9a1c2b.js'), 'console.log("mask");\n');
  fs.writeFileSync(path.join(dir, 'assets', 'favicon-BQ7wiq-Y.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(dir, 'assets', 'apple-touch-icon.png'), 'png');
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

/** A clock the test can move forward. */
export function movableClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

export async function startAccountsEngine(options: EngineOptions = {}): Promise<TestEngine> {
  return startTestEngine({ dashboardDir: fakeDashboard(), anonymousRateLimitPerMinute: 100_000, ...options });
}

/** The session cookie a response sets: name, value and attributes (lower-cased). */
export function sessionCookie(response: ApiResponse): { name: string; value: string; attributes: string[] } {
  const cookies = response.headers.getSetCookie().filter((c) => /^(__Host-)?mask_session=/.test(c));
  assert.equal(cookies.length, 1, `one session cookie: ${JSON.stringify(response.headers.getSetCookie())}`);
  const [pair, ...attributes] = cookies[0].split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes: attributes.map((a) => a.toLowerCase()) };
}

/** A browser with one session: sends its cookie (and, for writes, its CSRF token unless told not to). */
export class Browser {
  cookie: string | null = null;
  csrf: string | null = null;

  constructor(private readonly t: TestEngine) {}

  async call(method: string, urlPath: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; csrf?: boolean } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie ??= `mask_session=${this.cookie}`;
    const write = method !== 'GET' && method !== 'HEAD';
    if (write && options.csrf !== false && this.csrf) headers['x-csrf-token'] ??= this.csrf;
    if (options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
    const response = await this.t.api(method, urlPath, { key: null, body: options.body, rawBody: options.rawBody, headers });
    if (response.headers.getSetCookie().some((c) => c.startsWith('mask_session='))) {
      const value = sessionCookie(response).value;
      this.cookie = value || null;
    }
    if (response.status === 200 && typeof response.body?.csrf_token === 'string') this.csrf = response.body.csrf_token;
    return response;
  }

  async login(email: string, password = PASSWORD): Promise<ApiResponse> {
    const response = await this.call('POST', '/api/v1/auth/login', { body: { email, password } });
    assert.equal(response.status, 200, response.text);
    return response;
  }
}

let people = 0;
export const uniqueEmail = (label = 'user') => `${label}.${process.pid}.${++people}@example.com`;

/** A user with a password, member of `workspaceId` with `role`, signed in. */
export async function signedIn(t: TestEngine, role: Role = 'owner', workspaceId = t.workspace.id, email = uniqueEmail(role)): Promise<{ browser: Browser; email: string; userId: string }> {
  const { user } = await t.parts.accounts.createUser({ email, name: `A ${role}`, workspaceId, role, password: PASSWORD });
  const browser = new Browser(t);
  await browser.login(email);
  return { browser, email, userId: user.id };
}

/** Asserts the seed error envelope and returns its code. */
export function assertEnvelope(response: ApiResponse, status: number, code?: string): void {
  assert.equal(response.status, status, response.text);
  assert.equal(typeof response.body?.error?.code, 'string', response.text);
  assert.equal(typeof response.body.error.message, 'string');
  if (code) assert.equal(response.body.error.code, code, response.text);
}
