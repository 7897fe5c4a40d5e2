import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';
import * as create from './create.operation';
import * as deleteMember from './delete.operation';
import { get, getMany, update } from './extra.operations';
import { getInvitations, invite, revokeInvitation, transferOwnership } from './invitations.operations';

const operations = { create, delete: deleteMember, get, getInvitations, getMany, invite, revokeInvitation, transferOwnership, update };

export const member: MaskResource = {
	operations,
	description: resourceDescription(
		'member',
		'getMany',
		[
			{ name: 'Create', value: 'create', description: 'Add a person to the workspace with a role (admin key); returns the new member', action: 'Create a member' },
			{ name: 'Delete', value: 'delete', description: 'Remove a member from the workspace (admin key)', action: 'Delete a member' },
			{ name: 'Get', value: 'get', description: 'Get one member: name, email, role and when they joined', action: 'Get a member' },
			{ name: 'Get Invitations', value: 'getInvitations', description: 'List the pending invitations of the workspace, one item each', action: 'Get pending invitations' },
			{ name: 'Get Many', value: 'getMany', description: 'List the workspace members, optionally only one role or one email', action: 'Get many members' },
			{ name: 'Invite', value: 'invite', description: 'Invite someone by email with a role; they join when they accept; returns the invitation', action: 'Invite a member' },
			{ name: 'Revoke Invitation', value: 'revokeInvitation', description: 'Revoke a pending invitation so its link stops working', action: 'Revoke an invitation' },
			{
				name: 'Transfer Ownership',
				value: 'transferOwnership',
				description: 'Make a member the workspace owner; the calling owner becomes an admin',
				action: 'Transfer workspace ownership',
			},
			{ name: 'Update', value: 'update', description: 'Rename a member or change their role (admin key); returns the member', action: 'Update a member' },
		],
		operations,
	),
};
