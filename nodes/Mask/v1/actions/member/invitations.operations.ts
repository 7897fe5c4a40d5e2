import { requestOperation } from '../../helpers/generic';
import { locatorId, memberLocator } from '../../helpers/locators';
import { memberRole } from './fields';

export const invite = requestOperation({
	resource: 'member',
	operation: 'invite',
	properties: [
		{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', required: true },
		{ ...memberRole, options: (memberRole.options ?? []).filter((option) => (option as { value: string }).value !== 'owner') },
	],
	method: 'POST',
	path: () => '/invitations',
	body: (context, itemIndex) => ({ email: String(context.getNodeParameter('email', itemIndex)).trim(), role: context.getNodeParameter('role', itemIndex) }),
});

export const getInvitations = requestOperation({ resource: 'member', operation: 'getInvitations', properties: [], method: 'GET', path: () => '/invitations', listResponse: true });

export const revokeInvitation = requestOperation({
	resource: 'member',
	operation: 'revokeInvitation',
	properties: [{ displayName: 'Invitation ID', name: 'invitationId', type: 'string', default: '', required: true, description: 'The ID Invite or Get Invitations returned' }],
	method: 'DELETE',
	path: (context, itemIndex) => `/invitations/${encodeURIComponent(String(context.getNodeParameter('invitationId', itemIndex)).trim())}`,
});

export const transferOwnership = requestOperation({
	resource: 'member',
	operation: 'transferOwnership',
	properties: [{ ...memberLocator(), description: 'The member who becomes the owner; the calling owner becomes an admin' }],
	method: 'POST',
	path: (context, itemIndex) => `/members/${locatorId.call(context, 'member', itemIndex)}/transfer-ownership`,
});
