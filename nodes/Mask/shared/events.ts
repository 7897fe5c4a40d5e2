import type { INodePropertyOptions } from 'n8n-workflow';

/** The events a MASK webhook endpoint can subscribe to; `*` is every event, including future ones. */
export const WEBHOOK_EVENTS: INodePropertyOptions[] = [
	{ name: 'All Events', value: '*', description: 'Every event, including ones added later' },
	{ name: 'Click Recorded', value: 'click.recorded', description: 'A short link was clicked' },
	{ name: 'Link Created', value: 'link.created' },
	{ name: 'Link Deleted', value: 'link.deleted' },
	{ name: 'Link Updated', value: 'link.updated' },
	{ name: 'Page Published', value: 'page.published', description: 'A bio page was published' },
	{ name: 'Subscription Updated', value: 'subscription.updated', description: 'The workspace plan changed' },
];

/** `["*", "link.created"]` → `["*"]`: all events already include the others. */
export const normalizeEvents = (events: string[]): string[] => (events.includes('*') ? ['*'] : [...new Set(events)]);
