import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../transport';
import type { MaskOperation } from '../actions/node.type';
import { linkIdFromLocator, locatorId } from './locators';
import { simplifyProperty } from './simplify';

/** The "Operation" selector of one resource, followed by the fields of each of its operations. */
export function resourceDescription(
	resource: string,
	defaultOperation: string,
	options: INodePropertyOptions[],
	operations: Record<string, MaskOperation>,
): INodeProperties[] {
	const simplified = Object.entries(operations)
		.filter(([, operation]) => operation.simplify)
		.map(([name]) => name);
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: [...options].sort((a, b) => a.name.localeCompare(b.name)),
			default: defaultOperation,
		},
		...Object.values(operations).flatMap((operation) => operation.description),
		...(simplified.length > 0 ? [simplifyProperty(resource, simplified)] : []),
	];
}

interface SimpleOperationSpec {
	resource: string;
	operation: string;
	/** The locator property that picks the object. */
	locator: INodeProperties;
	method: 'GET' | 'POST' | 'DELETE';
	/** API path for the chosen id, e.g. (id) => `/pages/${id}/publish`. */
	path: (id: string) => string;
}

/** An operation that is one request about one chosen object (get, delete, publish, …). */
export function simpleOperation(spec: SimpleOperationSpec): Required<Pick<MaskOperation, 'description' | 'execute'>> {
	return {
		description: updateDisplayOptions({ show: { resource: [spec.resource], operation: [spec.operation] } }, [spec.locator]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
			const id = spec.locator.name === 'link' ? await linkIdFromLocator.call(this, itemIndex) : locatorId.call(this, spec.locator.name, itemIndex);
			return await maskApiRequest.call(this, spec.method, spec.path(id), { itemIndex });
		},
	};
}
