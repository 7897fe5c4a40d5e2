import type { INodeProperties } from 'n8n-workflow';
import { crudOperations } from '../../helpers/crud';
import { utmTemplateLocator } from '../../helpers/locators';
import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';

const utm = (name: string, displayName: string): INodeProperties => ({ displayName, name, type: 'string', default: '' });

const { operations, options } = crudOperations({
	resource: 'utmTemplate',
	path: '/utm-templates',
	locator: utmTemplateLocator,
	required: [{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder: 'e.g. Newsletter' }],
	optional: [utm('utmSource', 'UTM Source'), utm('utmMedium', 'UTM Medium'), utm('utmCampaign', 'UTM Campaign'), utm('utmTerm', 'UTM Term'), utm('utmContent', 'UTM Content')],
	names: { name: 'name', utmSource: 'utm_source', utmMedium: 'utm_medium', utmCampaign: 'utm_campaign', utmTerm: 'utm_term', utmContent: 'utm_content' },
	describe: {
		create: { name: 'Create', description: 'Create a reusable set of UTM values that links can apply; returns the template', action: 'Create a UTM template' },
		delete: { name: 'Delete', description: 'Delete a UTM template', action: 'Delete a UTM template' },
		get: { name: 'Get', description: 'Get a UTM template and its values', action: 'Get a UTM template' },
		getMany: { name: 'Get Many', description: 'List the workspace’s UTM templates', action: 'Get many UTM templates' },
		update: { name: 'Update', description: 'Change a UTM template’s name or values (an empty value clears it); returns the template', action: 'Update a UTM template' },
	},
});

export const utmTemplate: MaskResource = { operations, description: resourceDescription('utmTemplate', 'getMany', options, operations) };
