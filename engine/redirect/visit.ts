import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { KnownDomain } from './hosts';
import type { ShortPath } from './paths';

/** One request for a short link, as the redirect path passes it around. */
export interface Visit {
  req: IncomingMessage & { baseUrl?: string };
  res: ServerResponse;
  method: 'GET' | 'HEAD' | 'POST';
  target: ShortPath;
  domain: KnownDomain;
}

/** Sends the visitor on to the link's destination and records the click. */
export type OpenLink = (status?: number, headers?: OutgoingHttpHeaders) => void;

export const shortLinkText = (visit: Visit): string => `${visit.domain.hostname}${visit.target.path}`;
