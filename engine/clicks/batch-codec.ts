import type { ClickedLink, IdentifiedClick } from './types';

/**
 * A batch of clicks as posted to the click-writer worker. Posting click objects makes the structured clone write every
 * property name of every click and rebuild every object property by property, on both threads; here each distinct
 * string is cloned once per batch, each link once per thread (see ClickPacker), and each click is a few numbers in
 * typed arrays, copied as bytes.
 */
export interface PackedClicks {
  ids: string[];
  at: Float64Array;
  /** Per click, the SLOTS below: a link index (see ClickPacker), indexes into `strings` (-1 for null), and the HEAD / preview flags. */
  slots: Int32Array;
  /** The links this batch uses that the receiver was not sent yet: they take the next link indexes, in this order. */
  newLinks: ClickedLink[];
  /** The receiver forgets the links it holds before taking `newLinks` (the sender's table was full and started over). */
  resetLinks: boolean;
  strings: string[];
}

const SLOTS = 9;
const [LINK, DESTINATION, USER_AGENT, REFERRER, COUNTRY, ADDRESS, FLAGS, RULE, VARIANT] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const HEAD = 1;
const PREVIEW = 2;

/**
 * Links the receiving thread keeps before both sides start over. Cloning a link costs as much as the rest of its
 * clicks together (7 properties), and a batch carries hundreds of them, most of them sent in earlier batches.
 */
const LINKS_KEPT = 10_000;

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

/**
 * Packs batches for one receiving thread, remembering the links it has sent there (by identity: a link's ClickedLink
 * is made when it is loaded and never changed, so an edited link is a new object). A new thread needs a new packer,
 * and batches must be unpacked in the order they were packed.
 */
export class ClickPacker {
  private readonly sent = new Map<ClickedLink, number>();

  constructor(private readonly linksKept = LINKS_KEPT) {}

  pack(clicks: readonly IdentifiedClick[]): PackedClicks {
    const resetLinks = this.sent.size >= this.linksKept;
    if (resetLinks) this.sent.clear();
    const newLinks: ClickedLink[] = [];
    const linkIndex = (link: ClickedLink) => {
      let index = this.sent.get(link);
      if (index === undefined) {
        index = this.sent.size;
        this.sent.set(link, index);
        newLinks.push(link);
      }
      return index;
    };
    const strings = new Interned<string>();
    const nullable = (value: string | null) => (value === null ? -1 : strings.indexOf(value));
    const ids = new Array<string>(clicks.length);
    const at = new Float64Array(clicks.length);
    const slots = new Int32Array(clicks.length * SLOTS);
    clicks.forEach((click, i) => {
      ids[i] = click.id;
      at[i] = click.at;
      const s = i * SLOTS;
      slots[s + LINK] = linkIndex(click.link);
      slots[s + DESTINATION] = strings.indexOf(click.url);
      slots[s + USER_AGENT] = strings.indexOf(click.userAgent);
      slots[s + REFERRER] = nullable(click.referrer);
      slots[s + COUNTRY] = nullable(click.country);
      slots[s + ADDRESS] = strings.indexOf(click.address);
      slots[s + FLAGS] = (click.head ? HEAD : 0) | (click.preview ? PREVIEW : 0);
      slots[s + RULE] = nullable(click.ruleId ?? null);
      slots[s + VARIANT] = nullable(click.variant ?? null);
    });
    return { ids, at, slots, newLinks, resetLinks, strings: strings.values };
  }
}

/** The receiving side of one ClickPacker: holds the links sent so far. */
export class ClickUnpacker {
  private links: ClickedLink[] = [];

  unpack({ ids, at, slots, newLinks, resetLinks, strings }: PackedClicks): IdentifiedClick[] {
    if (resetLinks) this.links = [];
    for (const link of newLinks) this.links.push(link);
    const nullable = (index: number) => (index < 0 ? null : strings[index]);
    return ids.map((id, i) => {
      const s = i * SLOTS;
      const click: IdentifiedClick = {
        id,
        link: this.links[slots[s + LINK]],
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
}
