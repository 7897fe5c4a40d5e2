import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { maskApiRequestAllItems } from '../../transport';

/** "Return All" and "Limit", as every n8n list operation has them. */
export const returnAllOrLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		displayOptions: { show: { returnAll: [false] } },
		default: 50,
		description: 'Max number of results to return',
	},
];

/** Reads Return All / Limit for the item and follows the cursor pagination accordingly. */
export async function fetchList(this: IExecuteFunctions, itemIndex: number, path: string, qs: IDataObject = {}): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex) as number);
	return await maskApiRequestAllItems.call(this, path, qs, limit, itemIndex);
}

/** Filters shared by link lists and analytics. */
export const domainFilter: INodeProperties = {
	displayName: 'Domain',
	name: 'domain',
	type: 'string',
	default: '',
	placeholder: 'e.g. go.example.com',
	description: 'Only links on this domain',
};

export const tagFilter: INodeProperties = { displayName: 'Tag', name: 'tag', type: 'string', default: '', description: 'Only links with this tag' };
