import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { toInstant } from '../../helpers/dates';
import { listOperation, requestOperation } from '../../helpers/generic';

const period: INodeProperties[] = [
	{ displayName: 'End', name: 'end', type: 'dateTime', default: '', description: 'End of the period; now if empty' },
	{ displayName: 'Start', name: 'start', type: 'dateTime', default: '', description: 'Start of the period' },
];

export const getAuditLogs = listOperation({
	resource: 'workspace',
	operation: 'getAuditLogs',
	path: () => '/audit-logs',
	filters: [
		{ displayName: 'Actions', name: 'action', type: 'string', default: '', placeholder: 'e.g. link.created, key.*', description: 'Comma-separated actions; key.* matches every key action' },
		{
			displayName: 'Actor Type',
			name: 'actorType',
			type: 'options',
			options: [
				{ name: 'API Key', value: 'api_key' },
				{ name: 'System', value: 'system' },
				{ name: 'User', value: 'user' },
			],
			default: 'api_key',
		},
		...period,
		{ displayName: 'Resource ID', name: 'resourceId', type: 'string', default: '', placeholder: 'e.g. lnk_01jd8x3k2m4n5p6q7r8s9t0v1w' },
		{ displayName: 'Resource Type', name: 'resourceType', type: 'string', default: '', placeholder: 'e.g. link' },
	],
	query: (filters: IDataObject, context) => ({
		action: filters.action,
		actor_type: filters.actorType,
		resource_type: filters.resourceType,
		resource_id: filters.resourceId,
		start: filters.start ? toInstant(filters.start, context.getTimezone()) : undefined,
		end: filters.end ? toInstant(filters.end, context.getTimezone()) : undefined,
	}),
});

export const getUsage = requestOperation({
	resource: 'workspace',
	operation: 'getUsage',
	properties: [
		{
			displayName: 'Interval',
			name: 'interval',
			type: 'options',
			options: [
				{ name: 'Day', value: 'day' },
				{ name: 'Hour', value: 'hour' },
				{ name: 'Minute (Last 48 Hours Only)', value: 'minute' },
			],
			default: 'hour',
		},
		{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: period },
	],
	method: 'GET',
	path: () => '/usage',
	qs: (context, itemIndex) => {
		const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const timeZone = context.getTimezone();
		return {
			interval: context.getNodeParameter('interval', itemIndex),
			start: options.start ? toInstant(options.start, timeZone) : undefined,
			end: options.end ? toInstant(options.end, timeZone) : undefined,
		};
	},
});
