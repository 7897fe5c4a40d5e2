import type { IncomingMessage } from 'node:http';

export type FormResult = { ok: true; fields: URLSearchParams } | { ok: false; problem: 'unsupportedForm' | 'tooLarge' | 'badRequest' };

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** What a host app's body parser left on the request, when one already consumed the body. */
function parsedByHost(req: IncomingMessage): URLSearchParams | null {
  const body = (req as IncomingMessage & { body?: unknown }).body;
  if (Buffer.isBuffer(body) || typeof body === 'string') return new URLSearchParams(body.toString());
  if (body && typeof body === 'object') {
    const fields = new URLSearchParams();
    for (const [key, value] of Object.entries(body)) if (typeof value === 'string') fields.append(key, value);
    return fields;
  }
  return req.readableEnded ? new URLSearchParams() : null;
}

/**
 * Reads a small urlencoded form body, refusing other content types (415) and bodies over `limit` bytes (413) without
 * buffering them.
 */
export function readForm(req: IncomingMessage, limit: number): Promise<FormResult> {
  if (!FORM_TYPE.test(req.headers['content-type'] ?? '')) return Promise.resolve({ ok: false, problem: 'unsupportedForm' });
  const fromHost = parsedByHost(req);
  if (fromHost) return Promise.resolve({ ok: true, fields: fromHost });
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve({ ok: false, problem: 'tooLarge' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: FormResult) => {
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ ok: false, problem: 'tooLarge' });
      } else chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, fields: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) });
    const onAbort = () => finish({ ok: false, problem: 'badRequest' });
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}
