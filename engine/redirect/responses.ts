import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { requestIdOf } from '../web/request-context';
import { renderPage } from './pages';

const PAGE_HEADERS: OutgoingHttpHeaders = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Robots-Tag': 'noindex',
  'Referrer-Policy': 'no-referrer',
  // No form-action: browsers apply it to the redirect that follows a successful unlock, which leaves this origin.
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
};

/** Browsers must ask again every time, so every visit is counted. */
export const REDIRECT_CACHE_CONTROL = 'private, no-store, max-age=0';

export function sendHtml(req: IncomingMessage, res: ServerResponse, status: number, html: string, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'Content-Length': Buffer.byteLength(html), 'X-Request-Id': requestIdOf(req), ...headers });
  res.end(html);
}

/**
 * The head as one flat list: when nothing was set with setHeader before (the standalone fast path), Node writes it
 * without building and re-validating a header map, a measurable share of a redirect's cost.
 */
export function sendRedirect(req: IncomingMessage, res: ServerResponse, status: number, location: string, headers?: OutgoingHttpHeaders): void {
  const head = ['Location', location, 'Cache-Control', REDIRECT_CACHE_CONTROL, 'Content-Length', '0', 'X-Request-Id', requestIdOf(req)];
  if (headers) for (const [name, value] of Object.entries(headers)) for (const one of [value ?? []].flat()) head.push(name, String(one));
  res.writeHead(status, head);
  res.end();
}

const PAGES = {
  badRequest: { status: 400, title: 'Bad request', message: 'The request could not be understood.' },
  notFound: { status: 404, title: 'Link not found', message: "This short link doesn't exist. Check the address for typos." },
  notYetActive: { status: 404, title: 'Link not active yet', message: "This short link isn't available yet. Try again later." },
  methodNotAllowed: { status: 405, title: 'Method not allowed', message: 'Short links can only be opened, not changed.' },
  expired: { status: 410, title: 'Link expired', message: 'This short link has expired and no longer leads anywhere.' },
  capped: { status: 410, title: 'Link no longer available', message: 'This short link has reached its click limit.' },
  tooLarge: { status: 413, title: 'Request too large', message: 'The submitted form is too large.' },
  unsupportedForm: { status: 415, title: 'Unsupported form', message: 'Submit the password with the form on this page.' },
  tooManyAttempts: { status: 429, title: 'Too many attempts', message: 'Too many wrong passwords for this link. Try again later.' },
  error: { status: 500, title: 'Something went wrong', message: 'The link could not be opened. Try again in a moment.' },
  unavailable: { status: 503, title: 'Temporarily unavailable', message: 'This link cannot be opened right now. Try again in a moment.' },
} as const;

export type PageKind = keyof typeof PAGES;

export function sendPage(
  req: IncomingMessage,
  res: ServerResponse,
  kind: PageKind,
  options: { shortLink?: string; linkId?: string; headers?: OutgoingHttpHeaders } = {},
): void {
  const { status, title, message } = PAGES[kind];
  const html = renderPage({ label: `Error ${status}`, title, message, shortLink: options.shortLink, requestId: requestIdOf(req), linkId: options.linkId });
  sendHtml(req, res, status, html, options.headers);
}
