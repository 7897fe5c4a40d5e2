import { resourceDescription } from '../../helpers/operations';
import { simplifyPage } from '../../helpers/simplify';
import type { MaskResource } from '../node.type';
import * as create from './create.operation';
import * as deletePage from './delete.operation';
import { getMany, getQrCode } from './extra.operations';
import * as get from './get.operation';
import * as publish from './publish.operation';
import * as unpublish from './unpublish.operation';
import * as update from './update.operation';

const simplified = <T extends object>(operation: T) => ({ ...operation, simplify: simplifyPage });

const operations = {
	create: simplified(create),
	delete: deletePage,
	get: simplified(get),
	getMany: simplified(getMany),
	getQrCode,
	publish: simplified(publish),
	unpublish: simplified(unpublish),
	update: simplified(update),
};

export const page: MaskResource = {
	operations,
	description: resourceDescription(
		'page',
		'create',
		[
			{ name: 'Create', value: 'create', description: 'Create a bio page (unpublished) with a handle, texts, theme and link buttons; returns the page', action: 'Create a bio page' },
			{ name: 'Delete', value: 'delete', description: 'Delete a bio page; its address stops working', action: 'Delete a bio page' },
			{ name: 'Get', value: 'get', description: 'Get a bio page: handle, public URL, texts, theme, items and whether it is published', action: 'Get a bio page' },
			{ name: 'Get Many', value: 'getMany', description: 'List bio pages, optionally of one domain or only (un)published ones', action: 'Get many bio pages' },
			{ name: 'Get QR Code', value: 'getQrCode', description: 'Download the QR code of a bio page’s public URL as a PNG or SVG file (binary)', action: 'Get the QR code of a bio page' },
			{ name: 'Publish', value: 'publish', description: 'Make a bio page public at its URL; returns the page', action: 'Publish a bio page' },
			{ name: 'Unpublish', value: 'unpublish', description: 'Take a bio page offline; returns the page', action: 'Unpublish a bio page' },
			{ name: 'Update', value: 'update', description: 'Change a bio page’s fields or replace its items; returns the page', action: 'Update a bio page' },
		],
		operations,
	),
};
