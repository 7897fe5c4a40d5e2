import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';
import { analyticsQuery, reportOutput, scopeProperties, splitIntoItems, type AnalyticsReport } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'options',
		options: [
			{ name: 'Browser', value: 'browser' },
			{ name: 'Campaign', value: 'campaign' },
			{ name: 'Country', value: 'country' },
			{ name: 'Device', value: 'device' },
			{ name: 'Link', value: 'link' },
			{ name: 'Operating System', value: 'os' },
			{ name: 'Referrer', value: 'referrer' },
			{ name: 'Routing Rule', value: 'rule' },
			{ name: 'Split Variant', value: 'variant' },
		],
		default: 'referrer',
		description: 'What clicks are counted by',
	},
	...scopeProperties,
	{
		displayName: 'Top',
		name: 'top',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10,
		description: 'How many groups to return, largest first',
	},
	splitIntoItems,
];

export const description = updateDisplayOptions({ show: { resource: ['analytics'], operation: ['getBreakdown'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]> {
	const qs = await analyticsQuery.call(this, itemIndex);
	qs.group_by = this.getNodeParameter('groupBy', itemIndex);
	qs.limit = this.getNodeParameter('top', itemIndex);
	const report = (await maskApiRequest.call(this, 'GET', '/analytics', { qs, itemIndex })) as AnalyticsReport;
	return reportOutput.call(this, itemIndex, report);
}
