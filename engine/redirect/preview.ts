import crawlers from 'crawler-user-agents';
import type { Preview } from '../domain/routing/types';
import { escapeHtml } from './pages';

/**
 * Link-preview crawlers (Slack, X, Facebook and iMessage, LinkedIn, Discord, WhatsApp, Telegram, Mastodon, …): the
 * entries of the maintained crawler-user-agents list tagged `social-preview`, as one expression.
 */
const PREVIEW_CRAWLERS = new RegExp(
  crawlers
    .filter((crawler) => crawler.tags?.includes('social-preview'))
    .map((crawler) => `(?:${crawler.pattern})`)
    .join('|'),
);

export const isPreviewCrawler = (userAgent: string): boolean => userAgent !== '' && PREVIEW_CRAWLERS.test(userAgent);

/**
 * The page a preview crawler gets instead of the redirect: Open Graph and Twitter Card tags from the link's preview,
 * and a plain link to the destination for anything that renders it.
 */
export function renderPreview(preview: Preview, shortUrl: string, destination: string): string {
  const title = preview.title ?? shortUrl;
  const meta = (attribute: 'property' | 'name', key: string, value: string | null) =>
    value === null ? '' : `\n<meta ${attribute}="${key}" content="${escapeHtml(value)}">`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>${meta('name', 'description', preview.description)}
<meta property="og:type" content="website">
<meta property="og:url" content="${escapeHtml(shortUrl)}">${meta('property', 'og:title', title)}${meta('property', 'og:description', preview.description)}${meta('property', 'og:image', preview.image_url)}
<meta name="twitter:card" content="${preview.image_url ? 'summary_large_image' : 'summary'}">${meta('name', 'twitter:title', title)}${meta('name', 'twitter:description', preview.description)}${meta('name', 'twitter:image', preview.image_url)}
</head>
<body>
<h1>${escapeHtml(title)}</h1>${preview.description ? `\n<p>${escapeHtml(preview.description)}</p>` : ''}
<p><a href="${escapeHtml(destination)}">${escapeHtml(destination)}</a></p>
</body>
</html>
`;
}
