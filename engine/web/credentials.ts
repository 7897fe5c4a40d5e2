import type { Request, Response } from 'express';
import type { ApiKey } from '../domain/keys';

/** The API key a request presents: `Authorization: Bearer …` or `X-API-Key`; '' for a malformed header, null for none. */
export function presentedKey(req: Request): string | null {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : '';
  }
  const alternative = req.headers['x-api-key'];
  return typeof alternative === 'string' ? alternative.trim() : null;
}

/**
 * Policy around authentication, run for every /api/v1 request before its body is parsed: limits per client address
 * and per key. It calls `authenticate` (which throws 401) and may refuse with its own error.
 */
export type AuthGuard = (req: Request, res: Response, authenticate: () => Promise<ApiKey>) => Promise<ApiKey>;
