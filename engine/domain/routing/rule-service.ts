import type { Knex } from 'knex';
import { parseJson } from '../../store/db';
import type { RuleRow, RuleStore } from '../../store/link-rules';
import type { LinkRow, LinkStore } from '../../store/links';
import type { TransactionRunner } from '../../store/transactions';
import { notFound, validationError, type ErrorDetail } from '../../support/errors';
import { newId } from '../../support/ids';
import { toIso, type Clock } from '../../support/time';
import type { Actor } from '../actor';
import { recordAudits } from '../audit';
import type { LinkChanges } from '../link-changes';
import type { LinkDomains } from '../links/domains';
import { serializeLink } from '../links/serializer';
import type { Outbox } from '../outbox';
import type { LinkEventExtras } from './link-fields';
import { MAX_RULES, type Condition, type Variant } from './types';

/** A rule as validated input. */
export interface RuleInput {
  conditions: Condition[];
  url: string;
  variants?: Variant[] | null;
}

/** The public rule object. */
export interface PublicRule {
  id: string;
  link_id: string;
  position: number;
  conditions: Condition[];
  url: string;
  variants: Variant[] | null;
  created_at: string;
  updated_at: string;
}

export function serializeRule(row: RuleRow): PublicRule {
  return {
    id: row.id,
    link_id: row.link_id,
    position: row.position,
    conditions: parseJson<Condition[]>(row.conditions, []),
    url: row.url,
    variants: parseJson<Variant[] | null>(row.variants, null),
    created_at: toIso(row.created_at) as string,
    updated_at: toIso(row.updated_at) as string,
  };
}

const tooMany = (count: number): ErrorDetail => ({ field: 'rules', message: `At most ${MAX_RULES} rules per link (this change would make ${count})` });

/** What one rule change did, inside its transaction. */
interface Change<T> {
  result: T;
  /** The link's rules after the change, in order; null when nothing changed. */
  after: RuleRow[] | null;
  action: string;
}

/**
 * A link's routing rules: list, create, update, delete, reorder and replace. Each change locks the link, is one
 * transaction with its audit entry and a `link.updated` event carrying the link and its rules, bumps the link's
 * `updated_at`, and drops the cached link in every process (LinkChanges), so the next redirect sees it.
 */
export class RuleService {
  constructor(
    private readonly links: LinkStore,
    private readonly rules: RuleStore,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly domains: LinkDomains,
    private readonly outbox: Outbox,
    private readonly changes: LinkChanges,
  ) {}

  /** `link.updated` payloads carry the link's rules: LinkService adds them to its own `link.updated` events. */
  readonly eventExtras: LinkEventExtras = async (trx, linkIds) => {
    const byLink = await this.rules.ofLinks(linkIds, trx);
    return new Map([...byLink].map(([id, rows]) => [id, { rules: rows.map(serializeRule) }]));
  };

  async list(actor: Actor, linkId: string): Promise<PublicRule[]> {
    const link = await this.links.find(actor, linkId);
    if (!link) throw notFound('Link');
    return (await this.rules.ofLink(link.id)).map(serializeRule);
  }

  async get(actor: Actor, linkId: string, ruleId: string): Promise<PublicRule> {
    const rule = (await this.list(actor, linkId)).find((candidate) => candidate.id === ruleId);
    if (!rule) throw notFound('Rule');
    return rule;
  }

  async create(actor: Actor, linkId: string, input: RuleInput & { position?: number }): Promise<PublicRule> {
    return this.change(actor, linkId, async (trx, link, rules, at) => {
      if (rules.length >= MAX_RULES) throw validationError([tooMany(rules.length + 1)]);
      const position = Math.min(input.position ?? rules.length, rules.length);
      const row = { ...this.newRow(link, input, at), position };
      await this.rules.insert(trx, [row]);
      const after = rules.toSpliced(position, 0, row).map((rule, index) => ({ ...rule, position: index }));
      await this.rules.renumber(trx, after.map((rule) => rule.id));
      return { result: serializeRule(row), after, action: 'rule.created' };
    });
  }

  async update(actor: Actor, linkId: string, ruleId: string, patch: Partial<RuleInput>): Promise<PublicRule> {
    return this.change(actor, linkId, async (trx, _link, rules, at) => {
      const row = rules.find((rule) => rule.id === ruleId);
      if (!row) throw notFound('Rule');
      const changes: Partial<RuleRow> = {};
      if (patch.conditions !== undefined && JSON.stringify(patch.conditions) !== row.conditions) changes.conditions = JSON.stringify(patch.conditions);
      if (patch.url !== undefined && patch.url !== row.url) changes.url = patch.url;
      const variants = patch.variants === undefined ? undefined : patch.variants ? JSON.stringify(patch.variants) : null;
      if (variants !== undefined && variants !== row.variants) changes.variants = variants;
      if (Object.keys(changes).length === 0) return { result: serializeRule(row), after: null, action: 'rule.updated' };
      changes.updated_at = Math.max(at, row.updated_at + 1);
      await this.rules.update(trx, row.id, changes);
      return { result: serializeRule({ ...row, ...changes }), after: rules.map((rule) => (rule.id === row.id ? { ...rule, ...changes } : rule)), action: 'rule.updated' };
    });
  }

  async delete(actor: Actor, linkId: string, ruleId: string): Promise<PublicRule> {
    return this.change(actor, linkId, async (trx, _link, rules) => {
      const row = rules.find((rule) => rule.id === ruleId);
      if (!row) throw notFound('Rule');
      const rest = rules.filter((rule) => rule.id !== ruleId);
      await this.rules.delete(trx, [row.id]);
      await this.rules.renumber(trx, rest.map((rule) => rule.id));
      return { result: serializeRule(row), after: rest.map((rule, position) => ({ ...rule, position })), action: 'rule.deleted' };
    });
  }

  /** `ruleIds` must name every rule of the link once. */
  async reorder(actor: Actor, linkId: string, ruleIds: string[]): Promise<PublicRule[]> {
    return this.change(actor, linkId, async (trx, _link, rules) => {
      const known = new Set(rules.map((rule) => rule.id));
      const problems: ErrorDetail[] = [];
      const seen = new Set<string>();
      ruleIds.forEach((id, index) => {
        if (!known.has(id)) problems.push({ field: `rule_ids.${index}`, message: 'Not a rule of this link' });
        else if (seen.has(id)) problems.push({ field: `rule_ids.${index}`, message: 'Listed twice' });
        seen.add(id);
      });
      const missing = rules.filter((rule) => !seen.has(rule.id)).map((rule) => rule.id);
      if (missing.length) problems.push({ field: 'rule_ids', message: `Must list every rule of the link; missing: ${missing.join(', ')}` });
      if (problems.length) throw validationError(problems);
      const byId = new Map(rules.map((rule) => [rule.id, rule]));
      const after = ruleIds.map((id, position) => ({ ...(byId.get(id) as RuleRow), position }));
      if (after.every((rule, position) => rules[position].id === rule.id)) return { result: after.map(serializeRule), after: null, action: 'rule.reordered' };
      await this.rules.renumber(trx, ruleIds);
      return { result: after.map(serializeRule), after, action: 'rule.reordered' };
    });
  }

  /** Replaces the whole list (an empty list removes every rule). */
  async replace(actor: Actor, linkId: string, inputs: RuleInput[]): Promise<PublicRule[]> {
    if (inputs.length > MAX_RULES) throw validationError([tooMany(inputs.length)]);
    return this.change(actor, linkId, async (trx, link, rules, at) => {
      const rows = inputs.map((input, position) => ({ ...this.newRow(link, input, at), position }));
      await this.rules.delete(trx, rules.map((rule) => rule.id));
      await this.rules.insert(trx, rows);
      return { result: rows.map(serializeRule), after: rows, action: 'rule.replaced' };
    });
  }

  private newRow(link: LinkRow, input: RuleInput, at: number): RuleRow {
    return {
      id: newId('rule', at),
      link_id: link.id,
      workspace_id: link.workspace_id,
      mode: link.mode,
      position: 0,
      conditions: JSON.stringify(input.conditions),
      url: input.url,
      variants: input.variants ? JSON.stringify(input.variants) : null,
      created_at: at,
      updated_at: at,
    };
  }

  /**
   * Runs one rule change on the locked link; when it changed something: the link's `updated_at`, one audit entry
   * (the rules before and after) and one `link.updated` event with the link and its rules, then the cache notice.
   */
  private async change<T>(actor: Actor, linkId: string, work: (trx: Knex.Transaction, link: LinkRow, rules: RuleRow[], at: number) => Promise<Change<T>>): Promise<T> {
    const now = this.clock.now();
    const domains = await this.domains.forWorkspace(actor.workspaceId);
    const outcome = await this.transactions.run(async (trx) => {
      const link = await this.links.find(actor, linkId, trx);
      if (!link) throw notFound('Link');
      const rules = await this.rules.ofLink(link.id, trx);
      const change = await work(trx, link, rules, now.getTime());
      if (!change.after) return { result: change.result, link: null };
      const updated = await this.links.update(trx, link, { updated_at: Math.max(now.getTime(), link.updated_at + 1) });
      const publicLink = serializeLink(updated, domains.isSecure(link.domain));
      const before = { rules: rules.map(serializeRule) };
      const after = { rules: change.after.map(serializeRule) };
      await recordAudits(trx, actor, [{ action: change.action, resourceType: 'link', resourceId: link.id, before, after }], now);
      await this.outbox.enqueue(trx, [{ workspaceId: actor.workspaceId, mode: actor.mode, type: 'link.updated', data: { ...publicLink, ...after } }], now);
      return { result: change.result, link: publicLink };
    });
    if (outcome.link) this.changes.publish({ id: outcome.link.id, domain: outcome.link.domain, slug: outcome.link.slug, kind: 'updated' });
    return outcome.result;
  }
}
