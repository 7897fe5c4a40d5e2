import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

/** Version 1 of the MASK node; its description is written in Mask.node.ts (see there why). */
export class MaskV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(description: INodeTypeDescription) {
		this.description = description;
	}

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
