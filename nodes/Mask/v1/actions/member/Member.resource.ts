import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';
import * as create from './create.operation';
import * as deleteMember from './delete.operation';
import * as getMany from './getMany.operation';

const operations = { create, delete: deleteMember, getMany };

export const member: MaskResource = {
	operations,
	description: resourceDescription(
		'member',
		'getMany',
		[
			{ name: 'Create', value: 'create', description: 'Add a member to the workspace (admin key)', action: 'Create a member' },
			{ name: 'Delete', value: 'delete', description: 'Remove a member from the workspace (admin key)', action: 'Delete a member' },
			{ name: 'Get Many', value: 'getMany', description: 'List the workspace members', action: 'Get many members' },
		],
		operations,
	),
};
