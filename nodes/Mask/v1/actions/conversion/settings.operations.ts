import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { toList } from '../../helpers/fields';
import { requestOperation } from '../../helpers/generic';

export const getSettings = requestOperation({ resource: 'conversion', operation: 'getSettings', properties: [], method: 'GET', path: () => '/conversions/settings' });

export const updateSettings = requestOperation({
	resource: 'conversion',
	operation: 'updateSettings',
	properties: [
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Allowed Origins',
					name: 'allowedOrigins',
					type: 'string',
					default: '',
					placeholder: 'e.g. https://shop.example.com',
					description: 'Comma-separated origins whose browsers may report conversions with the publishable key',
				},
				{ displayName: 'Attribution Window (Days)', name: 'attributionWindowDays', type: 'number', typeOptions: { minValue: 1 }, default: 90 },
				{ displayName: 'Click ID Parameter', name: 'clickIdParam', type: 'string', default: 'mask_click_id', description: 'The query parameter destinations receive the click ID in' },
				{ displayName: 'Track Conversions', name: 'trackConversions', type: 'boolean', default: true, description: 'Whether links pass a click ID to their destinations by default' },
			],
		},
	],
	method: 'PATCH',
	path: () => '/conversions/settings',
	body: (context, itemIndex) => {
		const values = context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const body: IDataObject = {};
		if (values.trackConversions !== undefined) body.track_conversions = values.trackConversions;
		if (values.clickIdParam !== undefined) body.click_id_param = values.clickIdParam;
		if (values.attributionWindowDays !== undefined) body.attribution_window_days = values.attributionWindowDays;
		if (values.allowedOrigins !== undefined) body.allowed_origins = toList(values.allowedOrigins);
		if (Object.keys(body).length === 0) throw new NodeOperationError(context.getNode(), 'Add at least one field to update', { itemIndex });
		return body;
	},
});

export const rotatePublishableKey = requestOperation({
	resource: 'conversion',
	operation: 'rotatePublishableKey',
	properties: [],
	method: 'POST',
	path: () => '/conversions/settings/publishable-key',
});
