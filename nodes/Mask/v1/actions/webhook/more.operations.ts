import { requestOperation } from '../../helpers/generic';
import { locatorId, webhookLocator } from '../../helpers/locators';

export const getDelivery = requestOperation({
	resource: 'webhook',
	operation: 'getDelivery',
	properties: [
		webhookLocator(),
		{
			displayName: 'Delivery ID',
			name: 'deliveryId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. dlv_01jd8x3k2m4n5p6q7r8s9t0v1w',
			description: 'A delivery from Get Deliveries',
		},
	],
	method: 'GET',
	path: (context, itemIndex) =>
		`/webhooks/${locatorId.call(context, 'webhook', itemIndex)}/deliveries/${encodeURIComponent(String(context.getNodeParameter('deliveryId', itemIndex)).trim())}`,
});

export const revealSecret = requestOperation({
	resource: 'webhook',
	operation: 'revealSecret',
	properties: [webhookLocator()],
	method: 'POST',
	path: (context, itemIndex) => `/webhooks/${locatorId.call(context, 'webhook', itemIndex)}/reveal-secret`,
});
