import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { CREDENTIAL_NAME } from '../../transport';
import { resources } from './resources';

export const versionDescription: INodeTypeDescription = {
	displayName: 'MASK',
	name: 'mask',
	icon: { light: 'file:mask.svg', dark: 'file:mask.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
	description: 'Create and manage short links, QR codes, bio pages, analytics and webhooks in MASK',
	defaults: { name: 'MASK' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: CREDENTIAL_NAME, required: true }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Analytics', value: 'analytics' },
				{ name: 'Bio Page', value: 'page' },
				{ name: 'Domain', value: 'domain' },
				{ name: 'Link', value: 'link' },
				{ name: 'Member', value: 'member' },
				{ name: 'QR Code', value: 'qrCode' },
				{ name: 'Webhook Endpoint', value: 'webhook' },
				{ name: 'Workspace', value: 'workspace' },
			],
			default: 'link',
		},
		...Object.values(resources).flatMap((resource) => resource.description),
	],
};
