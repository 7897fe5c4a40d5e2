import { createHash } from 'node:crypto';
import type { PublicPage } from '../domain/pages/serializer';
import { paletteOf, type Theme, type ThemeName } from '../domain/pages/themes';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Every piece of user text goes through this, in text and in attribute values alike. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]);

const variables = (theme: Theme) =>
  `--bg1:${theme.background[0]};--bg2:${theme.background[1]};--text:${theme.text};--muted:${theme.muted};--btn:${theme.button};` +
  `--btn-text:${theme.buttonText};--btn-border:${theme.buttonBorder};--btn-hover:${theme.buttonHover};--focus:${theme.focus};` +
  `--mono:${theme.monogram};--mono-text:${theme.monogramText}`;

const LAYOUT = `
*{box-sizing:border-box}
html{background:var(--bg1)}
body{margin:0;min-height:100vh;min-height:100dvh;display:flex;flex-direction:column;background:linear-gradient(170deg,var(--bg1),var(--bg2)) fixed;color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-text-size-adjust:100%}
main{flex:1;width:100%;max-width:600px;margin:0 auto;padding:48px 20px 24px}
.profile{text-align:center;margin-bottom:28px}
.avatar{display:block;width:96px;height:96px;margin:0 auto 16px;border-radius:50%;object-fit:cover;background:var(--btn-border)}
.monogram{display:flex;align-items:center;justify-content:center;font-size:2.5rem;font-weight:700;line-height:1;background:var(--mono);color:var(--mono-text)}
h1{margin:0;font-size:1.5rem;line-height:1.3;font-weight:700;overflow-wrap:anywhere}
.bio{margin:8px auto 0;max-width:34em;color:var(--muted);white-space:pre-line;overflow-wrap:anywhere}
.links{list-style:none;margin:0;padding:0;display:grid;gap:14px}
.links a{display:flex;align-items:center;justify-content:center;min-height:56px;padding:14px 20px;border:2px solid var(--btn-border);border-radius:14px;background:var(--btn);color:var(--btn-text);box-shadow:0 1px 3px rgb(0 0 0/.08);font-weight:600;text-align:center;text-decoration:none;overflow-wrap:anywhere;transition:transform .15s ease,background-color .15s ease,box-shadow .15s ease}
.links a:hover{background:var(--btn-hover);transform:translateY(-2px);box-shadow:0 6px 18px rgb(0 0 0/.14)}
.links a:active{transform:none;box-shadow:none}
a:focus-visible{outline:3px solid var(--focus);outline-offset:3px}
.empty{text-align:center;color:var(--muted)}
footer{padding:16px 20px 32px;text-align:center;font-size:.8125rem;color:var(--muted)}
@media (min-width:640px){main{padding-top:80px}.avatar{width:112px;height:112px}h1{font-size:1.75rem}}
@media (prefers-reduced-motion:reduce){.links a{transition:none}.links a:hover{transform:none}}
`.trim();

export interface RenderedPage {
  html: string;
  /** Quoted strong validator of the HTML. */
  etag: string;
  /** The CSP `style-src` source of the inline style sheet. */
  styleHash: string;
}

interface Stylesheet {
  css: string;
  hash: string;
  themeColor: string;
}

const FAVICON = '<link rel="icon" href="data:,">';

/**
 * Renders bio pages: one self-contained HTML document (inline CSS, no script, no external asset but the avatar),
 * mobile-first, with landmarks, visible focus and AA contrast in every theme. Style sheets are built once per theme.
 */
export class PageRenderer {
  private readonly sheets = new Map<ThemeName, Stylesheet>();

  private sheet(name: ThemeName): Stylesheet {
    let sheet = this.sheets.get(name);
    if (!sheet) {
      const { base, dark } = paletteOf(name);
      let css = `:root{color-scheme:${base.scheme};${variables(base)}}\n`;
      if (dark) css += `@media (prefers-color-scheme:dark){:root{color-scheme:dark;${variables(dark)}}}\n`;
      css += LAYOUT;
      sheet = { css, hash: `'sha256-${createHash('sha256').update(css).digest('base64')}'`, themeColor: base.background[0] };
      this.sheets.set(name, sheet);
    }
    return sheet;
  }

  render(page: PublicPage, options: { noindex: boolean }): RenderedPage {
    const sheet = this.sheet(page.theme);
    const name = page.title ?? page.handle;
    const summary = page.description?.replace(/\s+/g, ' ') ?? `Links of ${name}`;
    const avatar = page.avatar_url
      ? `<img class="avatar" src="${escapeHtml(page.avatar_url)}" alt="Profile picture of ${escapeHtml(name)}" width="96" height="96" referrerpolicy="no-referrer">`
      : `<div class="avatar monogram" aria-hidden="true">${escapeHtml(initialOf(name))}</div>`;
    const bio = page.description ? `\n<p class="bio">${escapeHtml(page.description)}</p>` : '';
    const items = page.items.length
      ? `<nav aria-label="Links">\n<ul class="links">\n${page.items
          .map((item) => `<li><a href="${escapeHtml(hrefOf(item.short_url, page.domain))}">${escapeHtml(item.label)}</a></li>`)
          .join('\n')}\n</ul>\n</nav>`
      : '<p class="empty">No links here yet.</p>';
    const meta = [
      `<meta name="description" content="${escapeHtml(summary)}">`,
      options.noindex ? '<meta name="robots" content="noindex, nofollow">' : '',
      `<meta name="theme-color" content="${sheet.themeColor}">`,
      `<link rel="canonical" href="${escapeHtml(page.public_url)}">`,
      `<meta property="og:type" content="profile">`,
      `<meta property="og:title" content="${escapeHtml(name)}">`,
      `<meta property="og:description" content="${escapeHtml(summary)}">`,
      `<meta property="og:url" content="${escapeHtml(page.public_url)}">`,
      page.avatar_url ? `<meta property="og:image" content="${escapeHtml(page.avatar_url)}">` : '',
      '<meta name="twitter:card" content="summary">',
    ].filter(Boolean);
    const html = document({
      title: name,
      head: meta.join('\n'),
      css: sheet.css,
      body: `<main>\n<header class="profile">\n${avatar}\n<h1>${escapeHtml(name)}</h1>${bio}\n</header>\n${items}\n</main>\n<footer>Made with MASK</footer>`,
    });
    return { html, etag: etagOf(html), styleHash: sheet.hash };
  }

  /** The page a visitor gets for a handle with no published page. */
  notFound(): RenderedPage {
    const sheet = this.sheet('auto');
    const html = document({
      title: 'Page not found',
      head: '<meta name="robots" content="noindex, nofollow">',
      css: sheet.css,
      body: '<main>\n<header class="profile">\n<h1>Page not found</h1>\n<p class="bio">There is no page at this address. Check it for typos.</p>\n</header>\n</main>',
    });
    return { html, etag: etagOf(html), styleHash: sheet.hash };
  }
}

function document(parts: { title: string; head: string; css: string; body: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
${parts.head}
${FAVICON}
<style>${parts.css}</style>
</head>
<body>
${parts.body}
</body>
</html>
`;
}

/** The first letter (a whole grapheme's first code point) of a name, upper-cased, for the avatar placeholder. */
function initialOf(name: string): string {
  const first = [...name.trim()][0] ?? '?';
  return first.toLocaleUpperCase();
}

/**
 * A short link on the page's own domain as a path, so the click goes back to the very host the visitor reached the page
 * on (whatever scheme, port or proxy name that was); short links on other domains stay absolute.
 */
function hrefOf(shortUrl: string, pageDomain: string): string {
  const url = new URL(shortUrl);
  return url.host === pageDomain ? url.pathname : shortUrl;
}

const etagOf = (html: string) => `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`;
