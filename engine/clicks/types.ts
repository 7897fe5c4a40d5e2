import type { Knex } from 'knex';
import type { Mode } from '../domain/scopes';

/**
 * What a click needs to know about its link. Made once when the link is loaded and never changed (an edited link is a
 * new object): the click-writer thread is sent each one once, by identity (see ClickPacker).
 */
export interface ClickedLink {
  id: string;
  workspaceId: string;
  mode: Mode;
  domain: string;
  slug: string;
  shortUrl: string;
  maxClicks: number | null;
}

/** What the redirect captures at request time: raw, bounded, cheap. Parsing waits for the flush. */
export interface CapturedClick {
  link: ClickedLink;
  at: number;
  /** The destination the visitor was sent to, after targeting, UTM and query forwarding. */
  url: string;
  userAgent: string;
  referrer: string | null;
  country: string | null;
  /** The client address: kept in memory only, until the flush turns it into the visitor hash. */
  address: string;
  head: boolean;
  /** The routing rule that picked the destination (smart routing), if any. */
  ruleId?: string | null;
  /** The A/B variant served (its label, see domain/routing/labels), if any. */
  variant?: string | null;
  /** A link-preview crawler was shown the preview page: recorded as a bot whatever its user agent says. */
  preview?: boolean;
  /** Set at the first flush attempt and kept, so a retried batch inserts each click at most once. */
  id?: string;
}

/** A click on its way to the database: its id is fixed. */
export type IdentifiedClick = CapturedClick & { id: string };

/** A click as stored and as handed to flush listeners. */
export interface RecordedClick {
  id: string;
  linkId: string;
  workspaceId: string;
  mode: Mode;
  at: number;
  url: string;
  shortUrl: string;
  domain: string;
  slug: string;
  referrer: string | null;
  referrerHost: string | null;
  country: string | null;
  device: string;
  browser: string | null;
  os: string | null;
  bot: boolean;
  head: boolean;
  visitorHash: string;
  /** Counted in `links.clicks`: neither a bot nor a HEAD request. */
  counted: boolean;
  ruleId?: string | null;
  variant?: string | null;
}

/**
 * The publish point: runs inside each flush transaction with the clicks it inserted, so what it writes (outbox events,
 * rollups) commits or rolls back with them.
 */
export type FlushListener = (trx: Knex.Transaction, clicks: RecordedClick[]) => Promise<void>;
