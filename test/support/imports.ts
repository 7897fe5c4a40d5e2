import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiResponse, TestEngine } from './engine';

export const FIXTURES = path.join(__dirname, '..', 'integration', 'imports', 'fixtures');

export const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES, name));

const CONTENT_TYPES: Record<string, string> = { '.csv': 'text/csv', '.json': 'application/octet-stream' };

/** Uploads `file` as the raw body of POST /imports with `options` in the query string. */
export async function upload(t: TestEngine, options: Record<string, string>, file: Buffer | string, contentType = 'text/csv', key?: string): Promise<ApiResponse> {
  const query = new URLSearchParams(options).toString();
  const response = await fetch(`${t.baseUrl}/api/v1/imports?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key ?? t.adminKey}`, 'content-type': contentType },
    body: file,
  });
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** Polls the job until it has finished, and answers it. */
export async function finished(t: TestEngine, id: string, key?: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await t.api('GET', `/api/v1/imports/${id}`, { key });
    assert.equal(job.status, 200, job.text);
    if (job.body.status === 'completed' || job.body.status === 'failed') return job.body;
    if (Date.now() > deadline) throw new Error(`import ${id} still ${job.body.status} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Imports a fixture file and waits for the final report. */
export async function importFixture(t: TestEngine, source: string, name: string, options: Record<string, string> = {}, key?: string): Promise<any> {
  const type = CONTENT_TYPES[path.extname(name)] ?? 'text/csv';
  const response = await upload(t, { source, ...options }, fixture(name), type, key);
  assert.equal(response.status, 202, response.text);
  return finished(t, response.body.id, key);
}
