/**
 * `/api/v1/docs`: a self-contained HTML reference rendered from the OpenAPI document (itself generated from the
 * route declarations), so the page, the document and the router never disagree. No scripts, no external assets.
 */
type Json = Record<string, unknown>;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function typeOf(schema: Json | undefined): string {
  if (!schema) return '';
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map(String).join(' | ');
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map(typeOf).join(' | ');
  return typeof schema.type === 'string' ? schema.type : Array.isArray(schema.type) ? (schema.type as string[]).join(' | ') : '';
}

function operationHtml(method: string, path: string, op: Json): string {
  const parameters = (op.parameters as Json[] | undefined) ?? [];
  const rows = parameters
    .map((p) => `<tr><td><code>${escapeHtml(String(p.name))}</code></td><td>${escapeHtml(String(p.in))}${p.required ? ', required' : ''}</td><td>${escapeHtml(typeOf(p.schema as Json))}</td><td>${escapeHtml(String(p.description ?? ''))}</td></tr>`)
    .join('');
  const body = (op.requestBody as { content?: Record<string, { schema?: Json }> } | undefined)?.content?.['application/json']?.schema;
  const responses = Object.entries((op.responses as Record<string, { description?: string }>) ?? {})
    .map(([status, response]) => `<li><code>${escapeHtml(status)}</code> ${escapeHtml(response.description ?? '')}</li>`)
    .join('');
  return `<section class="op" id="${escapeHtml(String(op.operationId ?? `${method}${path}`))}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>/api/v1${escapeHtml(path)}</code></h3>
<p>${escapeHtml(String(op.summary ?? ''))}</p>${op.description ? `<p>${escapeHtml(String(op.description))}</p>` : ''}
<p class="scope">Scope: <code>${escapeHtml(String(op['x-required-scope'] ?? 'any'))}</code></p>
${rows ? `<table><thead><tr><th>Parameter</th><th>In</th><th>Type</th><th></th></tr></thead><tbody>${rows}</tbody></table>` : ''}
${body ? `<details><summary>Request body (JSON Schema)</summary><pre>${escapeHtml(JSON.stringify(body, null, 2))}</pre></details>` : ''}
<ul class="responses">${responses}</ul>
</section>`;
}

export function renderApiReference(openapi: Json): string {
  const info = (openapi.info as { title?: string; version?: string }) ?? {};
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries((openapi.paths as Record<string, Record<string, Json>>) ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = ((op.tags as string[] | undefined) ?? ['other'])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push(operationHtml(method, path, op));
    }
  }
  const nav = [...byTag.keys()].map((tag) => `<a href="#tag-${escapeHtml(tag)}">${escapeHtml(tag)}</a>`).join(' · ');
  const sections = [...byTag].map(([tag, ops]) => `<h2 id="tag-${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join('\n')}`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title ?? 'MASK API')} reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1f}
code,pre{font-family:ui-monospace,monospace}pre{background:#f5f5f7;padding:.75rem;overflow:auto}
.op{border-top:1px solid #ddd;padding:.5rem 0}.method{display:inline-block;min-width:4.5rem;font-size:.8em;padding:.1rem .4rem;border-radius:3px;color:#fff;background:#555}
.get{background:#2d6a4f}.post{background:#1d4e89}.patch{background:#8a5a00}.delete{background:#9b2226}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}.scope{color:#555}</style></head>
<body><h1>${escapeHtml(info.title ?? 'MASK API')} <small>${escapeHtml(info.version ?? '')}</small></h1>
<p>Authenticate with <code>Authorization: Bearer mk_live_…</code> (or <code>X-API-Key</code>). Errors are
<code>{"error": {"code", "message", "details"?}}</code>. The machine-readable document is <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
<nav>${nav}</nav>
${sections}
</body></html>`;
}
