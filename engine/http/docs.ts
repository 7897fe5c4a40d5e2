import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../support/package-info';

/**
 * `/api/v1/docs`: the OpenAPI document (itself generated from the route declarations) rendered in the browser by
 * Redoc's standalone bundle, served by the engine itself: no CDN, works offline. The build copies the bundle into
 * `dist/api-reference/`; running from sources it is read from node_modules.
 */
export const API_REFERENCE_ASSETS = {
  bundle: 'redoc.standalone.js',
  init: 'init.js',
} as const;

/**
 * What the page allows, as tight as Redoc permits: scripts only from the engine (no inline script), the spec fetched
 * from the engine, inline styles (Redoc's styled-components writes them) and the search index in a Web Worker, which
 * Redoc starts from a blob.
 */
export const API_REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  'worker-src blob:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const attribute = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page; `apiBase` is where the API is mounted (`/api/v1`, or under a host app's path), so every URL is its own. */
export const apiReferencePage = (title: string, apiBase: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${attribute(title)} reference</title></head>
<body><div id="redoc" data-spec-url="${attribute(apiBase)}/openapi.json"></div>
<noscript>This reference needs JavaScript. The OpenAPI document itself: <a href="${attribute(apiBase)}/openapi.json">openapi.json</a>.</noscript>
<script src="${attribute(apiBase)}/docs/${API_REFERENCE_ASSETS.bundle}"></script><script src="${attribute(apiBase)}/docs/${API_REFERENCE_ASSETS.init}"></script>
</body></html>
`;

/** Starts Redoc on the page's element (a file of its own, since the page's CSP allows no inline script). */
export const API_REFERENCE_INIT = `(function () {
  var element = document.getElementById('redoc');
  Redoc.init(element.getAttribute('data-spec-url'), { expandResponses: '200,201', jsonSampleExpandLevel: 3, hideHostname: true, sortTagsAlphabetically: true }, element);
})();
`;

/** The Redoc bundle's path: the copy the build made, else the installed package; null when neither exists. */
export function apiReferenceBundlePath(): string | null {
  const root = packageRoot();
  const built = root ? path.join(root, 'dist', 'api-reference', API_REFERENCE_ASSETS.bundle) : null;
  if (built && fs.existsSync(built)) return built;
  try {
    return require.resolve(`redoc/bundles/${API_REFERENCE_ASSETS.bundle}`);
  } catch {
    return null;
  }
}
