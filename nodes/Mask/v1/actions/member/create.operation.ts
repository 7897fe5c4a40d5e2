import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';

const properties: INodeProperties[] = [
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', required: true },
	{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true },
	{ displayName: 'Role', name: 'role', type: 'string', default: 'member', placeholder: 'e.g. member', description: 'The role in the workspace' },
];

export const description = updateDisplayOptions({ show: { resource: ['member'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body = {
		email: (this.getNodeParameter('email', itemIndex) as string).trim(),
		name: this.getNodeParameter('name', itemIndex) as string,
		role: this.getNodeParameter('role', itemIndex) as string,
	};
	return await maskApiRequest.call(this, 'POST', '/members', { body, itemIndex });
}
