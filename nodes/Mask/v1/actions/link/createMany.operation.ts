import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';
import { failItem } from '../../helpers/items';
import { description as createDescription, linkCreateBody } from './create.operation';

const MAX_BATCH = 100;

const properties: INodeProperties[] = [
	{
		displayName: 'Each input item becomes one link. Items are sent in batches of up to 100 per request.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	...createDescription.map(({ displayOptions: _displayOptions, ...property }) => property),
];

export const description = updateDisplayOptions({ show: { resource: ['link'], operation: ['createMany'] } }, properties);

interface BulkResponse {
	data: IDataObject[];
	errors: Array<{ index: number; error: { code: string; message: string; details?: unknown } }>;
}

/** Creates one link per input item through POST /links/bulk; each output item is paired with its input item. */
export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const results: INodeExecutionData[] = [];
	const pending: Array<{ itemIndex: number; body: IDataObject }> = [];

	const flush = async () => {
		if (pending.length === 0) return;
		const batch = pending.splice(0, pending.length);
		let response: BulkResponse;
		try {
			const body = { links: batch.map((entry) => entry.body) };
			response = (await maskApiRequest.call(this, 'POST', '/links/bulk', { body })) as unknown as BulkResponse;
		} catch (error) {
			for (const entry of batch) results.push(failItem.call(this, error, entry.itemIndex));
			return;
		}
		const failed = new Map(response.errors.map((entry) => [entry.index, entry.error]));
		const created = response.data[Symbol.iterator]();
		batch.forEach((entry, position) => {
			const engineError = failed.get(position);
			if (!engineError) {
				results.push({ json: created.next().value as IDataObject, pairedItem: { item: entry.itemIndex } });
				return;
			}
			const error = new NodeApiError(this.getNode(), { error: engineError } as unknown as JsonObject, {
				message: engineError.message,
				description: engineError.code,
				itemIndex: entry.itemIndex,
			});
			error.context.code = engineError.code;
			if (engineError.details) error.context.details = engineError.details as IDataObject[];
			results.push(failItem.call(this, error, entry.itemIndex));
		});
	};

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			pending.push({ itemIndex, body: linkCreateBody.call(this, itemIndex) });
		} catch (error) {
			results.push(failItem.call(this, error, itemIndex));
		}
		if (pending.length === MAX_BATCH) await flush();
	}
	await flush();
	return results;
}
