import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { MASK_ICON } from '../icon';
import { CREDENTIAL_NAME } from '../transport';
import { resources } from './actions/resources';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

// The version description lives here rather than in a versionDescription.ts: n8n's node lint wants the
// description of node "mask" in a file named Mask.node.ts or MaskV<n>.node.ts.
export class MaskV1 implements INodeType {
	description: INodeTypeDescription = {
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
					{ name: 'Bio Page', value: 'page' },
					{ name: 'Campaign', value: 'campaign' },
					{ name: 'Conversion', value: 'conversion' },
					{ name: 'Domain', value: 'domain' },
					{ name: 'Folder', value: 'folder' },
					{ name: 'Import', value: 'import' },
					{ name: 'Link', value: 'link' },
					{ name: 'Member', value: 'member' },
					{ name: 'QR Code', value: 'qrCode' },
					{ name: 'Routing Rule', value: 'rule' },
					{ name: 'Webhook Endpoint', value: 'webhook' },
					{ name: 'Workspace', value: 'workspace' },
				],
				default: 'link',
			},
			...Object.values(resources).flatMap((resource) => resource.description),
		],
	};

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = { ...baseDescription, ...this.description };
	}

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
