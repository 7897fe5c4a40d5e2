import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { listOperation, requestOperation } from '../../helpers/generic';
import { folderLocator, locatorId, locatorValue } from '../../helpers/locators';
import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';

const show = (operation: string) => ({ resource: 'folder', operation });
const path = (context: IExecuteFunctions, itemIndex: number) => `/folders/${locatorId.call(context, 'folder', itemIndex)}`;
const parent = (description: string) => ({ ...folderLocator({ required: false, description }), displayName: 'Parent Folder', name: 'parent' });

const operations = {
	create: requestOperation({
		...show('create'),
		properties: [
			{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder: 'e.g. Newsletters' },
			{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: [parent('A top-level folder to nest this one in')] },
		],
		method: 'POST',
		path: () => '/folders',
		body: (context, itemIndex) => {
			const additional = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
			return { name: context.getNodeParameter('name', itemIndex), ...(additional.parent !== undefined ? { parent_id: locatorValue(additional.parent) } : {}) };
		},
	}),
	delete: requestOperation({
		...show('delete'),
		properties: [
			folderLocator(),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Move Links',
						name: 'moveLinks',
						type: 'boolean',
						default: true,
						description: 'Whether to delete the folder even when it holds links, moving them out (or into Move Links To)',
					},
					{ ...folderLocator({ required: false, description: 'Where its links go; empty: out of any folder' }), displayName: 'Move Links To', name: 'moveLinksTo' },
				],
			},
		],
		method: 'DELETE',
		path,
		qs: (context, itemIndex) => {
			const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
			return { move_links: options.moveLinks === undefined ? undefined : String(options.moveLinks), move_links_to: locatorValue(options.moveLinksTo) ?? undefined };
		},
	}),
	get: requestOperation({ ...show('get'), properties: [folderLocator()], method: 'GET', path }),
	getMany: listOperation({
		...show('getMany'),
		path: () => '/folders',
		filters: [parent('Only the folders nested in this one')],
		query: (filters) => ({ parent_id: locatorValue(filters.parent) ?? undefined }),
	}),
	update: requestOperation({
		...show('update'),
		properties: [
			folderLocator(),
			{
				displayName: 'Update Fields',
				name: 'updateFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: [{ displayName: 'Name', name: 'name', type: 'string', default: '' }, parent('Nest the folder in this top-level folder; empty: make it top level')],
			},
		],
		method: 'PATCH',
		path,
		body: (context, itemIndex) => {
			const values = context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
			const patch: IDataObject = { ...(values.name !== undefined ? { name: values.name } : {}), ...(values.parent !== undefined ? { parent_id: locatorValue(values.parent) } : {}) };
			if (Object.keys(patch).length === 0) throw new NodeOperationError(context.getNode(), 'Add at least one field to update', { itemIndex });
			return patch;
		},
	}),
};

export const folder: MaskResource = {
	operations,
	description: resourceDescription(
		'folder',
		'getMany',
		[
			{ name: 'Create', value: 'create', description: 'Create a folder for links, optionally inside a top-level folder; returns the folder', action: 'Create a folder' },
			{ name: 'Delete', value: 'delete', description: 'Delete a folder; with Move Links also when it holds links', action: 'Delete a folder' },
			{ name: 'Get', value: 'get', description: 'Get a folder: name and parent', action: 'Get a folder' },
			{ name: 'Get Many', value: 'getMany', description: 'List folders, optionally those inside one folder', action: 'Get many folders' },
			{ name: 'Update', value: 'update', description: 'Rename a folder or move it; returns the folder', action: 'Update a folder' },
		],
		operations,
	),
};
