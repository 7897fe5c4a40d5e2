import type { ClickedLink, IdentifiedClick } from './types';

/**
 * A batch of clicks as posted to the click-writer worker. Posting click objects makes the structured clone write every
 * property name of every click and rebuild every object property by property, on both threads; here each distinct
 * string and link is cloned once per batch, and each click is a few numbers in typed arrays, copied as bytes.
 */
export interface PackedClicks {
  ids: string[];
  at: Float64Array;
  /** Per click, the SLOTS below: an index into `links`, indexes into `strings` (-1 for null), and the HEAD / preview flags. */
  slots: Int32Array;
  links: ClickedLink[];
  strings: string[];
}

const SLOTS = 9;
const [LINK, DESTINATION, USER_AGENT, REFERRER, COUNTRY, ADDRESS, FLAGS, RULE, VARIANT] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const HEAD = 1;
const PREVIEW = 2;

class Interned<T> {
  readonly values: T[] = [];
  private readonly indexes = new Map<T, number>();

  indexOf(value: T): number {
    let index = this.indexes.get(value);
    if (index === undefined) {
      index = this.values.push(value) - 1;
      this.indexes.set(value, index);
    }
    return index;
  }
}

export function packClicks(clicks: readonly IdentifiedClick[]): PackedClicks {
  const links = new Interned<ClickedLink>();
  const strings = new Interned<string>();
  const nullable = (value: string | null) => (value === null ? -1 : strings.indexOf(value));
  const ids = new Array<string>(clicks.length);
  const at = new Float64Array(clicks.length);
  const slots = new Int32Array(clicks.length * SLOTS);
  clicks.forEach((click, i) => {
    ids[i] = click.id;
    at[i] = click.at;
    const s = i * SLOTS;
    slots[s + LINK] = links.indexOf(click.link);
    slots[s + DESTINATION] = strings.indexOf(click.url);
    slots[s + USER_AGENT] = strings.indexOf(click.userAgent);
    slots[s + REFERRER] = nullable(click.referrer);
    slots[s + COUNTRY] = nullable(click.country);
    slots[s + ADDRESS] = strings.indexOf(click.address);
    slots[s + FLAGS] = (click.head ? HEAD : 0) | (click.preview ? PREVIEW : 0);
    slots[s + RULE] = nullable(click.ruleId ?? null);
    slots[s + VARIANT] = nullable(click.variant ?? null);
  });
  return { ids, at, slots, links: links.values, strings: strings.values };
}

export function unpackClicks({ ids, at, slots, links, strings }: PackedClicks): IdentifiedClick[] {
  const nullable = (index: number) => (index < 0 ? null : strings[index]);
  return ids.map((id, i) => {
    const s = i * SLOTS;
    const click: IdentifiedClick = {
      id,
      link: links[slots[s + LINK]],
      at: at[i],
      url: strings[slots[s + DESTINATION]],
      userAgent: strings[slots[s + USER_AGENT]],
      referrer: nullable(slots[s + REFERRER]),
      country: nullable(slots[s + COUNTRY]),
      address: strings[slots[s + ADDRESS]],
      head: (slots[s + FLAGS] & HEAD) !== 0,
    };
    // Smart-routing fields only where set, so a click comes back as it went in.
    if (slots[s + FLAGS] & PREVIEW) click.preview = true;
    if (slots[s + RULE] >= 0) click.ruleId = strings[slots[s + RULE]];
    if (slots[s + VARIANT] >= 0) click.variant = strings[slots[s + VARIANT]];
    return click;
  });
}
