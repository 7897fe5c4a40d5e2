import type { EventType } from '../domain/outbox';

const exampleLink = (at: string) => ({
  id: 'lnk_example',
  url: 'https://example.com/my-page',
  short_url: 'https://go.example.com/my-link',
  slug: 'my-link',
  domain: 'go.example.com',
  title: 'Example link (test message)',
  tags: ['example'],
  clicks: 0,
  utm_source: null,
  utm_medium: null,
  utm_campaign: null,
  expires_at: null,
  ios_target: null,
  android_target: null,
  created_at: at,
  updated_at: at,
});

const exampleConversion = (type: 'lead' | 'sale', at: string) => ({
  id: 'conv_example',
  type,
  event_name: type === 'sale' ? 'Purchase' : 'Sign up',
  customer_id: 'customer-42',
  attributed: true,
  unattributed_reason: null,
  click_id: 'clk_example',
  link_id: 'lnk_example',
  campaign_id: 'camp_example',
  lead_id: type === 'sale' ? 'conv_example_lead' : null,
  clicked_at: at,
  country: 'US',
  device: 'desktop',
  amount: type === 'sale' ? 4999 : null,
  currency: type === 'sale' ? 'USD' : null,
  idempotency_key: type === 'sale' ? 'order-1001' : null,
  metadata: null,
  created_at: at,
});

/** The `data` of a test message: an example of what a real event of that type carries, with example ids. */
export function exampleData(type: EventType, at: string): Record<string, unknown> {
  switch (type) {
    case 'link.created':
    case 'link.updated':
      return exampleLink(at);
    case 'link.deleted':
      return { id: 'lnk_example', domain: 'go.example.com', slug: 'my-link', deleted_at: at };
    case 'click.recorded':
      return {
        click: { id: 'clk_example', timestamp: at, country: 'US', device: 'desktop', browser: 'Chrome', os: 'macOS', referrer: 'https://news.example.org/' },
        link: exampleLink(at),
      };
    case 'page.published':
      return { id: 'pg_example', slug: 'my-page', title: 'Example page (test message)', url: 'https://go.example.com/my-page', published_at: at };
    case 'subscription.updated':
      return { plan: 'pro', status: 'active', updated_at: at };
    case 'lead.recorded':
    case 'sale.recorded':
      return exampleConversion(type === 'sale.recorded' ? 'sale' : 'lead', at);
  }
}
