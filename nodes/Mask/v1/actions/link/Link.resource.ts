import type { MaskResource } from '../node.type';
import { resourceDescription } from '../../helpers/operations';
import * as create from './create.operation';
import * as createMany from './createMany.operation';
import * as deleteLink from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

const operations = { create, createMany, delete: deleteLink, get, getMany, update };

export const link: MaskResource = {
	operations,
	description: resourceDescription(
		'link',
		'create',
		[
			{ name: 'Create', value: 'create', description: 'Create a short link', action: 'Create a link' },
			{ name: 'Create Many', value: 'createMany', description: 'Create one link per input item, in batches', action: 'Create many links' },
			{ name: 'Delete', value: 'delete', description: 'Delete a link; its short URL stops redirecting', action: 'Delete a link' },
			{ name: 'Get', value: 'get', description: 'Get a link', action: 'Get a link' },
			{ name: 'Get Many', value: 'getMany', description: 'List links, with filters', action: 'Get many links' },
			{ name: 'Update', value: 'update', description: 'Change a link', action: 'Update a link' },
		],
		operations,
	),
};
