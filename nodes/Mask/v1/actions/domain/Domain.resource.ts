import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';
import * as create from './create.operation';
import * as deleteDomain from './delete.operation';
import * as getMany from './getMany.operation';

const operations = { create, delete: deleteDomain, getMany };

export const domain: MaskResource = {
	operations,
	description: resourceDescription(
		'domain',
		'getMany',
		[
			{ name: 'Create', value: 'create', description: 'Add a custom domain (admin key)', action: 'Create a domain' },
			{ name: 'Delete', value: 'delete', description: 'Remove a custom domain (admin key)', action: 'Delete a domain' },
			{ name: 'Get Many', value: 'getMany', description: 'List the workspace domains (admin key)', action: 'Get many domains' },
		],
		operations,
	),
};
