import type { MaskResource } from '../node.type';
import { resourceDescription } from '../../helpers/operations';
import { simplifyLink } from '../../helpers/simplify';
import * as create from './create.operation';
import * as createMany from './createMany.operation';
import * as deleteLink from './delete.operation';
import { deleteMany, exportLinks, moveToFolder, updateMany, upsert } from './extra.operations';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

const simplified = <T extends object>(operation: T) => ({ ...operation, simplify: simplifyLink });

const operations = {
	create: simplified(create),
	createMany,
	delete: deleteLink,
	deleteMany,
	export: exportLinks,
	get: simplified(get),
	getMany: simplified(getMany),
	moveToFolder,
	update: simplified(update),
	updateMany,
	upsert: simplified(upsert),
};

export const link: MaskResource = {
	operations,
	description: resourceDescription(
		'link',
		'create',
		[
			{ name: 'Create', value: 'create', description: 'Create a short link to a destination URL; returns the link with its short_url', action: 'Create a link' },
			{ name: 'Create Many', value: 'createMany', description: 'Create one link per input item, sent in batches of 100; returns one link per item', action: 'Create many links' },
			{ name: 'Delete', value: 'delete', description: 'Delete a link; its short URL stops redirecting', action: 'Delete a link' },
			{ name: 'Delete Many', value: 'deleteMany', description: 'Delete up to 100 links by ID; returns which were deleted and which failed', action: 'Delete many links' },
			{ name: 'Export', value: 'export', description: 'Download every link of the workspace as a CSV or JSON file (binary)', action: 'Export links' },
			{ name: 'Get', value: 'get', description: 'Get a link by ID or short URL: destination, settings and click count', action: 'Get a link' },
			{ name: 'Get Many', value: 'getMany', description: 'List links, filtered by search text, tag, domain, folder, campaign or creation date', action: 'Get many links' },
			{ name: 'Move to Folder', value: 'moveToFolder', description: 'Put up to 100 links into a folder, or out of any folder', action: 'Move links to a folder' },
			{ name: 'Update', value: 'update', description: 'Change a link’s destination, campaign, folder, split, preview or other settings; returns the link', action: 'Update a link' },
			{ name: 'Update Many', value: 'updateMany', description: 'Apply the same change to up to 100 links; returns the updated links and per-link errors', action: 'Update many links' },
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update a link by external ID or slug',
			},
		],
		operations,
	),
};
