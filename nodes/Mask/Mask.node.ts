import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { MASK_ICON } from './icon';
import { MaskV1 } from './v1/MaskV1';

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
		const nodeVersions: IVersionedNodeType['nodeVersions'] = { 1: new MaskV1(baseDescription) };
		super(nodeVersions, baseDescription);
	}
}
