import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';
import { getAuditLogs, getUsage } from './activity.operations';
import * as get from './get.operation';
import * as getCurrentKey from './getCurrentKey.operation';
import * as update from './update.operation';

const operations = { get, getAuditLogs, getCurrentKey, getUsage, update };

export const workspace: MaskResource = {
	operations,
	description: resourceDescription(
		'workspace',
		'get',
		[
			{ name: 'Get', value: 'get', description: 'Get the workspace and its plan (admin key)', action: 'Get the workspace' },
			{
				name: 'Get Audit Logs',
				value: 'getAuditLogs',
				description: 'List who did what in the workspace (admin key), newest first, filtered by action, actor, resource or period',
				action: 'Get audit log entries',
			},
			{
				name: 'Get Current Key',
				value: 'getCurrentKey',
				description: 'Get the API key in use, its scopes, mode and workspace (any key)',
				action: 'Get the current API key',
			},
			{
				name: 'Get Usage',
				value: 'getUsage',
				description: 'API usage over time, per key, endpoint and status (admin key); returns one report',
				action: 'Get API usage',
			},
			{ name: 'Update', value: 'update', description: 'Rename the workspace or change its default domain (admin key)', action: 'Update the workspace' },
		],
		operations,
	),
};
