import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';
import * as create from './create.operation';
import * as deletePage from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as publish from './publish.operation';
import * as unpublish from './unpublish.operation';
import * as update from './update.operation';

const operations = { create, delete: deletePage, get, getMany, publish, unpublish, update };

export const page: MaskResource = {
	operations,
	description: resourceDescription(
		'page',
		'create',
		[
			{ name: 'Create', value: 'create', description: 'Create a bio page (unpublished)', action: 'Create a bio page' },
			{ name: 'Delete', value: 'delete', description: 'Delete a bio page', action: 'Delete a bio page' },
			{ name: 'Get', value: 'get', description: 'Get a bio page', action: 'Get a bio page' },
			{ name: 'Get Many', value: 'getMany', description: 'List bio pages', action: 'Get many bio pages' },
			{ name: 'Publish', value: 'publish', description: 'Make a bio page public', action: 'Publish a bio page' },
			{ name: 'Unpublish', value: 'unpublish', description: 'Take a bio page offline', action: 'Unpublish a bio page' },
			{ name: 'Update', value: 'update', description: 'Change a bio page', action: 'Update a bio page' },
		],
		operations,
	),
};
