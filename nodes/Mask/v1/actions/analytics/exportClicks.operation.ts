import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskRequest } from '../../../transport';
import { binaryPropertyName, binaryResult } from '../../helpers/binary';
import type { BinaryResult } from '../../helpers/items';
import { analyticsQuery, scopeProperties } from './fields';

const properties: INodeProperties[] = [
	...scopeProperties,
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		options: [
			{ name: 'CSV', value: 'csv' },
			{ name: 'NDJSON', value: 'ndjson' },
		],
		default: 'csv',
	},
	binaryPropertyName,
];

export const description = updateDisplayOptions({ show: { resource: ['analytics'], operation: ['exportClicks'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<BinaryResult> {
	const qs = await analyticsQuery.call(this, itemIndex);
	const format = this.getNodeParameter('format', itemIndex) as string;
	const response = await maskRequest.call(this, { method: 'GET', path: '/analytics/export', qs: { ...qs, format }, binary: true, itemIndex });
	return await binaryResult.call(this, itemIndex, response, `clicks.${format}`, { format });
}
