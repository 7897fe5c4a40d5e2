import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { runForItem } from '../helpers/items';
import { resources } from './resources';

/** Dispatches to the chosen operation: once per item, or once for all items when the operation works in batches. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.operations[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}
	if (operation.executeBatch) return [await operation.executeBatch.call(this, items)];

	const run = operation.execute!;
	const simplify = operation.simplify;
	const execute = async function (this: IExecuteFunctions, itemIndex: number) {
		const result = await run.call(this, itemIndex);
		if (!simplify || !this.getNodeParameter('simplify', itemIndex, false)) return result;
		return Array.isArray(result) ? result.map(simplify) : simplify(result as IDataObject);
	};
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		output.push(...(await runForItem.call(this, itemIndex, async () => await execute.call(this, itemIndex))));
	}
	return [output];
}
