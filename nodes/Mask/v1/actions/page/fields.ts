import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { FieldSpec } from '../../helpers/fields';
import { toApiBody } from '../../helpers/fields';

export const handle: INodeProperties = {
	displayName: 'Handle',
	name: 'handle',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. acme',
	description: 'The path of the page, as in https://go.example.com/acme',
};

/** Fields of a bio page other than its handle and items. */
export const pageFields: FieldSpec[] = [
	{ api: 'title', property: { displayName: 'Title', name: 'title', type: 'string', default: '' } },
	{ api: 'description', property: { displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 3 }, default: '' } },
	{
		api: 'avatar_url',
		property: { displayName: 'Avatar URL', name: 'avatarUrl', type: 'string', default: '', placeholder: 'e.g. https://example.com/logo.png' },
	},
	{
		api: 'theme',
		property: {
			displayName: 'Theme',
			name: 'theme',
			type: 'options',
			options: [
				{ name: 'Auto (Light or Dark, as the Visitor Prefers)', value: 'auto' },
				{ name: 'Dark', value: 'dark' },
				{ name: 'Forest', value: 'forest' },
				{ name: 'Light', value: 'light' },
				{ name: 'Ocean', value: 'ocean' },
				{ name: 'Sunset', value: 'sunset' },
			],
			default: 'auto',
		},
	},
	{
		api: 'domain',
		property: { displayName: 'Domain', name: 'domain', type: 'string', default: '', placeholder: 'e.g. go.example.com', description: 'The workspace default if empty' },
	},
];

export const itemsProperty: INodeProperties = {
	displayName: 'Items',
	name: 'items',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Item',
	default: {},
	description: 'The buttons of the page, in order. An item points to a MASK link or to any URL.',
	options: [
		{
			displayName: 'Item',
			name: 'item',
			values: [
				{ displayName: 'Label', name: 'label', type: 'string', default: '', required: true },
				{
					displayName: 'Target',
					name: 'target',
					type: 'options',
					options: [
						{ name: 'MASK Link', value: 'link' },
						{ name: 'URL', value: 'url' },
					],
					default: 'link',
				},
				{
					displayName: 'Link Name or ID',
					name: 'linkId',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getLinks' },
					default: '',
					description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					displayOptions: { show: { target: ['link'] } },
				},
				{
					displayName: 'URL',
					name: 'url',
					type: 'string',
					default: '',
					placeholder: 'e.g. https://example.com',
					displayOptions: { show: { target: ['url'] } },
				},
			],
		},
	],
};

/** The page body from the handle (create only), a collection of page fields and the items. */
export function pageBody(this: IExecuteFunctions, itemIndex: number, collection: string): IDataObject {
	const body = toApiBody(this.getNodeParameter(collection, itemIndex, {}) as IDataObject, pageFields, this.getTimezone());
	const items = (this.getNodeParameter('items', itemIndex, {}) as { item?: IDataObject[] }).item;
	if (items) {
		body.items = items.map((entry) =>
			entry.target === 'url' ? { label: entry.label, url: entry.url } : { label: entry.label, link_id: String(entry.linkId ?? '').trim() },
		);
	}
	return body;
}
