// A seeded sweep of the whole REST API, driven by the engine's own OpenAPI document: every operation, each body
// field, query parameter and path parameter set to values no client should send (null, [null], {}, a wrong type,
// NUL and other control characters, over-long strings, …), one at a time and then in random combinations. Whatever
// is sent, the engine must never answer 5xx, and every 4xx must be the seed-001 error envelope.
// FUZZ_SEED picks another seed (the default is fixed so a run is reproducible); FUZZ_CASES another case count.
// One engine serves the whole sweep; cases are built once up front and sent over keep-alive connections (SweepClient).
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { servedContract, type ResponseContract } from '../../support/openapi-contract';

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const MIN_CASES = Number(process.env.FUZZ_CASES ?? 5000);
const CONCURRENCY = 8;
const OVERLONG = 10_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: any };

interface Operation {
  method: string;
  path: string;
  params: Array<{ name: string; in: 'path' | 'query'; required: boolean; schema: Schema }>;
  body: Schema | null;
}

interface Case {
  label: string;
  method: string;
  path: string;
  /** Raw query string, already encoded (so it can carry what encodeURIComponent cannot produce). */
  query: string;
  body?: Json;
  rawBody?: string;
}

/** mulberry32: small, seeded, good enough to pick cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The JSON body values tried in place of a field: none of them is what any field wants. */
const BODY_VARIANTS: Array<[string, (schema: Schema) => Json]> = [
  ['null', () => null],
  ['[null]', () => [null]],
  ['{}', () => ({})],
  ['wrong type', (schema) => wrongType(schema)],
  ['NUL', () => 'a\u0000b'],
  ['control', () => '\u0001x\u001b'],
  ['over-long', () => 'x'.repeat(OVERLONG)],
  ['[]', () => []],
  ['[{}]', () => [{}]],
  ['true', () => true],
  ['-1', () => -1],
  ['1e308', () => 1e308],
  ['empty string', () => ''],
  ['operator object', () => ({ $ne: 1 })],
  ['deep', () => JSON.parse('['.repeat(40) + ']'.repeat(40)) as Json],
];

/** Query and path values, percent-encoded as sent; the last ones are not even valid UTF-8 or are odd syntax. */
const RAW_VARIANTS: Array<[string, string]> = [
  ['empty', ''],
  ['null', 'null'],
  ['NUL', '%00'],
  ['embedded NUL', 'a%00b'],
  ['control', '%01x%1B'],
  ['over-long', 'x'.repeat(5000)],
  ['-1', '-1'],
  ['1e308', '1e308'],
  ['{}', '%7B%7D'],
  ['[null]', '%5Bnull%5D'],
  ['true', 'true'],
  ['bad UTF-8', '%ED%A0%80'],
  ['lone percent', '%25'],
  ['emoji', '%F0%9F%92%A5'],
  ['dots', '..%2F..'],
];

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  const options = (schema.anyOf ?? schema.oneOf ?? []) as Schema[];
  return options.flatMap(typesOf);
}

function wrongType(schema: Schema): Json {
  const types = typesOf(schema);
  if (types.includes('string')) return 12345;
  if (types.includes('array')) return 'not a list';
  if (types.includes('object')) return 'not an object';
  return 'not a number';
}

/** A plausible value for a schema: required fields are filled so a mutation reaches past "Required". */
function sample(schema: Schema, depth = 0): Json {
  if (schema.default !== undefined) return schema.default as Json;
  if (Array.isArray(schema.enum)) return schema.enum[0] as Json;
  if (schema.const !== undefined) return schema.const as Json;
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (options) return sample(options.find((option) => option.type !== 'null') ?? options[0], depth);
  const type = typesOf(schema).find((t) => t !== 'null');
  switch (type) {
    case 'string': {
      if (typeof schema.pattern === 'string') {
        const prefix = /^\^([a-z]+)_\[0-9a-z\]\{26\}\$$/.exec(schema.pattern);
        if (prefix) return `${prefix[1]}_${'0'.repeat(26)}`;
        return 'abcd';
      }
      if (schema.format === 'email') return 'fuzz@example.com';
      if (schema.format === 'date-time') return '2030-01-01T00:00:00Z';
      return 'https://example.com/fuzz';
    }
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 3 || !schema.items ? [] : [sample(schema.items as Schema, depth + 1)];
    case 'object': {
      const out: Record<string, Json> = {};
      const required = new Set((schema.required ?? []) as string[]);
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
        if (required.has(name)) out[name] = sample(property, depth + 1);
      }
      return out;
    }
    default:
      return null;
  }
}

function operationsOf(document: Schema): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        params: (operation.parameters ?? []) as Operation['params'],
        body: (operation.requestBody?.content?.['application/json']?.schema as Schema | undefined) ?? null,
      });
    }
  }
  return operations;
}

/** Builds every case: each field alone with each variant, then seeded random combinations up to MIN_CASES. */
function buildCases(operations: Operation[], realIds: Record<string, string>, random: () => number): Case[] {
  const cases: Case[] = [];
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;

  const pathValue = (op: Operation, name: string, schema: Schema): string => {
    const fake = sample(schema) as string;
    const prefix = /^([a-z]+)_/.exec(fake)?.[1];
    // Real resources where reading or changing them is harmless; never delete the resources later cases rely on.
    const real = prefix && op.method !== 'DELETE' ? realIds[prefix] : undefined;
    return encodeURIComponent(real ?? fake);
  };
  const baseQuery = (op: Operation) =>
    op.params.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, encodeURIComponent(String(sample(p.schema)))] as [string, string]);
  const render = (op: Operation, pathOverrides: Record<string, string>, query: Array<[string, string]>, label: string, body?: Json, rawBody?: string): Case => {
    let path = op.path;
    for (const param of op.params.filter((p) => p.in === 'path')) {
      path = path.replace(`{${param.name}}`, pathOverrides[param.name] ?? pathValue(op, param.name, param.schema));
    }
    return { label, method: op.method, path: `/api/v1${path}`, query: query.map(([k, v]) => `${k}=${v}`).join('&'), body, rawBody };
  };
  const baseBody = (op: Operation): Json | undefined => {
    if (!op.body) return undefined;
    // PATCH bodies are sparse: only the mutated field, so nothing valid slips through and changes the workspace.
    return op.method === 'PATCH' ? {} : sample(op.body);
  };
  const bodyFields = (op: Operation) => Object.entries((op.body?.properties ?? {}) as Record<string, Schema>);

  for (const op of operations) {
    const name = `${op.method} ${op.path}`;
    cases.push(render(op, {}, baseQuery(op), `${name} as is`, baseBody(op)));
    for (const [variant, raw] of RAW_VARIANTS.slice(1, 6)) cases.push(render(op, {}, [...baseQuery(op), ['unknown', raw]], `${name} ?unknown=${variant}`, baseBody(op)));
    // Each body field with each variant, and inside lists of objects, each item field too.
    for (const [field, schema] of bodyFields(op)) {
      for (const [variant, make] of BODY_VARIANTS) {
        cases.push(render(op, {}, baseQuery(op), `${name} body.${field}=${variant}`, { ...(baseBody(op) as object), [field]: make(schema) }));
      }
      const items = schema.items as Schema | undefined;
      for (const [inner, innerSchema] of Object.entries((items?.properties ?? {}) as Record<string, Schema>)) {
        for (const [variant, make] of BODY_VARIANTS.slice(0, 8)) {
          const item = { ...(sample(items as Schema) as object), [inner]: make(innerSchema) };
          cases.push(render(op, {}, baseQuery(op), `${name} body.${field}[0].${inner}=${variant}`, { ...(baseBody(op) as object), [field]: [item] }));
        }
      }
    }
    // Whole bodies that are not objects, or not JSON.
    if (op.body) {
      for (const [variant, raw] of [['[]', '[]'], ['null', 'null'], ['string', '"x"'], ['number', '5'], ['malformed', '{"a":'], ['NUL key', '{"a\\u0000":1}']]) {
        cases.push(render(op, {}, baseQuery(op), `${name} body=${variant}`, undefined, raw));
      }
    }
    // Each query parameter with each raw variant, repeated (a list) and bracketed (an object, where parsed so).
    for (const param of op.params.filter((p) => p.in === 'query')) {
      for (const [variant, raw] of RAW_VARIANTS) cases.push(render(op, {}, [...baseQuery(op), [param.name, raw]], `${name} ?${param.name}=${variant}`, baseBody(op)));
      cases.push(render(op, {}, [...baseQuery(op), [param.name, '1'], [param.name, '2']], `${name} ?${param.name} repeated`, baseBody(op)));
      cases.push(render(op, {}, [...baseQuery(op), [`${param.name}[a]`, '1']], `${name} ?${param.name}[a]`, baseBody(op)));
    }
    // Each path parameter with each raw variant.
    for (const param of op.params.filter((p) => p.in === 'path')) {
      for (const [variant, raw] of RAW_VARIANTS) {
        if (raw === '' || raw === '..%2F..') continue; // another route, not this one's parameter
        cases.push(render(op, { [param.name]: raw }, baseQuery(op), `${name} /{${param.name}}=${variant}`, baseBody(op)));
      }
    }
  }

  // Random combinations: up to three fields and parameters of one operation spoiled at once.
  while (cases.length < MIN_CASES) {
    const op = pick(operations);
    const body = baseBody(op) as Record<string, Json> | undefined;
    const query = baseQuery(op);
    const pathOverrides: Record<string, string> = {};
    const spoiled: string[] = [];
    for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
      const where = random();
      const fields = bodyFields(op);
      const queryParams = op.params.filter((p) => p.in === 'query');
      const pathParams = op.params.filter((p) => p.in === 'path');
      if (body && fields.length && where < 0.5) {
        const [field, schema] = pick(fields);
        const [variant, make] = pick(BODY_VARIANTS);
        body[field] = make(schema);
        spoiled.push(`body.${field}=${variant}`);
      } else if (queryParams.length && where < 0.85) {
        const param = pick(queryParams);
        const [variant, raw] = pick(RAW_VARIANTS);
        query.push([param.name, raw]);
        spoiled.push(`?${param.name}=${variant}`);
      } else if (pathParams.length) {
        const param = pick(pathParams);
        const [variant, raw] = pick(RAW_VARIANTS.filter(([, value]) => value !== '' && value !== '..%2F..'));
        pathOverrides[param.name] = raw;
        spoiled.push(`/{${param.name}}=${variant}`);
      }
    }
    cases.push(render(op, pathOverrides, query, `${op.method} ${op.path} ${spoiled.join(' ') || 'as is'}`, body));
  }
  return cases;
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/**
 * The sweep's HTTP client: node:http over keep-alive connections, one per worker. fetch (undici) cost more CPU per
 * request than the engine answering it (its web streams, finalizers and async resources), which is not what the sweep
 * measures. Answers are judged and 2xx bodies checked against the served OpenAPI document as t.api would.
 */
class SweepClient {
  private readonly agent: http.Agent;
  private readonly host: { hostname: string; port: string };

  constructor(
    baseUrl: string,
    private readonly key: string,
    private readonly contract: ResponseContract,
    connections: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections });
    const { hostname, port } = new URL(baseUrl);
    this.host = { hostname, port };
  }

  send(c: Case, target: string): Promise<Answer> {
    const body = c.rawBody ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}` };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve, reject) => {
      const request = http.request({ agent: this.agent, ...this.host, method: c.method, path: target, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          const answer = { status: response.statusCode ?? 0, headers: new Headers({ 'content-type': response.headers['content-type'] ?? '' }), body: parsed, text };
          try {
            this.contract.check(c.method, target, answer);
            resolve(answer);
          } catch (error) {
            reject(error as Error);
          }
        });
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Cases whose 5xx is known and lives in code this change may not touch; each names its issue. The sweep still sends
 * them, and reports them apart, so a fix shows up as "no longer failing".
 */
const KNOWN: Array<{ match: RegExp; why: string }> = [];

describe(`API fuzzing from the OpenAPI document (seed ${SEED})`, () => {
  let t: TestEngine;
  let client: SweepClient;
  let document: Schema;
  const realIds: Record<string, string> = {};

  before(async () => {
    // One engine for the whole sweep; its setup is done once, here.
    t = await startTestEngine({ rateLimitPerMinute: 100_000, anonymousRateLimitPerMinute: 100_000, webhookWorkers: false, webhookTimeout: '1s', qrThreads: 1 });
    client = new SweepClient(t.baseUrl, t.adminKey, await servedContract(t.baseUrl), CONCURRENCY);
    const openapi = await client.send({ label: 'document', method: 'GET', path: '/api/v1/openapi.json', query: '' }, '/api/v1/openapi.json');
    assert.equal(openapi.status, 200);
    document = openapi.body as Schema;
    const created = async (path: string, body: object) => {
      const response = await client.send({ label: path, method: 'POST', path, query: '', body: body as Json }, `/api/v1${path}`);
      assert.ok(response.status === 201 || response.status === 200, `${path}: ${response.text}`);
      return (response.body as { id: string }).id;
    };
    realIds.lnk = await created('/links', { url: 'https://example.com/fuzz', slug: 'fuzz-me' });
    realIds.pg = await created('/pages', { handle: 'fuzz-page', items: [{ label: 'A', url: 'https://example.com/a' }] });
    realIds.wh = await created('/webhooks', { url: 'https://93.184.216.34/hooks/fuzz', events: ['link.created'] });
    realIds.key = await created('/keys', { name: 'fuzz victim', scopes: ['links:read'] });
    realIds.mem = await created('/members', { email: 'fuzz-member@example.com', role: 'member' }).catch(() => '');
    realIds.dom = await created('/domains', { hostname: 'fuzz.example.com' }).catch(() => '');
  });
  after(async () => {
    client?.close();
    await t?.stop();
  });

  test(`at least ${MIN_CASES} cases over every operation: no 5xx, and every 4xx is the error envelope`, async () => {
    const operations = operationsOf(document);
    assert.ok(operations.length >= 40, `operations in the document: ${operations.length}`);
    const cases = buildCases(operations, Object.fromEntries(Object.entries(realIds).filter(([, id]) => id)), prng(SEED));
    assert.ok(cases.length >= MIN_CASES);
    const covered = new Set(cases.map((c) => c.label.split(' ').slice(0, 2).join(' ')));
    assert.equal(covered.size, operations.length, 'every operation has cases');

    const failures: string[] = [];
    const known: string[] = [];
    const statuses = new Map<number, number>();
    const slowest: Array<[number, string]> = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++] as Case;
        const target = c.query ? `${c.path}?${c.query}` : c.path;
        let response;
        const started = performance.now();
        try {
          response = await client.send(c, target);
        } catch (error) {
          failures.push(`${c.label}: request failed: ${(error as Error).message}`);
          continue;
        }
        slowest.push([performance.now() - started, c.label]);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const problem = judge(response.status, response.body, response.text);
        if (!problem) continue;
        const line = `${c.label} → ${response.status} ${problem} | ${c.method} ${target.slice(0, 200)} ${c.rawBody ?? JSON.stringify(c.body ?? null).slice(0, 200)}`;
        (KNOWN.some((k) => k.match.test(c.label)) ? known : failures).push(line);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const summary = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    console.log(`fuzz: ${cases.length} cases over ${operations.length} operations, seed ${SEED}: ${summary}`);
    if (process.env.FUZZ_REPORT) {
      require('node:fs').writeFileSync(process.env.FUZZ_REPORT, [...failures, '--- slowest', ...slowest.sort((a, b) => b[0] - a[0]).slice(0, 30).map(([ms, label]) => `${ms.toFixed(0)} ms ${label}`)].join('\n'));
    }
    if (known.length) console.log(`fuzz: ${known.length} known cases outside this change still fail (see KNOWN)`);
    assert.deepEqual(failures.slice(0, 25), [], `${failures.length} failing cases`);
  });
});

/** What is wrong with an answer, or null: no 5xx ever; a 4xx carries {"error": {"code", "message", "details"?}}. */
function judge(status: number, body: unknown, text: string): string | null {
  if (status >= 500) return `server error: ${text.slice(0, 160)}`;
  if (status < 400) return null;
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (!error || typeof error.code !== 'string' || !/^[a-z_]+$/.test(error.code) || typeof error.message !== 'string') {
    return `not the error envelope: ${text.slice(0, 160)}`;
  }
  if (error.details !== undefined) {
    const ok = Array.isArray(error.details) && error.details.every((d: { field?: unknown; message?: unknown }) => typeof d?.field === 'string' && typeof d?.message === 'string');
    if (!ok) return `malformed details: ${JSON.stringify(error.details).slice(0, 160)}`;
  }
  return null;
}
