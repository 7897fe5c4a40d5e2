import { randomBytes } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { PixelProvider } from '../domain/organization/pixels';
import { requestIdOf } from '../web/request-context';

/** What a pixel needs on the interstitial page. */
export interface PixelSpec {
  provider: PixelProvider;
  pixel_id: string | null;
  script_url: string | null;
}

/** The parts of a link's interstitial page, built once when the link is loaded into the redirect cache. */
export interface PixelPage {
  scripts: string[];
  /** JavaScript run before the scripts load (provider queues and their first page-view calls). */
  init: string;
  /** Image beacons for visitors without JavaScript. */
  noscriptImages: string[];
  /** The Content-Security-Policy sources: only the pixels' hosts. */
  sources: { script: string[]; img: string[]; connect: string[] };
}

const js = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

interface ProviderParts {
  scripts: string[];
  init: string;
  noscriptImages: string[];
  script: string[];
  img: string[];
  connect: string[];
}

/** Each provider's standard tag, reduced to its queue, its script and its no-JavaScript beacon. */
function partsOf(pixel: PixelSpec): ProviderParts {
  const id = pixel.pixel_id ?? '';
  switch (pixel.provider) {
    case 'meta':
      return {
        scripts: ['https://connect.facebook.net/en_US/fbevents.js'],
        init:
          "if(!window.fbq){var n=window.fbq=function(){n.callMethod?n.callMethod.apply(n,arguments):n.queue.push(arguments)};window._fbq=n;n.push=n;n.loaded=true;n.version='2.0';n.queue=[];}" +
          `fbq('init',${js(id)});fbq('track','PageView');`,
        noscriptImages: [`https://www.facebook.com/tr?id=${encodeURIComponent(id)}&ev=PageView&noscript=1`],
        script: ['https://connect.facebook.net'],
        img: ['https://www.facebook.com'],
        connect: ['https://www.facebook.com', 'https://connect.facebook.net'],
      };
    case 'google_ads':
      return {
        scripts: [`https://www.googletagmanager.com/gtag/js?id=${encodeURIComponent(id)}`],
        init: `window.dataLayer=window.dataLayer||[];window.gtag=window.gtag||function(){dataLayer.push(arguments)};gtag('js',new Date());gtag('config',${js(id)});`,
        noscriptImages: [],
        script: ['https://www.googletagmanager.com', 'https://www.googleadservices.com', 'https://googleads.g.doubleclick.net'],
        img: ['https://www.google.com', 'https://googleads.g.doubleclick.net', 'https://www.googletagmanager.com'],
        connect: ['https://www.google.com', 'https://googleads.g.doubleclick.net', 'https://www.googletagmanager.com'],
      };
    case 'linkedin':
      return {
        scripts: ['https://snap.licdn.com/li.lms-analytics/insight.min.js'],
        init: `window._linkedin_partner_id=${js(id)};window._linkedin_data_partner_ids=window._linkedin_data_partner_ids||[];window._linkedin_data_partner_ids.push(${js(id)});`,
        noscriptImages: [`https://px.ads.linkedin.com/collect/?pid=${encodeURIComponent(id)}&fmt=gif`],
        script: ['https://snap.licdn.com'],
        img: ['https://px.ads.linkedin.com'],
        connect: ['https://px.ads.linkedin.com'],
      };
    case 'tiktok':
      return {
        scripts: [`https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=${encodeURIComponent(id)}&lib=ttq`],
        init:
          "window.TiktokAnalyticsObject='ttq';var ttq=window.ttq=window.ttq||[];['page','track','identify'].forEach(function(m){ttq[m]=ttq[m]||function(){ttq.push([m].concat([].slice.call(arguments)))}});" +
          'ttq.page();',
        noscriptImages: [],
        script: ['https://analytics.tiktok.com'],
        img: ['https://analytics.tiktok.com'],
        connect: ['https://analytics.tiktok.com'],
      };
    case 'custom': {
      const url = pixel.script_url ?? '';
      const origin = new URL(url).origin;
      return { scripts: [url], init: '', noscriptImages: [], script: [origin], img: [origin], connect: [origin] };
    }
  }
}

export function pixelPageOf(pixels: PixelSpec[]): PixelPage {
  const parts = pixels.map(partsOf);
  const unique = (list: string[]) => [...new Set(list)];
  return {
    scripts: unique(parts.flatMap((part) => part.scripts)),
    init: parts.map((part) => part.init).join(''),
    noscriptImages: unique(parts.flatMap((part) => part.noscriptImages)),
    sources: {
      script: unique(parts.flatMap((part) => part.script)),
      img: unique(parts.flatMap((part) => part.img)),
      connect: unique(parts.flatMap((part) => part.connect)),
    },
  };
}

/** Do-Not-Track or Global Privacy Control: the visitor gets no pixel. */
export const refusesTracking = (req: IncomingMessage): boolean => req.headers.dnt === '1' || req.headers['sec-gpc'] === '1';

/** The longest the page waits for the pixels before it forwards anyway (ms). */
const MAX_WAIT_MS = 1500;
/** After the last pixel script has loaded, a moment for its first beacon to leave (ms). */
const AFTER_LOAD_MS = 150;

/**
 * A small page that loads the link's pixels and forwards at once: as soon as their scripts have loaded (or failed),
 * at the latest after MAX_WAIT_MS; without JavaScript, through a meta refresh (and the providers' image beacons).
 * Its CSP allows scripts only with this response's nonce or from the pixels' hosts.
 */
export function sendPixelPage(req: IncomingMessage, res: ServerResponse, destination: string, page: PixelPage, headers?: OutgoingHttpHeaders): void {
  const nonce = randomBytes(16).toString('base64');
  const script =
    `(function(){var d=${js(destination)},s=${js(page.scripts)},n=s.length,done=false;` +
    'function go(){if(!done){done=true;location.replace(d)}}' +
    `function one(){if(--n<=0)setTimeout(go,${AFTER_LOAD_MS})}` +
    `try{${page.init}}catch(e){}` +
    "s.forEach(function(u){var e=document.createElement('script');e.async=true;e.src=u;e.onload=e.onerror=one;document.head.appendChild(e)});" +
    `if(!n)go();setTimeout(go,${MAX_WAIT_MS})})();`;
  const target = html(destination);
  const body =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">' +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>Redirecting…</title>` +
    `<noscript><meta http-equiv="refresh" content="0;url=${target}"></noscript>` +
    `<meta http-equiv="refresh" content="3;url=${target}">` +
    `<script nonce="${nonce}">${script}</script></head>` +
    `<body style="font-family:system-ui,sans-serif;margin:2rem;color:#333"><p>Redirecting… <a href="${target}">Continue</a></p>` +
    (page.noscriptImages.length ? `<noscript>${page.noscriptImages.map((src) => `<img src="${html(src)}" width="1" height="1" alt="" style="display:none">`).join('')}</noscript>` : '') +
    '</body></html>';
  const { sources } = page;
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' ${sources.script.join(' ')}`,
    `img-src ${sources.img.join(' ') || "'none'"}`,
    `connect-src ${sources.connect.join(' ') || "'none'"}`,
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'private, no-store, max-age=0',
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Robots-Tag': 'noindex',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Request-Id': requestIdOf(req),
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
