import type { IDataObject, IExecuteFunctions, IBinaryKeyData, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { errorOutput } from '../../transport';

/** An operation's result that carries binary data (QR images, exports) beside its JSON. */
export class BinaryResult {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}

export type OperationResult = IDataObject | IDataObject[] | BinaryResult;

/** Turns what an operation returned for one input item into output items paired with that item. */
export function toItems(result: OperationResult, itemIndex: number): INodeExecutionData[] {
	const pairedItem = { item: itemIndex };
	if (result instanceof BinaryResult) return [{ json: result.json, binary: result.binary, pairedItem }];
	return (Array.isArray(result) ? result : [result]).map((json) => ({ json, pairedItem }));
}

/**
 * The per-item error policy, written once: with "Continue On Fail" the error becomes the item's output,
 * otherwise it stops the execution, tagged with the item it came from.
 */
export function failItem(this: IExecuteFunctions, error: unknown, itemIndex: number): INodeExecutionData {
	if (this.continueOnFail()) {
		return { json: errorOutput(error as Error), pairedItem: { item: itemIndex } };
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		throw error;
	}
	throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}

/** Runs `work` for one item under the per-item error policy. */
export async function runForItem(
	this: IExecuteFunctions,
	itemIndex: number,
	work: () => Promise<OperationResult>,
): Promise<INodeExecutionData[]> {
	try {
		return toItems(await work(), itemIndex);
	} catch (error) {
		return [failItem.call(this, error, itemIndex)];
	}
}
