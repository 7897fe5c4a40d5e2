import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { finished, fixture, upload } from '../../support/imports';

describe('Imports: bad input is a clear 4xx or a per-row error', () => {
  let t: TestEngine;
  let small: TestEngine;
  before(async () => {
    t = await startTestEngine();
    small = await startTestEngine({ importMaxBytes: 4096 });
  });
  after(async () => {
    await t.stop();
    await small.stop();
  });

  const refused = async (options: Record<string, string>, file: string | Buffer, status = 422, engine = t) => {
    const response = await upload(engine, options, file);
    assert.equal(response.status, status, response.text);
    return response.body.error;
  };

  test('malformed CSV: an unclosed quote, a row with more fields than the header', async () => {
    const quote = await refused({ source: 'csv' }, 'url,slug\n"https://example.com/a,abcd\n');
    assert.equal(quote.code, 'validation_error');
    assert.equal(quote.details[0].field, 'file');
    assert.match(quote.details[0].message, /Malformed CSV: Quote Not Closed/);
    const ragged = await refused({ source: 'csv' }, 'url,slug\nhttps://example.com/a,abcd,extra\n');
    assert.match(ragged.details[0].message, /Invalid Record Length.*line 2/);
  });

  test('a 10 MB line is refused without being imported', async () => {
    const error = await refused({ source: 'csv' }, `url,title\nhttps://example.com/,${'x'.repeat(10 * 1024 * 1024)}\n`);
    assert.match(error.details[0].message, /Max Record Size/);
    assert.equal(Number((await t.parts.db('imports').count({ n: '*' }))[0].n), 0);
  });

  test('a byte-order mark is skipped; a semicolon delimiter is guessed; a forced wrong one names the columns it saw', async () => {
    const bom = await upload(t, { source: 'csv' }, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('url,slug\nhttps://example.com/bom,with-bom\n')]));
    assert.equal(bom.status, 202, bom.text);
    assert.equal((await finished(t, bom.body.id)).report.created, 1);
    const semicolons = await upload(t, { source: 'csv' }, 'url;slug\nhttps://example.com/semi;semi-colon\n');
    assert.equal((await finished(t, semicolons.body.id)).report.created, 1);
    const wrong = await refused({ source: 'csv', delimiter: 'comma' }, 'url;slug\nhttps://example.com/x;wrong-delim\n');
    assert.match(wrong.details[0].message, /No destination column.*the file read with the delimiter "," has: "url;slug"/);
    assert.equal((await refused({ source: 'csv', delimiter: 'colon' }, 'url\nhttps://example.com/\n')).details[0].field, 'delimiter');
  });

  test('an unknown source, a file of another format, unknown options and a mapping off the generic source', async () => {
    const unknown = await refused({ source: 'tinyurl' }, 'url\nhttps://example.com/\n');
    assert.equal(unknown.details[0].field, 'source');
    assert.match(unknown.details[0].message, /bitly, kutt, shlink, yourls, rebrandly, csv/);
    assert.equal((await refused({}, 'url\nhttps://example.com/\n')).details[0].field, 'source');
    const foreign = await refused({ source: 'kutt' }, fixture('bitly.csv'));
    assert.match(foreign.details[0].message, /expected one of: target/);
    assert.equal((await refused({ source: 'csv', colour: 'red' }, 'url\nhttps://example.com/\n')).details[0].field, 'colour');
    assert.equal((await refused({ source: 'bitly', mapping: '{"url":"x"}' }, 'url\nhttps://example.com/\n')).details[0].field, 'mapping');
    assert.equal((await refused({ source: 'csv', mapping: '{not json' }, 'url\nhttps://example.com/\n')).details[0].field, 'mapping');
    assert.equal((await refused({ source: 'csv', mapping: '{"colour":"x"}' }, 'url\nhttps://example.com/\n')).details[0].field, 'mapping.colour');
    assert.match((await refused({ source: 'csv', domain: 'not-mine.example' }, 'url\nhttps://example.com/\n')).details[0].message, /not a domain of this workspace/);
  });

  test('malformed JSON, JSON without a list, an empty file, a header without rows', async () => {
    assert.match((await refused({ source: 'kutt' }, '{"data": [')).details[0].message, /Malformed JSON/);
    assert.match((await refused({ source: 'kutt' }, '{"total": 3}')).details[0].message, /No list of links/);
    assert.equal((await refused({ source: 'csv' }, '')).details[0].field, 'file');
    assert.match((await refused({ source: 'csv' }, 'url,slug\n')).details[0].message, /no rows/);
  });

  test('a file over MASK_IMPORT_MAX_BYTES is 413, raw or multipart', async () => {
    const big = `url\n${'https://example.com/\n'.repeat(400)}`;
    assert.equal((await refused({ source: 'csv' }, big, 413, small)).code, 'payload_too_large');
    const form = new FormData();
    form.set('source', 'csv');
    form.set('file', new Blob([big], { type: 'text/csv' }), 'big.csv');
    const response = await fetch(`${small.baseUrl}/api/v1/imports`, { method: 'POST', headers: { authorization: `Bearer ${small.adminKey}` }, body: form });
    assert.equal(response.status, 413);
  });

  test('multipart upload with options as form fields', async () => {
    const form = new FormData();
    form.set('source', 'yourls');
    form.set('file', new Blob([fixture('yourls.csv')], { type: 'text/csv' }), 'yourls.csv');
    const response = await fetch(`${t.baseUrl}/api/v1/imports`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}` }, body: form });
    assert.equal(response.status, 202);
    const job = await finished(t, ((await response.json()) as { id: string }).id);
    assert.equal(job.file_name, 'yourls.csv');
    assert.equal(job.report.created, 1);
  });

  test('rows with invalid URLs, slugs, click counts or dates fail alone, each with its row and field', async () => {
    const file = [
      'url,slug,clicks,created_at,max_clicks',
      'https://example.com/ok,row-ok,3,2024-01-01T00:00:00Z,',
      'ftp://example.com/,row-ftp,,,',
      'https://example.com/,api,,,',
      'https://example.com/,bad slug!,,,',
      'https://example.com/,row-clicks,lots,,',
      'https://example.com/,row-date,,yesterday,',
      'https://example.com/,row-max,,,ten',
    ].join('\n');
    const response = await upload(t, { source: 'csv' }, file);
    const job = await finished(t, response.body.id);
    assert.deepEqual(job.report, { created: 1, skipped: 0, failed: 6 });
    const paged = await t.api('GET', `/api/v1/imports/${job.id}/errors?limit=4`);
    assert.deepEqual(paged.body.data.map((e: { row: number }) => e.row), [2, 3, 4, 5]);
    const rest = await t.api('GET', `/api/v1/imports/${job.id}/errors?limit=4&cursor=${paged.body.pagination.cursor}`);
    assert.deepEqual([rest.body.data.map((e: { row: number }) => e.row), rest.body.pagination.cursor], [[6, 7], null]);
    assert.equal((await t.api('GET', `/api/v1/imports/${job.id}/errors?cursor=nope`)).status, 400);
    assert.deepEqual(job.errors.map((e: { row: number; error: { details: Array<{ field: string }> } }) => [e.row, e.error.details[0].field]), [
      [2, 'url'],
      [3, 'slug'],
      [4, 'slug'],
      [5, 'clicks'],
      [6, 'created_at'],
      [7, 'max_clicks'],
    ]);
  });

  test('a taken slug is a per-row conflict, or a suffixed slug with on_conflict=suffix; another workspace keeps its link', async () => {
    const other = await t.createWorkspace('Holder');
    assert.equal((await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/', slug: 'popular' }, key: other.adminKey })).status, 201);
    const file = 'url,slug,external_id\nhttps://example.com/1,popular,e1\nhttps://example.com/2,popular,e2\n';
    const strict = await finished(t, (await upload(t, { source: 'csv' }, file)).body.id);
    assert.deepEqual(strict.report, { created: 0, skipped: 0, failed: 2 });
    assert.equal(strict.errors[0].error.code, 'conflict');
    const lenient = await finished(t, (await upload(t, { source: 'csv', on_conflict: 'suffix' }, file)).body.id);
    assert.deepEqual(lenient.report, { created: 2, skipped: 0, failed: 0 });
    const slugs = (await t.api('GET', '/api/v1/links?search=popular')).body.data.map((l: { slug: string }) => l.slug).sort();
    assert.deepEqual(slugs, ['popular-2', 'popular-3']);
  });

  test('imports are scoped: another workspace gets 404, test keys import test links, read-only keys cannot import', async () => {
    const response = await upload(t, { source: 'csv' }, 'url,slug\nhttps://example.com/,scoped-one\n');
    await finished(t, response.body.id);
    const other = await t.createWorkspace('Outsider');
    assert.equal((await t.api('GET', `/api/v1/imports/${response.body.id}`, { key: other.adminKey })).status, 404);
    const testKey = await t.createKey(['links:write', 'links:read'], { mode: 'test' });
    const testImport = await upload(t, { source: 'csv' }, 'url,slug\nhttps://example.com/,test-mode-one\n', 'text/csv', testKey);
    assert.equal((await finished(t, testImport.body.id, testKey)).report.created, 1);
    assert.equal((await t.api('GET', `/api/v1/imports/${testImport.body.id}`)).status, 404);
    assert.equal((await t.api('GET', '/api/v1/links?search=test-mode-one')).body.data.length, 0);
    const listed = await t.api('GET', '/api/v1/imports?limit=100');
    assert.ok(listed.body.data.some((job: { id: string }) => job.id === response.body.id));
    const readOnly = await t.createKey(['links:read']);
    assert.equal((await upload(t, { source: 'csv' }, 'url\nhttps://example.com/\n', 'text/csv', readOnly)).status, 403);
    const audit = await t.parts.db('audit_logs').where({ action: 'import.created', resource_id: response.body.id }).first();
    assert.ok(audit);
  });
});
