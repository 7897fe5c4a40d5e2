import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';
import { propertiesOf } from '../../helpers/fields';
import { handle, itemsProperty, pageBody, pageFields } from './fields';

const properties: INodeProperties[] = [
	handle,
	itemsProperty,
	{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: propertiesOf(pageFields) },
];

export const description = updateDisplayOptions({ show: { resource: ['page'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body = { handle: this.getNodeParameter('handle', itemIndex) as string, ...pageBody.call(this, itemIndex, 'additionalFields') };
	return await maskApiRequest.call(this, 'POST', '/pages', { body, itemIndex });
}
