import { idParams } from '../../contracts/common';
import { deepLinks, deepLinksBody } from '../../contracts/deep-links';
import { reorderRulesBody, rule, ruleBodies, ruleList, ruleParams } from '../../contracts/routing';
import { MAX_RULES } from '../../domain/routing/types';
import type { ApiServices } from './deps';
import { defineRoute } from '../route';

const listOf = <T>(data: T[]) => ({ data, pagination: { has_more: false, cursor: null } });

/** Smart routing: a link's rules, and a custom domain's deep-link files. */
export const routingRoutes = ({ rules, deepLinks: files, config }: ApiServices) => {
  const { createRuleBody, updateRuleBody, replaceRulesBody } = ruleBodies({ allowHttp: config.allowHttpUrls });
  return [
    defineRoute({
      method: 'get',
      path: '/links/:id/rules',
      scope: 'links:read',
      tag: 'Rules',
      summary: 'List a link’s routing rules',
      description: `Every rule (at most ${MAX_RULES}), in evaluation order: the first whose conditions all hold picks the destination.`,
      params: idParams('lnk'),
      response: ruleList,
      async handler({ params, actor }) {
        return listOf(await rules.list(actor, params.id));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/links/:id/rules',
      scope: 'links:write',
      tag: 'Rules',
      summary: 'Add a routing rule',
      description: `Appended, or inserted at position. A link has at most ${MAX_RULES} rules; every broken condition is named in details.`,
      params: idParams('lnk'),
      body: createRuleBody,
      response: rule,
      status: 201,
      async handler({ params, body, actor }) {
        return rules.create(actor, params.id, body);
      },
    }),
    defineRoute({
      method: 'put',
      path: '/links/:id/rules',
      scope: 'links:write',
      tag: 'Rules',
      summary: 'Replace all routing rules',
      description: 'The given list becomes the link’s rules, in order, in one transaction (new ids); [] removes them all.',
      params: idParams('lnk'),
      body: replaceRulesBody,
      response: ruleList,
      async handler({ params, body, actor }) {
        return listOf(await rules.replace(actor, params.id, body.rules));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/links/:id/rules/reorder',
      scope: 'links:write',
      tag: 'Rules',
      summary: 'Reorder routing rules',
      description: 'rule_ids lists every rule of the link once, in the new evaluation order.',
      params: idParams('lnk'),
      body: reorderRulesBody,
      response: ruleList,
      async handler({ params, body, actor }) {
        return listOf(await rules.reorder(actor, params.id, body.rule_ids));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/links/:id/rules/:rule_id',
      scope: 'links:read',
      tag: 'Rules',
      summary: 'Get a routing rule',
      params: ruleParams,
      response: rule,
      async handler({ params, actor }) {
        return rules.get(actor, params.id, params.rule_id);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/links/:id/rules/:rule_id',
      scope: 'links:write',
      tag: 'Rules',
      summary: 'Update a routing rule',
      description: 'Changes the fields present (conditions are replaced as a whole); variants: null removes the split.',
      params: ruleParams,
      body: updateRuleBody,
      response: rule,
      async handler({ params, body, actor }) {
        return rules.update(actor, params.id, params.rule_id, body);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/links/:id/rules/:rule_id',
      scope: 'links:write',
      tag: 'Rules',
      summary: 'Delete a routing rule',
      params: ruleParams,
      response: rule.describe('The rule as it was'),
      async handler({ params, actor }) {
        return rules.delete(actor, params.id, params.rule_id);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/domains/:id/deep-links',
      scope: 'admin',
      tag: 'Domains',
      summary: 'Get a domain’s deep-link files',
      description: 'The documents served at /.well-known/apple-app-site-association and /.well-known/assetlinks.json on this domain.',
      params: idParams('dom'),
      response: deepLinks,
      async handler({ params, actor }) {
        return files.get(actor, params.id);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/domains/:id/deep-links',
      scope: 'admin',
      tag: 'Domains',
      summary: 'Set a domain’s deep-link files',
      description:
        'Sets the documents present (null stops serving one). They are served as given, as application/json, with no ' +
        'redirect: apple-app-site-association for iOS universal links, assetlinks.json for Android app links.',
      params: idParams('dom'),
      body: deepLinksBody,
      response: deepLinks,
      async handler({ params, body, actor }) {
        return files.update(actor, params.id, body);
      },
    }),
  ];
};
