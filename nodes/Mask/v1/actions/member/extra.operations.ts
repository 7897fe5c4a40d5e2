import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { listOperation, pickFields, requestOperation } from '../../helpers/generic';
import { locatorId, memberLocator } from '../../helpers/locators';
import { memberRole } from './fields';

const show = (operation: string) => ({ resource: 'member', operation });
const idOf = (context: IExecuteFunctions, itemIndex: number) =>
	locatorId.call(context, 'member', itemIndex);

export const get = requestOperation({ ...show('get'), properties: [memberLocator()], method: 'GET', path: (context, itemIndex) => `/members/${idOf(context, itemIndex)}` });

const updateFields: INodeProperties = {
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [{ displayName: 'Name', name: 'name', type: 'string', default: '' }, memberRole],
};

export const update = requestOperation({
	...show('update'),
	properties: [memberLocator(), updateFields],
	method: 'PATCH',
	path: (context, itemIndex) => `/members/${idOf(context, itemIndex)}`,
	body: (context, itemIndex) => pickFields(context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject, { name: 'name', role: 'role' }),
});

export const getMany = listOperation({
	...show('getMany'),
	path: () => '/members',
	filters: [
		{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', description: 'Only the member with this email' },
		{ ...memberRole, default: 'admin', description: 'Only members with this role' },
	],
});
