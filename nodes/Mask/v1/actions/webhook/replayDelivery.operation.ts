import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';
import { locatorId, webhookLocator } from '../../helpers/locators';

const properties: INodeProperties[] = [
	webhookLocator(),
	{
		displayName: 'Delivery ID',
		name: 'deliveryId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. dlv_01jd8x3k2m4n5p6q7r8s9t0v1w',
		description: 'The delivery to send again, with the same message ID',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['webhook'], operation: ['replayDelivery'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorId.call(this, 'webhook', itemIndex);
	const deliveryId = encodeURIComponent((this.getNodeParameter('deliveryId', itemIndex) as string).trim());
	return await maskApiRequest.call(this, 'POST', `/webhooks/${id}/deliveries/${deliveryId}/replay`, { itemIndex });
}
