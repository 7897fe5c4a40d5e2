import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { OperationResult } from '../helpers/items';

/** One operation of one resource: its fields and how it runs. */
export interface MaskOperation {
	description: INodeProperties[];
	/** Runs once per input item; the router applies the per-item error policy. */
	execute?: (this: IExecuteFunctions, itemIndex: number) => Promise<OperationResult>;
	/** Runs once for all input items, for operations the API takes in batches. */
	executeBatch?: (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;
	/** The few fields kept when "Simplify" is on (large objects such as links and pages). */
	simplify?: (row: IDataObject) => IDataObject;
}

export interface MaskResource {
	description: INodeProperties[];
	operations: Record<string, MaskOperation>;
}
