#!/usr/bin/env node
/* global fetch, setTimeout, clearTimeout */
// End-to-end check of the nodes in a real n8n 2.8.4 (installed once into ~/.cache/mask-n8n, outside the package):
// builds the package, starts a MASK engine and n8n on 127.0.0.1, imports a credential and workflows, runs the
// action workflows with `n8n execute`, then activates a MASK Trigger workflow, performs a real redirect and shows
// the execution that the signed click.recorded delivery started. Every process it starts is stopped by PID.
const { spawn, spawnSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { cacheRoot, n8nRuntime } = require('./n8n-tools');

const root = path.join(__dirname, '..');
const results = [];
const report = (ok, name, detail = '') => {
  results.push({ ok, name });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? `\n      ${detail.split('\n').join('\n      ')}` : ''}`);
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const short = (value, max = 400) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    await sleep(500);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/** A real engine from the build, on 127.0.0.1, with one workspace and an admin key. */
async function startEngine(dataDir) {
  const { createEngine } = require(path.join(root, 'dist', 'engine'));
  const port = await freePort();
  const engine = createEngine({
    databaseUrl: `sqlite:${path.join(dataDir, 'mask.sqlite')}`,
    defaultDomain: `127.0.0.1:${port}`,
    logLevel: 'warn',
    env: { WEBHOOK_ALLOWED_HOSTS: 'loopback' },
  });
  const server = await engine.listen(port, '127.0.0.1');
  const workspace = await engine.workspaces.create({ name: 'n8n end-to-end' });
  const { secret } = await engine.keys.create({ workspaceId: workspace.id, name: 'n8n', mode: 'live', scopes: ['admin'] });
  return { engine, baseUrl: server.url, apiKey: secret };
}

/** Runs an n8n CLI command without blocking this process, which also serves the engine n8n calls. */
function n8nCli(runtime, env, args) {
  return new Promise((resolve) => {
    const child = spawn(path.join(runtime, 'node_modules', '.bin', 'n8n'), args, { cwd: runtime, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk) => (out.stdout += chunk));
    child.stderr.on('data', (chunk) => (out.stderr += chunk));
    const timer = setTimeout(() => process.kill(child.pid, 'SIGTERM'), 180_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, ...out });
    });
  });
}

const CREDENTIAL = { id: 'maskE2eCred00001', name: 'MASK (end-to-end)' };
const credentials = { maskApi: CREDENTIAL };
const node = (name, type, parameters, position, extra = {}) => ({ id: randomUUID(), name, type, typeVersion: 1, position, parameters, ...extra });
const mask = (name, parameters, x, extra = {}) => node(name, 'CUSTOM.mask', parameters, [x, 0], { credentials, ...extra });
const chain = (names) =>
  Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));
const workflow = (id, name, nodes) => ({ id, name, active: false, nodes, connections: chain(nodes.map((n) => n.name)), settings: {}, pinData: {} });
const createdId = "={{ $('Create link').first().json.id }}";
const byId = (value) => ({ __rl: true, mode: 'id', value });

const actionWorkflows = [
  workflow('maskE2eWhoami001', 'MASK: current key', [
    node('Start', 'n8n-nodes-base.manualTrigger', {}, [0, 0]),
    mask('Current key', { resource: 'workspace', operation: 'getCurrentKey' }, 200),
  ]),
  workflow('maskE2eLinks0001', 'MASK: link life cycle, analytics and QR code', [
    node('Start', 'n8n-nodes-base.manualTrigger', {}, [0, 0]),
    mask('Create link', { resource: 'link', operation: 'create', url: 'https://example.com/from-n8n', additionalFields: { title: 'Made in n8n', tags: 'n8n, e2e' } }, 200),
    mask('Get link', { resource: 'link', operation: 'get', link: byId(createdId) }, 400, { executeOnce: true }),
    mask('Get by short URL', { resource: 'link', operation: 'get', link: { __rl: true, mode: 'url', value: "={{ $('Create link').first().json.short_url }}" } }, 600, { executeOnce: true }),
    mask('List links', { resource: 'link', operation: 'getMany', returnAll: false, limit: 10, filters: { tag: 'n8n' } }, 800, { executeOnce: true }),
    mask('Update link', { resource: 'link', operation: 'update', link: byId(createdId), updateFields: { title: 'Updated in n8n' } }, 1000, { executeOnce: true }),
    // These two go on to the next node on an error, so the link is deleted even where their routes are missing.
    mask('Analytics', { resource: 'analytics', operation: 'getTimeSeries', scope: 'link', link: byId(createdId), interval: 'day' }, 1200, { executeOnce: true, onError: 'continueRegularOutput' }),
    mask('QR code', { resource: 'qrCode', operation: 'get', link: byId(createdId), format: 'png' }, 1400, { executeOnce: true, onError: 'continueRegularOutput' }),
    mask('Delete link', { resource: 'link', operation: 'delete', link: byId(createdId) }, 1600, { executeOnce: true }),
  ]),
  everyResourceWorkflow(),
];

/** One workflow that touches every resource of the node; later nodes read ids from earlier ones by name. */
function everyResourceWorkflow() {
  const from = (name, field = 'id') => `={{ $('${name}').first().json.${field} }}`;
  const once = { executeOnce: true };
  const steps = [
    ['Create campaign', { resource: 'campaign', operation: 'create', name: 'n8n campaign', additionalFields: { utmSource: 'n8n' } }],
    ['Create folder', { resource: 'folder', operation: 'create', name: 'n8n folder' }],
    ['Create routed link', { resource: 'link', operation: 'create', url: 'https://example.com/routed', additionalFields: { campaign: byId(from('Create campaign')), folder: byId(from('Create folder')), preview: { values: { title: 'Preview' } } } }],
    ['Upsert link', { resource: 'link', operation: 'upsert', url: 'https://example.com/upserted', additionalFields: { externalId: 'n8n-1' }, simplify: true }],
    ['Add rule', { resource: 'rule', operation: 'create', link: byId(from('Create routed link')), conditions: { condition: [{ type: 'country', values: 'DE' }] }, url: 'https://example.com/de' }],
    ['List rules', { resource: 'rule', operation: 'getMany', link: byId(from('Create routed link')) }],
    ['Breakdown by rule', { resource: 'analytics', operation: 'getBreakdown', groupBy: 'rule', scope: 'all', top: 5, splitIntoItems: false }],
    ['QR code', { resource: 'qrCode', operation: 'get', link: byId(from('Create routed link')), format: 'svg' }],
    ['Track lead', { resource: 'conversion', operation: 'trackLead', customerId: 'n8n-customer', eventName: 'Sign up' }],
    ['Conversion analytics', { resource: 'conversion', operation: 'getAnalytics', groupBy: 'timeseries', interval: 'day', scope: 'all', splitIntoItems: false }],
    ['Create page', { resource: 'page', operation: 'create', handle: 'n8n-page', additionalFields: { theme: 'ocean' }, items: { item: [{ label: 'Go', target: 'link', linkId: from('Create routed link') }] } }],
    ['Page QR code', { resource: 'page', operation: 'getQrCode', page: byId(from('Create page')), format: 'png' }],
    ['List domains', { resource: 'domain', operation: 'getMany', returnAll: true }],
    ['List members', { resource: 'member', operation: 'getMany', returnAll: true, filters: { role: 'owner' } }],
    ['List webhooks', { resource: 'webhook', operation: 'getMany', returnAll: true }],
    ['List imports', { resource: 'import', operation: 'getMany', returnAll: true }],
    ['Workspace', { resource: 'workspace', operation: 'get' }],
    ['Create UTM template', { resource: 'utmTemplate', operation: 'create', name: 'n8n template', additionalFields: { utmMedium: 'automation' } }],
    ['Create pixel', { resource: 'pixel', operation: 'create', name: 'n8n pixel', provider: 'meta', additionalFields: { pixelId: '1234567890' } }],
    ['List API keys', { resource: 'apiKey', operation: 'getMany', returnAll: true }],
    ['Start export job', { resource: 'export', operation: 'start', format: 'csv' }],
    ['Export links', { resource: 'link', operation: 'export', format: 'json' }],
    ['Delete many links', { resource: 'link', operation: 'deleteMany', linkIds: `={{ [$('Create routed link').first().json.id, $('Upsert link').first().json.id].join(',') }}` }],
    ['Delete folder', { resource: 'folder', operation: 'delete', folder: byId(from('Create folder')), options: { moveLinks: true } }],
    ['Delete campaign', { resource: 'campaign', operation: 'delete', campaign: byId(from('Create campaign')) }],
    ['Delete UTM template', { resource: 'utmTemplate', operation: 'delete', utmTemplate: byId(from('Create UTM template')) }],
    ['Delete pixel', { resource: 'pixel', operation: 'delete', pixel: byId(from('Create pixel')) }],
  ];
  // Lists may be empty (no imports, no webhooks yet) and still succeed: n8n then passes an empty item on.
  const emptyIsFine = { alwaysOutputData: true };
  return workflow('maskE2eEvery0001', 'MASK: every resource', [
    node('Start', 'n8n-nodes-base.manualTrigger', {}, [0, 0]),
    ...steps.map(([name, parameters], index) => mask(name, parameters, 200 * (index + 1), { ...once, ...(name.startsWith('List') ? emptyIsFine : {}) })),
  ]);
}

/** n8n's own AI-tool generation over the built node: the `maskTool` type and the description an agent is given. */
function checkAiTool(runtime) {
  const requireN8n = (id) => require(require.resolve(id, { paths: [path.join(runtime, 'node_modules', 'n8n')] }));
  const { convertNodeToAiTool } = require(path.join(runtime, 'node_modules', 'n8n', 'dist', 'tool-generation', 'ai-tools.js'));
  const { NodeHelpers } = requireN8n('n8n-workflow');
  const { Mask } = require(path.join(root, 'dist', 'nodes', 'Mask', 'Mask.node.js'));
  const description = JSON.parse(JSON.stringify(new Mask().getNodeType().description));
  const tool = convertNodeToAiTool({ description }).description;
  const hasToolDescription = tool.properties.some((property) => property.name === 'toolDescription');
  report(tool.name === 'maskTool' && hasToolDescription, `n8n turns the node into the AI tool "${tool.name}" with a Tool Description field`);
  const generated = [];
  for (const selector of tool.properties.filter((property) => property.name === 'operation')) {
    const resource = selector.displayOptions.show.resource[0];
    for (const option of selector.options) {
      const text = NodeHelpers.getToolDescriptionForNode({ parameters: { descriptionType: 'auto', resource, operation: option.value } }, { description: tool });
      generated.push({ resource, operation: option.value, text, ok: typeof text === 'string' && text.includes(option.action) });
    }
  }
  const bad = generated.filter((entry) => !entry.ok);
  report(bad.length === 0, `n8n generates a tool description for each of ${generated.length} operations`, bad.length ? short(bad, 1200) : short(generated.slice(0, 3).map((entry) => entry.text)));
}

const TRIGGER_ID = 'maskE2eTrigger01';
const triggerWorkflow = workflow(TRIGGER_ID, 'MASK: on click or new link', [
  node('On event', 'CUSTOM.maskTrigger', { events: ['click.recorded', 'link.created'] }, [0, 0], { credentials, webhookId: randomUUID() }),
]);

/** Prints what each node of a run produced, and where it stopped; `n8n execute` prints the run as JSON either way. */
function showRun(workflowDef, result) {
  const text = result.stdout;
  const start = text.search(/^\{/m);
  let run;
  try {
    run = JSON.parse(text.slice(start, text.lastIndexOf('}') + 1));
  } catch {
    report(false, `${workflowDef.name}: n8n printed no run data`, short(`${text}\n${result.stderr}`.trim().split('\n').slice(-8).join('\n'), 1200));
    return;
  }
  const { runData, error, lastNodeExecuted } = run.data.resultData;
  for (const { name } of workflowDef.nodes.slice(1)) {
    const task = runData[name]?.[0];
    if (!task) continue;
    if (task.error) {
      report(false, `${workflowDef.name} › ${name}`, `${task.error.message}${task.error.description ? ` (${task.error.description})` : ''}`);
      continue;
    }
    const items = task.data?.main?.[0] ?? [];
    const first = items[0];
    const shown = first?.binary
      ? { json: first.json, binary: Object.fromEntries(Object.entries(first.binary).map(([key, value]) => [key, { mimeType: value.mimeType, fileSize: value.fileSize }])) }
      : first?.json;
    report(items.length > 0 && !first?.json?.error, `${workflowDef.name} › ${name}: ${items.length} item(s)`, short(shown));
  }
  if (error && !runData[lastNodeExecuted]?.[0]?.error) report(false, `${workflowDef.name} stopped at ${lastNodeExecuted}`, error.message);
}

async function main() {
  console.log('Building the package…');
  if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('build failed');
  const runtime = n8nRuntime();
  checkAiTool(runtime);

  const scratch = path.join(cacheRoot(), 'run');
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  const { engine, baseUrl, apiKey } = await startEngine(scratch);
  console.log(`MASK engine on ${baseUrl}`);
  const api = async (method, route, body) => {
    const response = await fetch(`${baseUrl}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  };

  const n8nPort = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    N8N_USER_FOLDER: path.join(scratch, 'n8n'),
    N8N_CUSTOM_EXTENSIONS: path.join(root, 'dist'),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_PORT: String(n8nPort),
    WEBHOOK_URL: `http://127.0.0.1:${n8nPort}/`,
    N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
    N8N_RUNNERS_BROKER_PORT: String(await freePort()),
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_ENCRYPTION_KEY: 'mask-end-to-end-only-not-a-secret',
    // `n8n execute --rawOutput` prints its JSON at the info level.
    N8N_LOG_LEVEL: 'info',
  };
  let n8nProcess;
  try {
    const files = path.join(scratch, 'import');
    fs.mkdirSync(files);
    fs.writeFileSync(path.join(files, 'credentials.json'), JSON.stringify([{ ...CREDENTIAL, type: 'maskApi', data: { baseUrl, apiKey } }]));
    const imported = await n8nCli(runtime, env, ['import:credentials', `--input=${path.join(files, 'credentials.json')}`]);
    report(imported.status === 0, 'n8n imports the MaskApi credential', imported.status === 0 ? '' : short(imported.stderr || imported.stdout, 800));

    for (const definition of [...actionWorkflows, triggerWorkflow]) {
      const file = path.join(files, `${definition.id}.json`);
      fs.writeFileSync(file, JSON.stringify(definition));
      const result = await n8nCli(runtime, env, ['import:workflow', `--input=${file}`]);
      if (result.status !== 0) report(false, `n8n imports "${definition.name}"`, short(result.stderr || result.stdout, 800));
    }

    for (const definition of actionWorkflows) {
      showRun(definition, await n8nCli(runtime, env, ['execute', `--id=${definition.id}`, '--rawOutput']));
    }

    const published = await n8nCli(runtime, env, ['publish:workflow', `--id=${TRIGGER_ID}`]);
    report(published.status === 0, 'n8n publishes the MASK Trigger workflow', published.status === 0 ? '' : short(published.stderr || published.stdout, 800));
    const log = fs.openSync(path.join(scratch, 'n8n.log'), 'w');
    n8nProcess = spawn(path.join(runtime, 'node_modules', '.bin', 'n8n'), ['start'], { cwd: runtime, env, stdio: ['ignore', log, log] });
    await waitFor('n8n to start', async () => (await fetch(`http://127.0.0.1:${n8nPort}/healthz`)).ok, 120_000);
    console.log(`n8n on http://127.0.0.1:${n8nPort} (PID ${n8nProcess.pid})`);

    let endpoint;
    try {
      endpoint = await waitFor('the trigger to register its endpoint', async () => (await api('GET', '/webhooks')).body?.data?.find((e) => e.url.includes(`127.0.0.1:${n8nPort}`)), 30_000);
      report(true, 'activating the trigger registered a webhook endpoint on the engine', short(endpoint));
    } catch (error) {
      report(false, 'activating the trigger registered a webhook endpoint on the engine', `${error.message}\n${short(fs.readFileSync(path.join(scratch, 'n8n.log'), 'utf8').split('\n').slice(-15).join('\n'), 1500)}`);
    }

    if (endpoint) {
      const forged = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,Zm9yZ2VkIHNpZ25hdHVyZSBmb3JnZWQgc2lnbmF0dXJlIQ==' },
        body: JSON.stringify({ id: 'msg_forged', type: 'link.created', data: { id: 'lnk_forged' } }),
      });
      const unsigned = await fetch(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"link.created"}' });
      report(forged.status === 401 && unsigned.status === 401, `n8n answers forged and unsigned deliveries with ${forged.status} and ${unsigned.status}`);
      const link = await api('POST', '/links', { url: 'https://example.com/clicked-from-n8n-test' });
      await showTriggeredExecution(runtime, env, 'link.created', link.body.id);
      const redirect = await fetch(link.body.short_url, {
        redirect: 'manual',
        headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36' },
      });
      report(redirect.status === 302, `a real redirect: GET ${link.body.short_url} → ${redirect.status} ${redirect.headers.get('location') ?? ''}`);
      await showTriggeredExecution(runtime, env, 'click.recorded', link.body.id);
    }
  } finally {
    if (n8nProcess && n8nProcess.exitCode === null) {
      process.kill(n8nProcess.pid, 'SIGTERM');
      await Promise.race([new Promise((resolve) => n8nProcess.once('exit', resolve)), sleep(20_000)]);
      if (n8nProcess.exitCode === null) process.kill(n8nProcess.pid, 'SIGKILL');
    }
    await engine.close();
  }
  const failed = results.filter((result) => !result.ok).length;
  console.log(`\n${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

/** Reads n8n's own database for the execution of the trigger workflow started by the `type` event about `linkId`. */
async function showTriggeredExecution(runtime, env, type, linkId) {
  const Database = require('better-sqlite3');
  const { parse } = require(require.resolve('flatted', { paths: [path.join(runtime, 'node_modules', 'n8n')] }));
  const file = path.join(env.N8N_USER_FOLDER, '.n8n', 'database.sqlite');
  const find = async () => {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare('select e.id, e.status, d.data from execution_entity e join execution_data d on d.executionId = e.id where e.workflowId = ? order by e.id desc')
        .all(TRIGGER_ID);
      for (const row of rows) {
        const event = parse(row.data).resultData.runData['On event']?.[0]?.data?.main?.[0]?.[0]?.json;
        if (event?.type === type && JSON.stringify(event.data).includes(linkId)) return { id: row.id, status: row.status, event };
      }
      return undefined;
    } finally {
      db.close();
    }
  };
  try {
    const execution = await waitFor(`an execution started by ${type}`, find, 60_000);
    report(true, `the signed ${type} delivery started n8n execution ${execution.id} (${execution.status})`, short(execution.event, 800));
  } catch (error) {
    report(false, `the signed ${type} delivery started an n8n execution`, error.message);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
