import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';
import * as create from './create.operation';
import * as deleteWebhook from './delete.operation';
import * as get from './get.operation';
import * as getDeliveries from './getDeliveries.operation';
import * as getMany from './getMany.operation';
import { getDelivery, revealSecret } from './more.operations';
import * as replayDelivery from './replayDelivery.operation';
import * as rotateSecret from './rotateSecret.operation';
import * as sendTest from './sendTest.operation';
import * as update from './update.operation';

const operations = { create, delete: deleteWebhook, get, getDeliveries, getDelivery, getMany, replayDelivery, revealSecret, rotateSecret, sendTest, update };

export const webhook: MaskResource = {
	operations,
	description: resourceDescription(
		'webhook',
		'getMany',
		[
			{ name: 'Create', value: 'create', description: 'Register a URL that receives signed MASK events; returns the endpoint and its signing secret (shown once)', action: 'Create a webhook endpoint' },
			{ name: 'Delete', value: 'delete', description: 'Remove a webhook endpoint; it receives no more events', action: 'Delete a webhook endpoint' },
			{ name: 'Get', value: 'get', description: 'Get a webhook endpoint: URL, subscribed events, enabled state', action: 'Get a webhook endpoint' },
			{ name: 'Get Deliveries', value: 'getDeliveries', description: 'List the delivery attempts of an endpoint, optionally only failed or pending ones', action: 'Get webhook deliveries' },
			{ name: 'Get Delivery', value: 'getDelivery', description: 'Get one delivery attempt with the message it sent and the response it got', action: 'Get a webhook delivery' },
			{ name: 'Get Many', value: 'getMany', description: 'List webhook endpoints, optionally only enabled or disabled ones', action: 'Get many webhook endpoints' },
			{ name: 'Replay Delivery', value: 'replayDelivery', description: 'Send a past delivery again now; returns the new attempt', action: 'Replay a webhook delivery' },
			{ name: 'Reveal Secret', value: 'revealSecret', description: 'Return the endpoint’s current signing secret', action: 'Reveal a webhook secret' },
			{ name: 'Rotate Secret', value: 'rotateSecret', description: 'Issue a new signing secret; returns it (the old one stays valid briefly)', action: 'Rotate a webhook secret' },
			{ name: 'Send Test', value: 'sendTest', description: 'Send an example event of a chosen type to an endpoint; returns the delivery', action: 'Send a test event' },
			{ name: 'Update', value: 'update', description: 'Change an endpoint’s URL, events, description or enabled state; returns it', action: 'Update a webhook endpoint' },
		],
		operations,
	),
};
