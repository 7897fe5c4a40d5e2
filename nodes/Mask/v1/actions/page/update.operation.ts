import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';
import { propertiesOf } from '../../helpers/fields';
import { locatorId, pageLocator } from '../../helpers/locators';
import { handle, itemsProperty, pageBody, pageFields } from './fields';

const properties: INodeProperties[] = [
	pageLocator(),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields added here change',
		options: propertiesOf([...pageFields, { api: 'handle', property: { ...handle, required: false } }]),
	},
	{ ...itemsProperty, description: 'When set, replaces all items of the page, in this order' },
];

export const description = updateDisplayOptions({ show: { resource: ['page'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorId.call(this, 'page', itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body = { ...(fields.handle !== undefined ? { handle: fields.handle } : {}), ...pageBody.call(this, itemIndex, 'updateFields') };
	if (Object.keys(body).length === 0) throw new NodeOperationError(this.getNode(), 'Add at least one field or item to update', { itemIndex });
	return await maskApiRequest.call(this, 'PATCH', `/pages/${id}`, { body, itemIndex });
}
