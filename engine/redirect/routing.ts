import { bucketOf, bucketTable } from '../domain/routing/buckets';
import { variantLabel } from '../domain/routing/labels';
import { compileConditions, type Predicate, type VisitFacts } from '../domain/routing/match';
import type { Condition, Preview, Variant } from '../domain/routing/types';
import { parseJson } from '../store/db';
import type { RuleRow } from '../store/link-rules';
import type { RedirectLinkRow } from '../store/links';
import { destinationOf } from './destination';

/** An A/B split ready to serve: which variant each bucket gets, and each variant's Location and label. */
export interface Split {
  /** The split's id (the link's or the rule's): each split buckets visitors on its own. */
  id: string;
  table: Uint8Array;
  destinations: string[];
  labels: string[];
}

export interface CompiledRule {
  id: string;
  matches: Predicate;
  destination: string;
  split: Split | null;
}

/** A link's smart routing, compiled once when the link is loaded into the cache; null on links without any. */
export interface LinkRouting {
  rules: CompiledRule[];
  split: Split | null;
  preview: Preview | null;
}

/** Where one visit goes: the Location, and which rule and variant chose it (null: none). */
export interface Route {
  url: string;
  ruleId: string | null;
  variant: string | null;
}

function compileSplit(id: string, variants: Variant[] | null, utm: RedirectLinkRow): Split | null {
  if (!variants || variants.length === 0) return null;
  return {
    id,
    table: bucketTable(variants),
    destinations: variants.map((variant) => destinationOf(variant.url, utm)),
    labels: variants.map((variant) => variantLabel(variant.url)),
  };
}

/** Rules, split and preview of a link, with every destination carrying the link's UTM parameters. */
export function compileRouting(row: RedirectLinkRow, rules: RuleRow[]): LinkRouting | null {
  const split = compileSplit(row.id, parseJson<Variant[] | null>(row.variants, null), row);
  const preview = parseJson<Preview | null>(row.preview, null);
  if (rules.length === 0 && split === null && preview === null) return null;
  return {
    rules: rules.map((rule) => ({
      id: rule.id,
      matches: compileConditions(parseJson<Condition[]>(rule.conditions, [])),
      destination: destinationOf(rule.url, row),
      split: compileSplit(rule.id, parseJson<Variant[] | null>(rule.variants, null), row),
    })),
    split,
    preview,
  };
}

/** Who is visiting, for sticky variants: the same inputs as the visitor hash, without its daily salt. */
export interface Visitor {
  address: string;
  userAgent: string;
  bot: boolean;
}

/** The variant of a visitor: sticky by bucket; bots get `primary` and no variant. */
export function splitRoute(split: Split, visitor: Visitor, primary: string, ruleId: string | null): Route {
  if (visitor.bot) return { url: primary, ruleId, variant: null };
  const index = split.table[bucketOf(split.id, visitor.address, visitor.userAgent)];
  return { url: split.destinations[index], ruleId, variant: split.labels[index] };
}

/** The first rule whose conditions all hold picks the destination (or its split's variant); null when none does. */
export function ruleRoute(routing: LinkRouting, facts: VisitFacts, visitor: () => Visitor): Route | null {
  for (const rule of routing.rules) {
    if (!rule.matches(facts)) continue;
    return rule.split ? splitRoute(rule.split, visitor(), rule.destination, rule.id) : { url: rule.destination, ruleId: rule.id, variant: null };
  }
  return null;
}
