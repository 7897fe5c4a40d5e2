import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Hostname',
		name: 'hostname',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. go.example.com',
		description: 'The domain short links will use; point its DNS at the engine',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['domain'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const hostname = (this.getNodeParameter('hostname', itemIndex) as string).trim();
	return await maskApiRequest.call(this, 'POST', '/domains', { body: { hostname }, itemIndex });
}
