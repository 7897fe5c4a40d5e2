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
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Failed', value: 'failed', description: 'Gave up after every retry' },
					{ name: 'Pending', value: 'pending', description: 'Not delivered yet; will be retried' },
					{ name: 'Succeeded', value: 'succeeded' },
				],
				default: 'failed',
				description: 'Only deliveries with this status',
			},
			{ displayName: 'Message ID', name: 'messageId', type: 'string', default: '', placeholder: 'e.g. msg_01jd8x3k2m4n5p6q7r8s9t0v1w', description: 'Only deliveries of this event message' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['webhook'], operation: ['getDeliveries'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = locatorId.call(this, 'webhook', itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return await fetchList.call(this, itemIndex, `/webhooks/${id}/deliveries`, { status: filters.status, message_id: filters.messageId });
}
