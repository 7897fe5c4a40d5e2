import { z } from 'zod/v4';
import { idParams, timestamp } from '../../contracts/common';
import { DOMAIN_CHECK_PATH, domainCheckAnswer } from '../../domain/domain-check';
import { randomToken } from '../../support/crypto';
import type { ApiServices } from './deps';
import { defineRoute } from '../route';

const CHECK_TIMEOUT_MS = 5000;

const domainCheck = z.object({
  id: z.string(),
  hostname: z.string(),
  verified: z.boolean().describe('The domain answered as this MASK deployment: its DNS (and any proxy) lead here'),
  problem: z.string().nullable().describe('Why it is not verified; null when it is'),
  checked_url: z.string().describe('The address asked'),
  checked_at: timestamp,
});

/** Asks the domain, over the internet as a visitor would, for the answer only this deployment can give. */
async function ask(url: string, expected: string): Promise<string | null> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
  } catch {
    return 'It did not answer: no DNS record yet, or nothing listening there.';
  }
  if (response.status !== 200) return `It answered HTTP ${response.status} instead of this MASK's check.`;
  const body = (await response.text()).slice(0, 200).trim();
  return body === expected ? null : 'It answered, but not as this MASK deployment: the DNS record points elsewhere.';
}

export const domainCheckRoutes = ({ domains, secret, clock }: ApiServices) => [
  defineRoute({
    method: 'post',
    path: '/domains/:id/check',
    scope: 'admin',
    tag: 'Domains',
    summary: 'Check that a custom domain leads to this MASK',
    description:
      `Requests \`http(s)://{hostname}${DOMAIN_CHECK_PATH}/{nonce}\` (5 s at most, no redirects followed) and compares ` +
      'the answer with the one only this deployment can give. Nothing is stored: check again after changing DNS.',
    params: idParams('dom'),
    response: domainCheck,
    async handler({ params, actor }) {
      const domain = await domains.get(actor.workspaceId, params.id);
      const nonce = randomToken(24);
      const url = `${domain.secure ? 'https' : 'http'}://${domain.hostname}${DOMAIN_CHECK_PATH}/${nonce}`;
      const problem = await ask(url, domainCheckAnswer(secret.value, domain.hostname, nonce));
      return { id: domain.id, hostname: domain.hostname, verified: problem === null, problem, checked_url: url, checked_at: clock.now().toISOString() };
    },
  }),
];
