import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';
import * as create from './create.operation';
import * as deleteDomain from './delete.operation';
import { getDeepLinks, setDeepLinks } from './deepLinks.operations';
import { get, getMany, update } from './extra.operations';

const operations = { create, delete: deleteDomain, get, getDeepLinks, getMany, setDeepLinks, update };

export const domain: MaskResource = {
	operations,
	description: resourceDescription(
		'domain',
		'getMany',
		[
			{ name: 'Create', value: 'create', description: 'Add a custom domain for short links (admin key); returns the domain', action: 'Create a domain' },
			{ name: 'Delete', value: 'delete', description: 'Remove a custom domain no link uses (admin key)', action: 'Delete a domain' },
			{ name: 'Get', value: 'get', description: 'Get one custom domain: hostname, whether it is the default and uses HTTPS', action: 'Get a domain' },
			{
				name: 'Get Deep-Link Files',
				value: 'getDeepLinks',
				description: 'Get the iOS (apple-app-site-association) and Android (asset links) files the domain serves for app links',
				action: 'Get the deep-link files of a domain',
			},
			{ name: 'Get Many', value: 'getMany', description: 'List the workspace’s custom domains (admin key)', action: 'Get many domains' },
			{
				name: 'Set Deep-Link Files',
				value: 'setDeepLinks',
				description: 'Set or remove the iOS (apple-app-site-association) and Android (asset links) files of a domain; returns both',
				action: 'Set the deep-link files of a domain',
			},
			{ name: 'Update', value: 'update', description: 'Make a domain the default or switch HTTPS (admin key); returns the domain', action: 'Update a domain' },
		],
		operations,
	),
};
