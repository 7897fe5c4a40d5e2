import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { MaskOperation } from '../actions/node.type';
import { listOperation, pickFields, requestOperation } from './generic';
import { locatorId } from './locators';

interface CrudSpec {
	resource: string;
	/** API collection path, e.g. `/pixels`. */
	path: string;
	locator: () => INodeProperties;
	/** Required fields of a new object (n8n name → API name) with their properties. */
	required: INodeProperties[];
	/** Optional fields, shared by create (Additional Fields) and update (Update Fields). */
	optional: INodeProperties[];
	/** n8n name → API name for every field. */
	names: Record<string, string>;
	/** How each operation is described to people and AI agents. */
	describe: Record<'create' | 'delete' | 'get' | 'getMany' | 'update', Omit<INodePropertyOptions, 'value'>>;
}

/** Create, Get, Get Many, Update and Delete of a plain workspace object. */
export function crudOperations(spec: CrudSpec): { operations: Record<string, MaskOperation>; options: INodePropertyOptions[] } {
	const show = (operation: string) => ({ resource: spec.resource, operation });
	const locatorName = spec.locator().name;
	const itemPath = (context: IExecuteFunctions, itemIndex: number) => `${spec.path}/${locatorId.call(context, locatorName, itemIndex)}`;
	const sorted = [...spec.optional].sort((a, b) => a.displayName.localeCompare(b.displayName));
	const operations: Record<string, MaskOperation> = {
		create: requestOperation({
			...show('create'),
			properties: [...spec.required, { displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: sorted }],
			method: 'POST',
			path: () => spec.path,
			body: (context, itemIndex) => {
				const values: IDataObject = { ...(context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject) };
				for (const property of spec.required) values[property.name] = context.getNodeParameter(property.name, itemIndex);
				return pickFields(values, spec.names);
			},
		}),
		delete: requestOperation({ ...show('delete'), properties: [spec.locator()], method: 'DELETE', path: itemPath }),
		get: requestOperation({ ...show('get'), properties: [spec.locator()], method: 'GET', path: itemPath }),
		getMany: listOperation({ ...show('getMany'), path: () => spec.path }),
		update: requestOperation({
			...show('update'),
			properties: [
				spec.locator(),
				{
					displayName: 'Update Fields',
					name: 'updateFields',
					type: 'collection',
					placeholder: 'Add Field',
					default: {},
					options: [...spec.required.map((property) => ({ ...property, required: false })), ...spec.optional].sort((a, b) => a.displayName.localeCompare(b.displayName)),
				},
			],
			method: 'PATCH',
			path: itemPath,
			body: (context, itemIndex) => {
				const patch = pickFields(context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject, spec.names);
				if (Object.keys(patch).length === 0) throw new NodeOperationError(context.getNode(), 'Add at least one field to update', { itemIndex });
				return patch;
			},
		}),
	};
	const options = Object.entries(spec.describe).map(([value, option]) => ({ ...option, value }));
	return { operations, options };
}
