import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';
import { normalizeEvents } from '../../../shared/events';
import { enabled, endpointDescription, endpointUrl, events } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'The response holds the signing secret (whsec_…). It is shown only once: store it where the receiver can read it.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	endpointUrl,
	events,
	{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: [endpointDescription, enabled] },
];

export const description = updateDisplayOptions({ show: { resource: ['webhook'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body: IDataObject = {
		url: this.getNodeParameter('url', itemIndex) as string,
		events: normalizeEvents(this.getNodeParameter('events', itemIndex) as string[]),
		...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
	};
	return await maskApiRequest.call(this, 'POST', '/webhooks', { body, itemIndex });
}
