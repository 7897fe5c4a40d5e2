import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';
import { propertiesOf, toApiBody } from '../../helpers/fields';
import { linkIdFromLocator, linkLocator } from '../../helpers/locators';
import { updateFields } from './fields';

const properties: INodeProperties[] = [
	linkLocator(),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields added here change. An empty value clears the field. Slug and domain cannot change.',
		options: propertiesOf(updateFields),
	},
];

export const description = updateDisplayOptions({ show: { resource: ['link'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = await linkIdFromLocator.call(this, itemIndex);
	const body = toApiBody(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject, updateFields, this.getTimezone());
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Add at least one field to update', { itemIndex });
	}
	return await maskApiRequest.call(this, 'PATCH', `/links/${id}`, { body, itemIndex });
}
