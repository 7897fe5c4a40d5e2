// The redirect side's HTML pages: small, self-contained (inline CSS, no external assets), accessible, light and dark.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]);

const STYLE = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--text:#16181d;--muted:#4a5160;--line:#d5d9e0;--accent:#1d4ed8;--accent-text:#fff;--error:#b42318}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--card:#181b21;--text:#eef0f3;--muted:#b3b9c5;--line:#363b45;--accent:#8fb0ff;--accent-text:#0f1115;--error:#ff9b91}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;padding:24px;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{width:100%;max-width:420px;background:var(--card);border:1px solid var(--line);border-radius:14px;padding:32px 28px}
.status{margin:0 0 8px;font-size:.8125rem;font-weight:600;letter-spacing:.08em;text-transform:uppercase;color:var(--muted)}
h1{margin:0 0 12px;font-size:1.5rem;line-height:1.25}
p{margin:0 0 12px;color:var(--muted)}
.link{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9375rem;color:var(--text);overflow-wrap:anywhere}
form{margin-top:20px}
label{display:block;margin-bottom:6px;font-weight:600}
input{width:100%;padding:10px 12px;font:inherit;color:var(--text);background:var(--card);border:1px solid var(--line);border-radius:8px}
input:focus-visible,button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
input[aria-invalid=true]{border-color:var(--error)}
.error{color:var(--error);font-weight:600;margin:8px 0 0}
button{margin-top:16px;width:100%;padding:11px 16px;font:inherit;font-weight:600;color:var(--accent-text);background:var(--accent);border:0;border-radius:8px;cursor:pointer}
footer{margin-top:20px;font-size:.8125rem;color:var(--muted)}
`.trim();

export interface PageOptions {
  /** A small line above the title, such as "Error 404". */
  label?: string;
  title: string;
  message: string;
  /** The short link the page is about, shown as text. */
  shortLink?: string;
  /** Extra markup, already escaped by the caller. */
  body?: string;
  requestId?: string;
  /** The link the page is about: shown so a visitor can quote it (to report a guest link, say). */
  linkId?: string;
}

export function renderPage({ label, title, message, shortLink, body = '', requestId, linkId }: PageOptions): string {
  const status = label ? `<p class="status">${escapeHtml(label)}</p>\n` : '';
  const link = shortLink ? `<p class="link">${escapeHtml(shortLink)}</p>` : '';
  const ids = [linkId ? `Link id: ${escapeHtml(linkId)}` : '', requestId ? `Request id: ${escapeHtml(requestId)}` : ''].filter(Boolean);
  const footer = ids.length ? `<footer>${ids.join(' · ')}</footer>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${status}<h1>${escapeHtml(title)}</h1>
${link}<p>${escapeHtml(message)}</p>${body}${footer}
</main>
</body>
</html>
`;
}

/** The password form; posting it to the same address (query string included) unlocks the link. */
export function passwordForm(shortLink: string, error: string | null, requestId?: string, linkId?: string): string {
  const invalid = error ? ' aria-invalid="true" aria-describedby="password-error"' : '';
  const errorLine = error ? `<p class="error" id="password-error" role="alert">${escapeHtml(error)}</p>` : '';
  const body = `<form method="post">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus maxlength="1024"${invalid}>
${errorLine}<button type="submit">Continue</button>
</form>`;
  return renderPage({ title: 'This link is password protected', message: 'Enter the password to continue.', shortLink, body, requestId, linkId });
}
