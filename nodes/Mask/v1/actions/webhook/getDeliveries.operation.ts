import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { fetchList, returnAllOrLimit } from '../../helpers/lists';
import { locatorId, webhookLocator } from '../../helpers/locators';

const properties: INodeProperties[] = [
	webhookLocator(),
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [{ displayName: 'Status', name: 'status', type: 'string', default: '', placeholder: 'e.g. failed', description: 'Only deliveries with this status' }],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['webhook'], operation: ['getDeliveries'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = locatorId.call(this, 'webhook', itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return await fetchList.call(this, itemIndex, `/webhooks/${id}/deliveries`, { status: filters.status });
}
