import type { INodeTypeBaseDescription, INodeTypeDescription, IVersionedNodeType } from 'n8n-workflow';
import { NodeConnectionTypes, VersionedNodeType } from 'n8n-workflow';
import { MASK_ICON } from './icon';
import { CREDENTIAL_NAME } from './transport';
import { resources } from './v1/actions/resources';
import { MaskV1 } from './v1/MaskV1';

// Version 1's description lives in this file, where n8n's lint looks for the description of node "mask"; the
// version class is in v1/MaskV1.ts, not MaskV1.node.ts, which n8n's directory loader would load as a node of its own.
const versionDescription: INodeTypeDescription = {
	displayName: 'MASK',
	name: 'mask',
	icon: MASK_ICON,
	group: ['transform'],
	version: 1,
	subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
	description: 'Create and manage short links, routing rules, campaigns, conversions, QR codes, bio pages, analytics and webhooks in MASK',
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
				{ name: 'API Key', value: 'apiKey' },
				{ name: 'Bio Page', value: 'page' },
				{ name: 'Campaign', value: 'campaign' },
				{ name: 'Conversion', value: 'conversion' },
				{ name: 'Domain', value: 'domain' },
				{ name: 'Export', value: 'export' },
				{ name: 'Folder', value: 'folder' },
				{ name: 'Import', value: 'import' },
				{ name: 'Link', value: 'link' },
				{ name: 'Member', value: 'member' },
				{ name: 'Pixel', value: 'pixel' },
				{ name: 'QR Code', value: 'qrCode' },
				{ name: 'Routing Rule', value: 'rule' },
				{ name: 'UTM Template', value: 'utmTemplate' },
				{ name: 'Webhook Endpoint', value: 'webhook' },
				{ name: 'Workspace', value: 'workspace' },
			],
			default: 'link',
		},
		...Object.values(resources).flatMap((resource) => resource.description),
	],
};


export class Mask extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'MASK',
			name: 'mask',
			icon: MASK_ICON,
			group: ['transform'],
			subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
			description: 'Create and manage short links, routing rules, campaigns, conversions, QR codes, bio pages, analytics and webhooks in MASK',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = { 1: new MaskV1({ ...baseDescription, ...versionDescription }) };
		super(nodeVersions, baseDescription);
	}
}
