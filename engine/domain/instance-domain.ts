import type { EngineSetting } from '../store/engine-settings';
import type { Logger } from '../support/logger';

/** What services read the instance domain from: its value is only known once the engine has started. */
export interface InstanceHost {
  readonly hostname: string;
}

/**
 * The instance (default) domain of short links. Every process of one deployment must use the same one, or a link
 * created through one engine answers 404 on another: the first start stores it (MASK_DEFAULT_DOMAIN, else
 * `localhost:<PORT>`), and every later start uses the stored one. Until then it is the configured value.
 */
export class InstanceDomain implements InstanceHost {
  private current: string;

  constructor(
    private readonly configured: string,
    /** Whether MASK_DEFAULT_DOMAIN was given (a disagreement then deserves a warning; the fallback does not). */
    private readonly explicit: boolean,
  ) {
    this.current = configured;
  }

  get hostname(): string {
    return this.current;
  }

  /**
   * Stores the configured domain on the first start (first writer wins), then adopts the stored one. With
   * `keep: false` (short CLI commands, which are no start) nothing is stored: the configured one serves until then.
   */
  async load(setting: EngineSetting, logger: Logger, { keep = true } = {}): Promise<string> {
    const stored = keep ? await setting.keep(this.configured) : ((await setting.read()) ?? this.configured);
    if (stored !== this.configured && this.explicit) {
      logger.warn(
        { configured: this.configured, stored },
        `MASK_DEFAULT_DOMAIN is ${this.configured}, but this instance's domain is ${stored} (stored at its first start): using ${stored}. Change it with \`mask instance-domain <hostname>\``,
      );
    }
    this.current = stored;
    return stored;
  }
}
