import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';
import { propertiesOf, toApiBody } from '../../helpers/fields';
import { createFields, destinationUrl } from './fields';

const properties: INodeProperties[] = [
	destinationUrl,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: propertiesOf(createFields),
	},
];

export const description = updateDisplayOptions({ show: { resource: ['link'], operation: ['create'] } }, properties);

/** The create body of one item, shared with "Create Many". */
export function linkCreateBody(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	return { url: this.getNodeParameter('url', itemIndex) as string, ...toApiBody(additional, createFields, this.getTimezone()) };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await maskApiRequest.call(this, 'POST', '/links', { body: linkCreateBody.call(this, itemIndex), itemIndex });
}
