import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { toInstant } from '../../helpers/dates';
import { domainFilter, tagFilter } from '../../helpers/lists';
import { linkIdFromLocator, linkLocator } from '../../helpers/locators';

/** Which clicks an analytics operation looks at: all links, one link, filtered by tag, domain and time. */
export const scopeProperties: INodeProperties[] = [
	{
		displayName: 'Links',
		name: 'scope',
		type: 'options',
		options: [
			{ name: 'All Links', value: 'all', description: 'Every link of the workspace, optionally filtered by tag or domain' },
			{ name: 'One Link', value: 'link', description: 'A single link' },
		],
		default: 'all',
	},
	{ ...linkLocator(), displayOptions: { show: { scope: ['link'] } } },
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			domainFilter,
			{ displayName: 'End', name: 'end', type: 'dateTime', default: '', description: 'End of the period; now if empty' },
			{ displayName: 'Include Bots', name: 'includeBots', type: 'boolean', default: false, description: 'Whether to count clicks flagged as bots' },
			{ displayName: 'Start', name: 'start', type: 'dateTime', default: '', description: 'Start of the period; 30 days before the end if empty' },
			tagFilter,
			{
				displayName: 'Time Zone',
				name: 'timezone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Europe/Berlin',
				description: 'IANA time zone that buckets follow; the workflow time zone if empty',
			},
		],
	},
];

export const splitIntoItems: INodeProperties = {
	displayName: 'Split Into Items',
	name: 'splitIntoItems',
	type: 'boolean',
	default: true,
	description: 'Whether to output one item per row instead of one item with the whole report (totals included)',
};

/** The query of the analytics request chosen in the scope fields. */
export async function analyticsQuery(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const timeZone = this.getTimezone();
	const qs: IDataObject = {
		tag: filters.tag,
		domain: filters.domain,
		start: filters.start ? toInstant(filters.start, timeZone) : undefined,
		end: filters.end ? toInstant(filters.end, timeZone) : undefined,
		timezone: filters.timezone || timeZone,
		include_bots: filters.includeBots ? 'true' : undefined,
	};
	if (this.getNodeParameter('scope', itemIndex) === 'link') qs.link_id = await linkIdFromLocator.call(this, itemIndex);
	return qs;
}

export interface AnalyticsReport extends IDataObject {
	data: IDataObject[];
}

/** One item per row (with the report's period and grouping), or the whole report. */
export function reportOutput(this: IExecuteFunctions, itemIndex: number, report: AnalyticsReport): IDataObject | IDataObject[] {
	if (!this.getNodeParameter('splitIntoItems', itemIndex, true)) return report;
	const { data, totals: _totals, ...context } = report;
	return data.map((row) => ({ ...row, group_by: context.group_by, interval: context.interval, timezone: context.timezone }));
}

export const interval: INodeProperties = {
	displayName: 'Interval',
	name: 'interval',
	type: 'options',
	options: [
		{ name: 'Day', value: 'day' },
		{ name: 'Hour', value: 'hour' },
		{ name: 'Month', value: 'month' },
		{ name: 'Week', value: 'week' },
	],
	default: 'day',
	description: 'Size of each bucket',
};
