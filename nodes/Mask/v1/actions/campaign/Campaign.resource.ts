import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { FieldSpec } from '../../helpers/fields';
import { propertiesOf, toApiBody } from '../../helpers/fields';
import { listOperation, requestOperation } from '../../helpers/generic';
import { campaignLocator, locatorId } from '../../helpers/locators';
import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';

const show = (operation: string) => ({ resource: 'campaign', operation });
const path = (context: IExecuteFunctions, itemIndex: number) => `/campaigns/${locatorId.call(context, 'campaign', itemIndex)}`;

const text = (api: string, displayName: string, name: string, description?: string): FieldSpec => ({
	api,
	property: { displayName, name, type: 'string', default: '', ...(description ? { description } : {}) },
});

const campaignFields: FieldSpec[] = [
	text('description', 'Description', 'description'),
	{ api: 'starts_at', conversion: 'instant', property: { displayName: 'Starts At', name: 'startsAt', type: 'dateTime', default: '' } },
	{ api: 'ends_at', conversion: 'instant', property: { displayName: 'Ends At', name: 'endsAt', type: 'dateTime', default: '' } },
	text('utm_source', 'UTM Source', 'utmSource', 'Default utm_source of links created in the campaign'),
	text('utm_medium', 'UTM Medium', 'utmMedium', 'Default utm_medium of links created in the campaign'),
	text('utm_campaign', 'UTM Campaign', 'utmCampaign', 'Default utm_campaign of links created in the campaign'),
	text('utm_term', 'UTM Term', 'utmTerm'),
	text('utm_content', 'UTM Content', 'utmContent'),
];

const name: INodeProperties = { displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder: 'e.g. Spring Sale 2026' };

function body(context: IExecuteFunctions, itemIndex: number, collection: string): IDataObject {
	const values = context.getNodeParameter(collection, itemIndex, {}) as IDataObject;
	// An empty text clears the field, as on links.
	const cleared = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value === '' ? null : value]));
	return toApiBody(cleared, campaignFields, context.getTimezone());
}

const operations = {
	create: requestOperation({
		...show('create'),
		properties: [name, { displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: propertiesOf(campaignFields) }],
		method: 'POST',
		path: () => '/campaigns',
		body: (context, itemIndex) => ({ name: context.getNodeParameter('name', itemIndex), ...body(context, itemIndex, 'additionalFields') }),
	}),
	delete: requestOperation({ ...show('delete'), properties: [campaignLocator()], method: 'DELETE', path }),
	get: requestOperation({ ...show('get'), properties: [campaignLocator()], method: 'GET', path }),
	getMany: listOperation({ ...show('getMany'), path: () => '/campaigns' }),
	update: requestOperation({
		...show('update'),
		properties: [
			campaignLocator(),
			{
				displayName: 'Update Fields',
				name: 'updateFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: propertiesOf([{ api: 'name', property: { ...name, required: false } }, ...campaignFields]),
			},
		],
		method: 'PATCH',
		path,
		body: (context, itemIndex) => {
			const values = context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
			const patch = { ...(values.name !== undefined ? { name: values.name } : {}), ...body(context, itemIndex, 'updateFields') };
			if (Object.keys(patch).length === 0) throw new NodeOperationError(context.getNode(), 'Add at least one field to update', { itemIndex });
			return patch;
		},
	}),
};

export const campaign: MaskResource = {
	operations,
	description: resourceDescription(
		'campaign',
		'getMany',
		[
			{ name: 'Create', value: 'create', description: 'Create a campaign with a period and default UTM values for its links; returns the campaign', action: 'Create a campaign' },
			{ name: 'Delete', value: 'delete', description: 'Delete a campaign; its links stay, without a campaign', action: 'Delete a campaign' },
			{ name: 'Get', value: 'get', description: 'Get a campaign: name, period and UTM defaults', action: 'Get a campaign' },
			{ name: 'Get Many', value: 'getMany', description: 'List the workspace’s campaigns', action: 'Get many campaigns' },
			{ name: 'Update', value: 'update', description: 'Change a campaign’s name, period or UTM defaults; returns the campaign', action: 'Update a campaign' },
		],
		operations,
	),
};
