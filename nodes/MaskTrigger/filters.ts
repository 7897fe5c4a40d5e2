import type { IDataObject, INodeProperties, IWebhookFunctions } from 'n8n-workflow';
import { campaignLocator, linkLocator, locatorValue, pageLocator } from '../Mask/v1/helpers/locators';

const optional = (property: INodeProperties, description: string): INodeProperties => ({
	...property,
	required: false,
	description,
	// A short URL cannot be resolved when the delivery arrives without an API call per event: ids only.
	modes: property.modes?.filter((mode) => mode.name !== 'url'),
});

/** Which events start the workflow, beyond their type: only those about one link, page or campaign. */
export const triggerFilters: INodeProperties = {
	displayName: 'Only Events About',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	options: [
		optional(campaignLocator(), 'Only lead and sale events attributed to this campaign, and link events of its links'),
		optional(linkLocator(), 'Only events of this link: its changes, clicks, leads and sales'),
		optional(pageLocator(), 'Only page.published events of this bio page'),
	],
};

export interface EventFilters {
	link?: string;
	page?: string;
	campaign?: string;
}

export function eventFilters(context: IWebhookFunctions): EventFilters {
	const values = context.getNodeParameter('filters', {}) as IDataObject;
	return { link: locatorValue(values.link) ?? undefined, page: locatorValue(values.page) ?? undefined, campaign: locatorValue(values.campaign) ?? undefined };
}

/** The ids an event carries, by where each event type puts them. */
function subjectsOf(event: IDataObject): EventFilters {
	const type = String(event.type ?? '');
	const data = (event.data ?? {}) as IDataObject;
	const link = (data.link ?? {}) as IDataObject;
	return {
		link: String((type.startsWith('link.') ? data.id : (data.link_id ?? link.id)) ?? '') || undefined,
		page: type.startsWith('page.') ? String(data.id ?? '') || undefined : undefined,
		campaign: String(data.campaign_id ?? link.campaign_id ?? '') || undefined,
	};
}

/** An event passes when it carries every filtered id; an event without that kind of id does not. */
export function matchesFilters(event: IDataObject, filters: EventFilters): boolean {
	const subjects = subjectsOf(event);
	return (['link', 'page', 'campaign'] as const).every((kind) => !filters[kind] || subjects[kind] === filters[kind]);
}
