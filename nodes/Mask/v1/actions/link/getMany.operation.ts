import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { toInstant } from '../../helpers/dates';
import { campaignLocator, folderLocator, locatorValue } from '../../helpers/locators';
import { domainFilter, fetchList, returnAllOrLimit, tagFilter } from '../../helpers/lists';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Created After', name: 'createdAfter', type: 'dateTime', default: '', description: 'Only links created after this moment' },
			{ displayName: 'Created Before', name: 'createdBefore', type: 'dateTime', default: '', description: 'Only links created before this moment' },
			campaignLocator({ required: false, description: 'Only links of this campaign' }),
			domainFilter,
			folderLocator({ required: false, description: 'Only links in this folder' }),
			{ displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Matches the destination URL, slug or title' },
			tagFilter,
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort Option',
		default: {},
		options: [
			{
				displayName: 'Order',
				name: 'order',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
				default: 'desc',
			},
			{
				displayName: 'Sort By',
				name: 'sortBy',
				type: 'options',
				options: [
					{ name: 'Clicks', value: 'clicks' },
					{ name: 'Created At', value: 'created_at' },
					{ name: 'Updated At', value: 'updated_at' },
				],
				default: 'created_at',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['link'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const sort = this.getNodeParameter('sort', itemIndex, {}) as IDataObject;
	const timeZone = this.getTimezone();
	return await fetchList.call(this, itemIndex, '/links', {
		search: filters.search,
		tag: filters.tag,
		domain: filters.domain,
		campaign_id: locatorValue(filters.campaign) ?? undefined,
		folder_id: locatorValue(filters.folder) ?? undefined,
		created_after: filters.createdAfter ? toInstant(filters.createdAfter, timeZone) : undefined,
		created_before: filters.createdBefore ? toInstant(filters.createdBefore, timeZone) : undefined,
		sort: sort.sortBy,
		order: sort.order,
	});
}
