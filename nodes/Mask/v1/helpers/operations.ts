import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import type { MaskOperation } from '../actions/node.type';
import { requestOperation } from './generic';
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
export function simpleOperation(spec: SimpleOperationSpec): MaskOperation {
	return requestOperation({
		resource: spec.resource,
		operation: spec.operation,
		properties: [spec.locator],
		method: spec.method,
		path: async (context, itemIndex) =>
			spec.path(spec.locator.name === 'link' ? await linkIdFromLocator.call(context, itemIndex) : locatorId.call(context, spec.locator.name, itemIndex)),
	});
}
