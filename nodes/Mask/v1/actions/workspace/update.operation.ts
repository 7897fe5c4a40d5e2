import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';
import { propertiesOf, toApiBody, type FieldSpec } from '../../helpers/fields';

const workspaceFields: FieldSpec[] = [
	{ api: 'name', property: { displayName: 'Name', name: 'name', type: 'string', default: '' } },
	{
		api: 'default_domain',
		property: { displayName: 'Default Domain', name: 'defaultDomain', type: 'string', default: '', placeholder: 'e.g. go.example.com', description: 'Domain of new links that name none' },
	},
];

const properties: INodeProperties[] = [
	{ displayName: 'Update Fields', name: 'updateFields', type: 'collection', placeholder: 'Add Field', default: {}, options: propertiesOf(workspaceFields) },
];

export const description = updateDisplayOptions({ show: { resource: ['workspace'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body = toApiBody(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject, workspaceFields, this.getTimezone());
	if (Object.keys(body).length === 0) throw new NodeOperationError(this.getNode(), 'Add at least one field to update', { itemIndex });
	return await maskApiRequest.call(this, 'PATCH', '/workspace', { body, itemIndex });
}
