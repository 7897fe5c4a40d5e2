import type { INodeProperties } from 'n8n-workflow';

export const memberRole: INodeProperties = {
	displayName: 'Role',
	name: 'role',
	type: 'options',
	options: [
		{ name: 'Admin', value: 'admin', description: 'Everything but transferring ownership' },
		{ name: 'Member', value: 'member', description: 'Creates and manages links, pages and webhooks' },
		{ name: 'Owner', value: 'owner', description: 'Full control; one per workspace' },
		{ name: 'Viewer', value: 'viewer', description: 'Reads only' },
	],
	default: 'member',
	description: 'The role in the workspace',
};
