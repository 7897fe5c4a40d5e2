import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { toList } from '../../helpers/fields';
import { listOperation, requestOperation } from '../../helpers/generic';
import { apiKeyLocator, locatorId } from '../../helpers/locators';
import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';

const show = (operation: string) => ({ resource: 'apiKey', operation });
const path = (context: IExecuteFunctions, itemIndex: number) => `/keys/${locatorId.call(context, 'apiKey', itemIndex)}`;

const scopes: INodeProperties = {
	displayName: 'Scopes',
	name: 'scopes',
	type: 'multiOptions',
	options: [
		{ name: 'Admin (Everything)', value: 'admin' },
		{ name: 'Analytics: Read', value: 'analytics:read' },
		{ name: 'Conversions: Write', value: 'conversions:write' },
		{ name: 'Links: Read', value: 'links:read' },
		{ name: 'Links: Write', value: 'links:write' },
		{ name: 'Pages: Read', value: 'pages:read' },
		{ name: 'Pages: Write', value: 'pages:write' },
		{ name: 'Team: Read', value: 'team:read' },
		{ name: 'Webhooks: Read', value: 'webhooks:read' },
		{ name: 'Webhooks: Write', value: 'webhooks:write' },
	],
	default: ['links:read'],
	description: 'What the key may do',
};

const optional: INodeProperties[] = [
	{
		displayName: 'Allowed IPs',
		name: 'allowedIps',
		type: 'string',
		default: '',
		placeholder: 'e.g. 203.0.113.7, 10.0.0.0/8',
		description: 'Comma-separated addresses and CIDR ranges the key may be used from; empty: anywhere',
	},
	{ displayName: 'Rate Limit', name: 'rateLimit', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'Requests per minute for this key; 0: the plan’s limit' },
];

function keyFields(values: IDataObject): IDataObject {
	const body: IDataObject = {};
	if (values.name !== undefined) body.name = values.name;
	if (values.scopes !== undefined) body.scopes = values.scopes;
	if (values.rateLimit !== undefined) body.rate_limit = Number(values.rateLimit) > 0 ? Number(values.rateLimit) : null;
	if (values.allowedIps !== undefined) {
		const ips = toList(values.allowedIps);
		body.allowed_ips = ips.length > 0 ? ips : null;
	}
	return body;
}

const operations = {
	create: requestOperation({
		...show('create'),
		properties: [
			{
				displayName: 'The response holds the key’s secret (mk_…). It is shown only once: store it where it is needed.',
				name: 'secretNotice',
				type: 'notice',
				default: '',
			},
			{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder: 'e.g. CRM sync' },
			{ ...scopes, required: true },
			{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: optional },
		],
		method: 'POST',
		path: () => '/keys',
		body: (context, itemIndex) =>
			keyFields({
				name: context.getNodeParameter('name', itemIndex),
				scopes: context.getNodeParameter('scopes', itemIndex),
				...(context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
			}),
	}),
	getMany: listOperation({
		...show('getMany'),
		path: () => '/keys',
		filters: [{ displayName: 'Include Revoked', name: 'includeRevoked', type: 'boolean', default: true, description: 'Whether to list revoked keys too' }],
		query: (filters) => ({ include_revoked: filters.includeRevoked === undefined ? undefined : String(filters.includeRevoked) }),
	}),
	revoke: requestOperation({ ...show('revoke'), properties: [apiKeyLocator()], method: 'DELETE', path }),
	rotate: requestOperation({ ...show('rotate'), properties: [apiKeyLocator()], method: 'POST', path: (context, itemIndex) => `${path(context, itemIndex)}/rotate` }),
	update: requestOperation({
		...show('update'),
		properties: [
			apiKeyLocator(),
			{
				displayName: 'Update Fields',
				name: 'updateFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: [...optional, { displayName: 'Name', name: 'name', type: 'string', default: '' } as INodeProperties, scopes].sort((a, b) => a.displayName.localeCompare(b.displayName)),
			},
		],
		method: 'PATCH',
		path,
		body: (context, itemIndex) => {
			const patch = keyFields(context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject);
			if (Object.keys(patch).length === 0) throw new NodeOperationError(context.getNode(), 'Add at least one field to update', { itemIndex });
			return patch;
		},
	}),
};

export const apiKey: MaskResource = {
	operations,
	description: resourceDescription(
		'apiKey',
		'getMany',
		[
			{ name: 'Create', value: 'create', description: 'Create an API key with scopes, a rate limit and an IP allow-list (admin key); returns it with its secret, shown once', action: 'Create an API key' },
			{ name: 'Get Many', value: 'getMany', description: 'List the workspace’s API keys (never their secrets)', action: 'Get many API keys' },
			{ name: 'Revoke', value: 'revoke', description: 'Revoke an API key; requests with it fail from then on', action: 'Revoke an API key' },
			{ name: 'Rotate', value: 'rotate', description: 'Replace an API key’s secret; returns the new secret, shown once', action: 'Rotate an API key' },
			{ name: 'Update', value: 'update', description: 'Change an API key’s name, scopes, rate limit or allowed IPs; returns the key', action: 'Update an API key' },
		],
		operations,
	),
};
