import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';
import { normalizeEvents } from '../../../shared/events';
import { locatorId, webhookLocator } from '../../helpers/locators';
import { enabled, endpointDescription, endpointUrl, events } from './fields';

const properties: INodeProperties[] = [
	webhookLocator(),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [endpointDescription, enabled, { ...events, required: false }, { ...endpointUrl, required: false }],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['webhook'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorId.call(this, 'webhook', itemIndex);
	const body = { ...(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject) };
	if (Array.isArray(body.events)) body.events = normalizeEvents(body.events as string[]);
	if (Object.keys(body).length === 0) throw new NodeOperationError(this.getNode(), 'Add at least one field to update', { itemIndex });
	return await maskApiRequest.call(this, 'PATCH', `/webhooks/${id}`, { body, itemIndex });
}
