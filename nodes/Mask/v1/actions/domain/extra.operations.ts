import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { listOperation, pickFields, requestOperation } from '../../helpers/generic';
import { domainLocator, locatorId } from '../../helpers/locators';

const show = (operation: string) => ({ resource: 'domain', operation });

export const get = requestOperation({
	...show('get'),
	properties: [domainLocator()],
	method: 'GET',
	path: (context, itemIndex) => `/domains/${locatorId.call(context, 'domain', itemIndex)}`,
});

const updateFields: INodeProperties = {
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [
		{
			displayName: 'Default Domain',
			name: 'isDefault',
			type: 'boolean',
			default: true,
			description: 'Whether new links and pages use this domain when none is given (off hands the default back to the instance domain)',
		},
		{ displayName: 'HTTPS', name: 'secure', type: 'boolean', default: true, description: 'Whether short URLs on this domain start with https://' },
	],
};

export const update = requestOperation({
	...show('update'),
	properties: [domainLocator(), updateFields],
	method: 'PATCH',
	path: (context, itemIndex) => `/domains/${locatorId.call(context, 'domain', itemIndex)}`,
	body: (context, itemIndex) => pickFields(context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject, { isDefault: 'is_default', secure: 'secure' }),
});

export const getMany = listOperation({ ...show('getMany'), path: () => '/domains' });
