import { TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { visit, type VisitOptions } from '../../support/redirect-client';

/** Helpers shared by the smart-routing tests: links through the API, visits on the test domain. */
export function routingHelpers(t: () => TestEngine) {
  const createLink = async (body: Record<string, unknown> = {}) => {
    const response = await t().api('POST', '/api/v1/links', { body: { url: 'https://example.com/default', ...body } });
    if (response.status !== 201) throw new Error(`link not created: ${response.status} ${response.text}`);
    return response.body as { id: string; slug: string; short_url: string; variants: unknown; preview: unknown };
  };
  const addRule = async (linkId: string, body: Record<string, unknown>) => {
    const response = await t().api('POST', `/api/v1/links/${linkId}/rules`, { body });
    if (response.status !== 201) throw new Error(`rule not created: ${response.status} ${response.text}`);
    return response.body as { id: string; position: number };
  };
  const go = (slug: string, options: VisitOptions & { query?: string } = {}) =>
    visit(t().baseUrl, `/${slug}${options.query ? `?${options.query}` : ''}`, { host: TEST_DOMAIN, ...options });
  return { createLink, addRule, go };
}

export const chromeOf = (n: number) =>
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.${n}.0 Safari/537.36`;

/** Runs `work` over 0..count-1 with at most `width` in flight. */
export async function inParallel(count: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await work(next++);
    }),
  );
}
