import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';
import { memberRole } from './fields';

const properties: INodeProperties[] = [
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', required: true },
	{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true },
	memberRole,
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
