import type { INodePropertyOptions } from 'n8n-workflow';

/** The events a MASK webhook endpoint can subscribe to; `*` is every event, including future ones. */
export const WEBHOOK_EVENTS: INodePropertyOptions[] = [
	{ name: 'All Events', value: '*', description: 'Every event, including ones added later' },
	{ name: 'Click Recorded', value: 'click.recorded', description: 'A short link was clicked' },
	{ name: 'Link Created', value: 'link.created' },
	{ name: 'Link Deleted', value: 'link.deleted' },
	{ name: 'Lead Recorded', value: 'lead.recorded', description: 'A lead (sign-up, form…) was reported to the conversion API' },
	{ name: 'Link Updated', value: 'link.updated' },
	{ name: 'Page Published', value: 'page.published', description: 'A bio page was published' },
	{ name: 'Sale Recorded', value: 'sale.recorded', description: 'A sale was reported to the conversion API' },
	{ name: 'Subscription Updated', value: 'subscription.updated', description: 'The workspace plan changed' },
];

/** `["*", "link.created"]` → `["*"]`: all events already include the others. */
export const normalizeEvents = (events: string[]): string[] => (events.includes('*') ? ['*'] : [...new Set(events)]);

/** The concrete event types (without "All Events"), e.g. for the event of a test message. */
export const EVENT_TYPES: INodePropertyOptions[] = WEBHOOK_EVENTS.filter((event) => event.value !== '*');
