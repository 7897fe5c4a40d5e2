import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';
import * as create from './create.operation';
import * as deleteWebhook from './delete.operation';
import * as get from './get.operation';
import * as getDeliveries from './getDeliveries.operation';
import * as getMany from './getMany.operation';
import * as replayDelivery from './replayDelivery.operation';
import * as rotateSecret from './rotateSecret.operation';
import * as sendTest from './sendTest.operation';
import * as update from './update.operation';

const operations = { create, delete: deleteWebhook, get, getDeliveries, getMany, replayDelivery, rotateSecret, sendTest, update };

export const webhook: MaskResource = {
	operations,
	description: resourceDescription(
		'webhook',
		'getMany',
		[
			{ name: 'Create', value: 'create', description: 'Register an endpoint that receives signed events', action: 'Create a webhook endpoint' },
			{ name: 'Delete', value: 'delete', description: 'Remove an endpoint', action: 'Delete a webhook endpoint' },
			{ name: 'Get', value: 'get', description: 'Get an endpoint', action: 'Get a webhook endpoint' },
			{ name: 'Get Deliveries', value: 'getDeliveries', description: 'List the delivery attempts of an endpoint', action: 'Get webhook deliveries' },
			{ name: 'Get Many', value: 'getMany', description: 'List endpoints', action: 'Get many webhook endpoints' },
			{ name: 'Replay Delivery', value: 'replayDelivery', description: 'Send a past delivery again', action: 'Replay a webhook delivery' },
			{ name: 'Rotate Secret', value: 'rotateSecret', description: 'Issue a new signing secret', action: 'Rotate a webhook secret' },
			{ name: 'Send Test', value: 'sendTest', description: 'Send a test event to an endpoint', action: 'Send a test event' },
			{ name: 'Update', value: 'update', description: 'Change an endpoint', action: 'Update a webhook endpoint' },
		],
		operations,
	),
};
