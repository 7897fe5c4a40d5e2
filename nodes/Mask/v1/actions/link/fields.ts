import type { INodeProperties } from 'n8n-workflow';
import type { FieldSpec } from '../../helpers/fields';
import { campaignLocator, folderLocator, utmTemplateLocator } from '../../helpers/locators';

const text = (api: string, property: Omit<INodeProperties, 'type' | 'default'> & Partial<INodeProperties>): FieldSpec => ({
	api,
	property: { type: 'string', default: '', ...property },
});

export const destinationUrl: INodeProperties = {
	displayName: 'Destination URL',
	name: 'url',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. https://example.com/spring-sale',
	description: 'Where the short link redirects to',
};

/** The file format of a links export (Link → Export, Export → Start). */
export const linksFileFormat: INodeProperties = {
	displayName: 'Format',
	name: 'format',
	type: 'options',
	options: [
		{ name: 'CSV', value: 'csv' },
		{ name: 'JSON', value: 'json' },
	],
	default: 'csv',
};

/** An A/B split, on a link or on a routing rule. */
export const variantsField: FieldSpec = {
		api: 'variants',
		conversion: 'variants',
		property: {
			displayName: 'A/B Split Variants',
			name: 'variants',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Variant',
			default: {},
			description: '2–10 weighted destinations whose weights add up to 100; each visitor keeps theirs. None removes the split.',
			options: [
				{
					displayName: 'Variant',
					name: 'variant',
					values: [
						{ displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: 'e.g. https://example.com/b' },
						{ displayName: 'Weight', name: 'weight', type: 'number', typeOptions: { minValue: 1, maxValue: 100 }, default: 50, description: 'Share of visitors, in percent' },
					],
				},
			],
		},
	};

/** Fields of a link that can be set at creation and changed later. */
const changeable: FieldSpec[] = [
	text('title', { displayName: 'Title', name: 'title', description: 'A descriptive title' }),
	{
		api: 'tags',
		conversion: 'list',
		property: { displayName: 'Tags', name: 'tags', type: 'string', default: '', placeholder: 'e.g. campaign-q1, social', description: 'Comma-separated tags (up to 10)' },
	},
	text('utm_source', { displayName: 'UTM Source', name: 'utmSource', placeholder: 'e.g. twitter' }),
	text('utm_medium', { displayName: 'UTM Medium', name: 'utmMedium', placeholder: 'e.g. social' }),
	text('utm_campaign', { displayName: 'UTM Campaign', name: 'utmCampaign', placeholder: 'e.g. spring-sale' }),
	{
		api: 'expires_at',
		conversion: 'instant',
		property: { displayName: 'Expires At', name: 'expiresAt', type: 'dateTime', default: '', description: 'After this moment the link stops redirecting' },
	},
	{
		api: 'starts_at',
		conversion: 'instant',
		property: { displayName: 'Starts At', name: 'startsAt', type: 'dateTime', default: '', description: 'Before this moment the link does not redirect yet' },
	},
	{
		api: 'max_clicks',
		conversion: 'count',
		property: {
			displayName: 'Max Clicks',
			name: 'maxClicks',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'The link stops redirecting after this many clicks; 0 means no cap',
		},
	},
	text('password', {
		displayName: 'Password',
		name: 'password',
		typeOptions: { password: true },
		description: 'Visitors must enter it before being redirected',
	}),
	text('ios_target', { displayName: 'iOS Target', name: 'iosTarget', placeholder: 'e.g. https://apps.apple.com/app/id123', description: 'Where iOS visitors go instead' }),
	text('android_target', {
		displayName: 'Android Target',
		name: 'androidTarget',
		placeholder: 'e.g. https://play.google.com/store/apps/details?id=com.example',
		description: 'Where Android visitors go instead',
	}),
	text('utm_term', { displayName: 'UTM Term', name: 'utmTerm' }),
	text('utm_content', { displayName: 'UTM Content', name: 'utmContent' }),
	text('external_id', {
		displayName: 'External ID',
		name: 'externalId',
		placeholder: 'e.g. product-1234',
		description: 'Your own ID for the link, unique in the workspace; Upsert finds links by it',
	}),
	{ api: 'campaign_id', conversion: 'locator', property: campaignLocator({ required: false, description: 'The campaign the link belongs to; empty removes it' }) },
	{ api: 'utm_template_id', conversion: 'locator', property: utmTemplateLocator({ required: false, description: 'A UTM template whose values fill those the link leaves empty' }) },
	{
		api: 'pixel_ids',
		conversion: 'list',
		property: { displayName: 'Pixel IDs', name: 'pixelIds', type: 'string', default: '', placeholder: 'e.g. px_01…, px_02…', description: 'Comma-separated retargeting pixels fired on redirect; empty: none' },
	},
	{ api: 'folder_id', conversion: 'locator', property: folderLocator({ required: false, description: 'The folder the link is in; empty takes it out' }) },
	{
		api: 'track_conversions',
		property: { displayName: 'Track Conversions', name: 'trackConversions', type: 'boolean', default: true, description: 'Whether the destination receives a click ID for lead and sale tracking' },
	},
	variantsField,
	{
		api: 'preview',
		conversion: 'preview',
		property: {
			displayName: 'Social Preview',
			name: 'preview',
			type: 'fixedCollection',
			placeholder: 'Add Preview',
			default: {},
			description: 'What Slack, X, Facebook, LinkedIn and other link-preview crawlers show; all empty removes it',
			options: [
				{
					displayName: 'Preview',
					name: 'values',
					values: [
						{ displayName: 'Title', name: 'title', type: 'string', default: '' },
						{ displayName: 'Description', name: 'description', type: 'string', default: '' },
						{ displayName: 'Image URL', name: 'imageUrl', type: 'string', default: '', placeholder: 'e.g. https://example.com/card.png' },
					],
				},
			],
		},
	},
	text('notes', { displayName: 'Notes', name: 'notes', typeOptions: { rows: 3 }, description: 'Private notes, never shown to visitors' }),
];

/** Optional fields of a new link. */
export const createFields: FieldSpec[] = [
	text('slug', { displayName: 'Slug', name: 'slug', placeholder: 'e.g. spring-sale', description: 'Custom slug (4–64 characters); random if empty' }),
	text('domain', { displayName: 'Domain', name: 'domain', placeholder: 'e.g. go.example.com', description: 'Domain of the short URL; the workspace default if empty' }),
	...changeable,
];

/** What an update may change: slug and domain are fixed once a link exists. An empty value clears the field. */
export const updateFields: FieldSpec[] = [{ api: 'url', property: { ...destinationUrl, required: false } }, ...changeable];
