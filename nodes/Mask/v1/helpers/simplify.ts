import type { IDataObject, INodeProperties } from 'n8n-workflow';

const pick = (row: IDataObject, keys: string[]): IDataObject => Object.fromEntries(keys.filter((key) => key in row).map((key) => [key, row[key]]));

/** A link as most workflows need it. */
export const simplifyLink = (row: IDataObject): IDataObject =>
	pick(row, ['id', 'short_url', 'url', 'slug', 'domain', 'title', 'tags', 'clicks', 'campaign_id', 'folder_id', 'external_id', 'created_at']);

/** A bio page as most workflows need it. */
export const simplifyPage = (row: IDataObject): IDataObject => ({
	...pick(row, ['id', 'handle', 'domain', 'title', 'public_url', 'published', 'theme', 'updated_at']),
	...(Array.isArray(row.items) ? { item_count: row.items.length } : {}),
});

/** The Simplify switch, shown on the operations that return links or pages. Off by default: version 1 returned whole objects. */
export const simplifyProperty = (resource: string, operations: string[]): INodeProperties => ({
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: false,
	displayOptions: { show: { resource: [resource], operation: operations } },
	description: 'Whether to return a simplified version of the response instead of the raw data',
});
