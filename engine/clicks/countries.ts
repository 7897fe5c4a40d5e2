import type { IncomingHttpHeaders } from 'node:http';
import { open, type CountryResponse, type Reader } from 'maxmind';

const ISO_CODE = /^[A-Za-z]{2}$/;
// Cloudflare's "unknown"; other non-country codes (T1 for Tor) fail the pattern anyway.
const UNKNOWN = 'XX';

const normalise = (code: string | undefined | null): string | null => {
  if (!code || !ISO_CODE.test(code)) return null;
  const upper = code.toUpperCase();
  return upper === UNKNOWN ? null : upper;
};

/**
 * The visitor's country as an ISO 3166-1 alpha-2 code: from a header set by the proxy in front (CF-IPCountry by
 * default), else from a MaxMind country or city database when one is configured, else unknown.
 */
export class CountryLocator {
  private reader: Reader<CountryResponse> | null = null;

  constructor(
    private readonly header: string | null,
    private readonly databasePath: string | undefined,
  ) {}

  /** Opens the MaxMind database, if configured; a missing or corrupt file stops start-up with its path. */
  async open(): Promise<void> {
    if (!this.databasePath) return;
    try {
      this.reader = await open<CountryResponse>(this.databasePath);
    } catch (error) {
      throw new Error(`MASK_GEOIP_DB: cannot open ${this.databasePath}: ${(error as Error).message}`);
    }
  }

  locate(headers: IncomingHttpHeaders, address: string): string | null {
    if (this.header) {
      const value = headers[this.header];
      const fromHeader = normalise(Array.isArray(value) ? value[0] : value);
      if (fromHeader) return fromHeader;
    }
    if (!this.reader || !address) return null;
    try {
      const found = this.reader.get(address.startsWith('::ffff:') ? address.slice(7) : address);
      return normalise(found?.country?.iso_code ?? found?.registered_country?.iso_code);
    } catch {
      return null;
    }
  }
}
