import { crudOperations } from '../../helpers/crud';
import { pixelLocator } from '../../helpers/locators';
import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';

const { operations, options } = crudOperations({
	resource: 'pixel',
	path: '/pixels',
	locator: pixelLocator,
	required: [
		{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder: 'e.g. Meta ads' },
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'options',
			options: [
				{ name: 'Custom Script', value: 'custom' },
				{ name: 'Google Ads', value: 'google_ads' },
				{ name: 'LinkedIn', value: 'linkedin' },
				{ name: 'Meta', value: 'meta' },
				{ name: 'TikTok', value: 'tiktok' },
			],
			default: 'meta',
			required: true,
		},
	],
	optional: [
		{ displayName: 'Pixel ID', name: 'pixelId', type: 'string', default: '', description: 'Meta: numeric ID; Google Ads: AW-…; LinkedIn: partner ID; TikTok: pixel code' },
		{ displayName: 'Script URL', name: 'scriptUrl', type: 'string', default: '', placeholder: 'e.g. https://cdn.example.com/pixel.js', description: 'Custom pixels: an https:// script URL' },
	],
	names: { name: 'name', provider: 'provider', pixelId: 'pixel_id', scriptUrl: 'script_url' },
	describe: {
		create: { name: 'Create', description: 'Create a retargeting pixel (Meta, Google Ads, LinkedIn, TikTok or a script) that links can fire; returns it', action: 'Create a pixel' },
		delete: { name: 'Delete', description: 'Delete a retargeting pixel', action: 'Delete a pixel' },
		get: { name: 'Get', description: 'Get a retargeting pixel: provider and ID', action: 'Get a pixel' },
		getMany: { name: 'Get Many', description: 'List the workspace’s retargeting pixels', action: 'Get many pixels' },
		update: { name: 'Update', description: 'Change a pixel’s name, provider, ID or script; returns the pixel', action: 'Update a pixel' },
	},
});

export const pixel: MaskResource = { operations, description: resourceDescription('pixel', 'getMany', options, operations) };
