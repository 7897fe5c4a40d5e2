import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, jsonParse, updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest, maskRequest } from '../../../transport';
import { binaryPropertyName, binaryResult } from '../../helpers/binary';
import { requestOperation } from '../../helpers/generic';
import type { BinaryResult } from '../../helpers/items';
import { campaignLocator } from '../../helpers/locators';
import { resourceDescription } from '../../helpers/operations';
import { analyticsQuery, interval, reportOutput, scopeProperties, splitIntoItems, type AnalyticsReport } from '../analytics/fields';
import type { MaskResource } from '../node.type';
import { getSettings, rotatePublishableKey, updateSettings } from './settings.operations';

const show = (operation: string) => ({ show: { resource: ['conversion'], operation: [operation] } });

const common: INodeProperties[] = [
	{ displayName: 'Customer ID', name: 'customerId', type: 'string', default: '', required: true, description: 'Your ID of the customer; ties a lead to later sales' },
	{ displayName: 'Event Name', name: 'eventName', type: 'string', default: '', required: true, placeholder: 'e.g. Sign up' },
	{
		displayName: 'Click ID',
		name: 'clickId',
		type: 'string',
		default: '',
		description: 'The click ID the destination received (mask_click_id); without one the conversion is recorded unattributed',
	},
];

const metadata: INodeProperties = { displayName: 'Metadata', name: 'metadata', type: 'json', default: '{}', description: 'A JSON object stored with the event' };
const idempotencyKey = (required: boolean): INodeProperties => ({
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	required,
	description: required ? 'Your unique ID of this sale (e.g. the order ID): a repeat is counted once' : 'Your unique ID of this lead: a repeat is counted once',
});

function conversionBody(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {
		customer_id: context.getNodeParameter('customerId', itemIndex),
		event_name: context.getNodeParameter('eventName', itemIndex),
	};
	const clickId = String(context.getNodeParameter('clickId', itemIndex, '')).trim();
	if (clickId) body.click_id = clickId;
	if (options.metadata !== undefined) {
		const parsed = typeof options.metadata === 'string' ? jsonParse<IDataObject>(options.metadata, { errorMessage: 'Metadata is not valid JSON' }) : options.metadata;
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new NodeOperationError(context.getNode(), 'Metadata must be a JSON object', { itemIndex });
		body.metadata = parsed as IDataObject;
	}
	if (options.idempotencyKey) body.idempotency_key = options.idempotencyKey;
	return body;
}

const groupBy: INodeProperties = {
	displayName: 'Group By',
	name: 'groupBy',
	type: 'options',
	options: [
		{ name: 'Campaign', value: 'campaign' },
		{ name: 'Country', value: 'country' },
		{ name: 'Device', value: 'device' },
		{ name: 'Link', value: 'link' },
		{ name: 'Referrer', value: 'referrer' },
		{ name: 'Routing Rule', value: 'rule' },
		{ name: 'Split Variant', value: 'variant' },
		{ name: 'Time Series', value: 'timeseries' },
	],
	default: 'timeseries',
	description: 'Buckets of time, or the dimension clicks, leads, sales and revenue are counted by',
};

const bucketSize: INodeProperties = { ...interval, displayOptions: { show: { groupBy: ['timeseries'] } } };

const campaignFilter = campaignLocator({ required: false, description: 'Only conversions attributed to this campaign' });

async function conversionQuery(context: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const qs = await analyticsQuery.call(context, itemIndex);
	const campaign = context.getNodeParameter('campaign', itemIndex, '', { extractValue: true }) as string;
	if (String(campaign ?? '').trim()) qs.campaign_id = String(campaign).trim();
	return qs;
}

const operations = {
	getSettings,
	updateSettings,
	rotatePublishableKey,
	trackLead: requestOperation({
		resource: 'conversion',
		operation: 'trackLead',
		properties: [...common, { displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: [idempotencyKey(false), metadata] }],
		method: 'POST',
		path: () => '/track/lead',
		body: conversionBody,
	}),
	trackSale: requestOperation({
		resource: 'conversion',
		operation: 'trackSale',
		properties: [
			...common,
			{ displayName: 'Amount', name: 'amount', type: 'number', typeOptions: { minValue: 0 }, default: 0, required: true, description: 'In the currency’s minor units, e.g. 4999 for USD 49.99' },
			{ displayName: 'Currency', name: 'currency', type: 'string', default: 'USD', required: true, placeholder: 'e.g. EUR', description: 'ISO 4217 code' },
			idempotencyKey(true),
			{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: [metadata] },
		],
		method: 'POST',
		path: () => '/track/sale',
		body: (context, itemIndex) => ({
			...conversionBody(context, itemIndex),
			amount: context.getNodeParameter('amount', itemIndex),
			currency: String(context.getNodeParameter('currency', itemIndex)).trim().toUpperCase(),
			idempotency_key: context.getNodeParameter('idempotencyKey', itemIndex),
		}),
	}),
	get: requestOperation({
		resource: 'conversion',
		operation: 'get',
		properties: [{ displayName: 'Conversion ID', name: 'conversionId', type: 'string', default: '', required: true, placeholder: 'e.g. conv_01jd8x3k2m4n5p6q7r8s9t0v1w' }],
		method: 'GET',
		path: (context, itemIndex) => `/conversions/${encodeURIComponent(String(context.getNodeParameter('conversionId', itemIndex)).trim())}`,
	}),
	getAnalytics: {
		description: updateDisplayOptions(show('getAnalytics'), [
			groupBy,
			bucketSize,
			...scopeProperties,
			campaignFilter,
			{ displayName: 'Top', name: 'top', type: 'number', typeOptions: { minValue: 1 }, default: 10, description: 'How many groups to return, largest first', displayOptions: { hide: { groupBy: ['timeseries'] } } },
			splitIntoItems,
		]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]> {
			const qs = await conversionQuery(this, itemIndex);
			qs.group_by = this.getNodeParameter('groupBy', itemIndex);
			if (qs.group_by === 'timeseries') qs.interval = this.getNodeParameter('interval', itemIndex);
			else qs.limit = this.getNodeParameter('top', itemIndex);
			const report = (await maskApiRequest.call(this, 'GET', '/analytics/conversions', { qs, itemIndex })) as AnalyticsReport;
			return reportOutput.call(this, itemIndex, report);
		},
	},
	export: {
		description: updateDisplayOptions(show('export'), [
			...scopeProperties,
			campaignFilter,
			{
				displayName: 'Format',
				name: 'format',
				type: 'options',
				options: [
					{ name: 'CSV', value: 'csv' },
					{ name: 'NDJSON', value: 'ndjson' },
				],
				default: 'csv',
			},
			binaryPropertyName,
		]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<BinaryResult> {
			const qs = await conversionQuery(this, itemIndex);
			delete qs.include_bots;
			const format = this.getNodeParameter('format', itemIndex) as string;
			const response = await maskRequest.call(this, { method: 'GET', path: '/analytics/conversions/export', qs: { ...qs, format }, binary: true, itemIndex });
			return await binaryResult.call(this, itemIndex, response, `conversions.${format}`, { format });
		},
	},
};

export const conversion: MaskResource = {
	operations,
	description: resourceDescription(
		'conversion',
		'trackLead',
		[
			{ name: 'Export', value: 'export', description: 'Download conversions as a CSV or NDJSON file (binary), optionally of one link or campaign', action: 'Export conversions' },
			{ name: 'Get', value: 'get', description: 'Get one lead or sale with its attribution (link, campaign, click)', action: 'Get a conversion' },
			{
				name: 'Get Analytics',
				value: 'getAnalytics',
				description: 'Clicks, leads, sales and revenue over time or grouped by campaign, link, country…; one item per row',
				action: 'Get conversion analytics',
			},
			{ name: 'Get Settings', value: 'getSettings', description: 'Get the conversion tracking settings: click ID parameter, attribution window, allowed origins', action: 'Get conversion settings' },
			{
				name: 'Rotate Publishable Key',
				value: 'rotatePublishableKey',
				description: 'Create or replace the publishable key browsers use to report conversions; returns it',
				action: 'Rotate the publishable key',
			},
			{ name: 'Track Lead', value: 'trackLead', description: 'Report a lead (sign-up, form…) attributed to the click that brought it; returns the lead', action: 'Track a lead' },
			{ name: 'Track Sale', value: 'trackSale', description: 'Report a sale with its amount, attributed to the customer’s click; returns the sale', action: 'Track a sale' },
			{ name: 'Update Settings', value: 'updateSettings', description: 'Change the conversion tracking settings; returns them', action: 'Update conversion settings' },
		],
		operations,
	),
};

