import { isbot } from 'isbot';
import { LRUCache } from 'lru-cache';
import { UAParser } from 'ua-parser-js';
import { bounded, LIMITS } from './bounds';

export interface UserAgentInfo {
  device: string;
  browser: string | null;
  os: string | null;
  bot: boolean;
}

const DEVICE_TYPES = new Set(['mobile', 'tablet', 'console', 'smarttv', 'wearable', 'embedded', 'xr']);

function parse(userAgent: string): UserAgentInfo {
  if (!userAgent) return { device: 'unknown', browser: null, os: null, bot: false };
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const bot = isbot(userAgent);
  const name = (value: string | undefined) => (value ? bounded(value, LIMITS.name) : null);
  return {
    device: bot ? 'bot' : device.type && DEVICE_TYPES.has(device.type) ? device.type : 'desktop',
    browser: name(browser.name),
    os: name(os.name),
    bot,
  };
}

/**
 * Device, browser, OS and bot flag of a user agent (ua-parser-js 1, MIT; isbot). Parsing costs tens of microseconds,
 * and real traffic repeats a few thousand user agents, so results are kept in a small LRU.
 */
export class UserAgentClassifier {
  private readonly cache: LRUCache<string, UserAgentInfo>;

  constructor(size = 5000) {
    this.cache = new LRUCache({ max: size });
  }

  classify(userAgent: string): UserAgentInfo {
    let info = this.cache.get(userAgent);
    if (!info) {
      info = parse(userAgent);
      this.cache.set(userAgent, info);
    }
    return info;
  }

  isBot(userAgent: string): boolean {
    return this.classify(userAgent).bot;
  }
}
