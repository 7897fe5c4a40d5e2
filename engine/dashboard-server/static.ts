import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler, Response } from 'express';
import { ApiError } from '../support/errors';

export interface DashboardOptions {
  /** Where the dashboard is served: one path segment such as `/app`. */
  mountPath: string;
  /** The built client (`dist/dashboard`): `index.html` and its assets. */
  dir: string;
}

/**
 * Strict: the client's own scripts, styles, fonts and images only, talking to this origin only, never framed. No
 * inline script or style, so an injected `<script>` or `style=` does nothing.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** A file name carrying a content hash (`index-3f9a1c2b.js`, `logo.8d7e6f5a4b.svg`): it never changes, so it is cached for good. */
const HASHED = /[.-][A-Za-z0-9_]{8,}\.[a-z0-9]+$/;
/** Vite's names under `assets/`: `name-<8 base64url characters>.ext`, the hash itself may hold `-` (`favicon-BQ7wiq-Y.svg`). */
const VITE_HASHED = /-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const BASE = /<base\s[^>]*>/gi;

/**
 * Serves the built dashboard under its mount path: files as they are (hashed assets cached for a year, the rest
 * revalidated), and `index.html` for every other path below it (the client routes itself), with the mount path
 * written into it as its `<base href="/app/">` (dashboard/README.md). Everything carries a strict CSP.
 */
export class DashboardServer {
  private index: { mtimeMs: number; html: string } | null = null;

  constructor(private readonly options: DashboardOptions) {}

  get mountPath(): string {
    return this.options.mountPath;
  }

  /** True for `/app` and `/app/…` (query included): the redirect fast path must leave these to the dashboard. */
  claims(url: string | undefined): boolean {
    if (!url) return false;
    const { mountPath } = this.options;
    if (!url.startsWith(mountPath)) return false;
    const next = url.charCodeAt(mountPath.length);
    return Number.isNaN(next) || next === 47 /* / */ || next === 63 /* ? */;
  }

  /** The handler to mount at `mountPath`. */
  readonly handler: RequestHandler = async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const { mountPath } = this.options;
    const queryAt = req.originalUrl.indexOf('?');
    const pathname = queryAt === -1 ? req.originalUrl : req.originalUrl.slice(0, queryAt);
    if (pathname === mountPath) {
      res.redirect(308, `${mountPath}/${queryAt === -1 ? '' : req.originalUrl.slice(queryAt)}`);
      return;
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const file = this.fileFor(req.path);
    if (file === 'bad') return next(new ApiError('not_found', `No route ${req.method} ${pathname}.`));
    if (file) return this.sendAsset(res, file, next);
    // A missing file that looks like an asset is a 404, not the app: a stale page asking for it would get HTML.
    if (/\.[a-z0-9]+$/i.test(req.path) && !req.path.endsWith('.html')) return next(new ApiError('not_found', `No file ${pathname}.`));
    await this.sendIndex(res, next);
  };

  /** The existing file a request path names inside the dashboard folder (never index.html), null, or 'bad'. */
  private fileFor(requestPath: string): string | null | 'bad' {
    let relative: string;
    try {
      relative = decodeURIComponent(requestPath);
    } catch {
      return 'bad';
    }
    if (relative.includes('\0')) return 'bad';
    const root = path.resolve(this.options.dir);
    const full = path.resolve(root, `.${path.posix.normalize(`/${relative}`)}`);
    if (full !== root && !full.startsWith(root + path.sep)) return 'bad';
    if (full === path.join(root, 'index.html') || path.basename(full).startsWith('.')) return null;
    try {
      return fs.statSync(full).isFile() ? full : null;
    } catch {
      return null;
    }
  }

  private sendAsset(res: Response, file: string, next: (error?: unknown) => void): void {
    const name = path.basename(file);
    const inAssets = path.dirname(file) === path.join(path.resolve(this.options.dir), 'assets');
    res.setHeader('Cache-Control', HASHED.test(name) || (inAssets && VITE_HASHED.test(name)) ? IMMUTABLE : 'no-cache');
    res.sendFile(file, { cacheControl: false, dotfiles: 'deny' }, (error) => {
      if (error && !res.headersSent) next(error);
    });
  }

  private async sendIndex(res: Response, next: (error?: unknown) => void): Promise<void> {
    const html = await this.indexHtml();
    if (html === null) {
      return next(new ApiError('not_found', `The dashboard is not built: no index.html in ${this.options.dir}.`));
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  }

  /** index.html with the mount path written in; re-read when the file changes (a rebuild). */
  private async indexHtml(): Promise<string | null> {
    const file = path.join(this.options.dir, 'index.html');
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      return null;
    }
    if (this.index?.mtimeMs !== stat.mtimeMs) {
      const raw = await fs.promises.readFile(file, 'utf8');
      this.index = { mtimeMs: stat.mtimeMs, html: withBase(raw, `${this.options.mountPath}/`) };
    }
    return this.index.html;
  }
}

/**
 * Makes the mount path the document's base URL: the built client references its assets relatively and reads its
 * routes' root from `document.baseURI` (dashboard/README.md, "Serving it"). Rewrites the `<base href>` the build
 * carries (dropping any other), or writes one first in `<head>`.
 */
export function withBase(html: string, base: string): string {
  const tag = `<base href="${base.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}">`;
  let written = false;
  const rewritten = html.replace(BASE, () => {
    if (written) return '';
    written = true;
    return tag;
  });
  if (written) return rewritten;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) return `${tag}\n${html}`;
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}\n    ${tag}${html.slice(at)}`;
}
