import type { IDataObject } from 'n8n-workflow';
import { EVENT_TYPES } from '../../../shared/events';
import { requestOperation } from '../../helpers/generic';
import { locatorId, webhookLocator } from '../../helpers/locators';

export const { description, execute } = requestOperation({
	resource: 'webhook',
	operation: 'sendTest',
	properties: [
		webhookLocator(),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Event Type',
					name: 'type',
					type: 'options',
					options: EVENT_TYPES,
					default: 'link.created',
					description: 'The event the example message is of; by default the first the endpoint subscribes to',
				},
			],
		},
	],
	method: 'POST',
	path: (context, itemIndex) => `/webhooks/${locatorId.call(context, 'webhook', itemIndex)}/test`,
	body: (context, itemIndex) => {
		const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
		return options.type ? { type: options.type } : {};
	},
});
