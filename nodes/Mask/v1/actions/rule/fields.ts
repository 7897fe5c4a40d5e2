import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { toList } from '../../helpers/fields';

const DEVICES = ['console', 'desktop', 'embedded', 'mobile', 'smarttv', 'tablet', 'wearable', 'xr'];
const DAYS: Array<[string, string]> = [
	['Monday', 'mon'],
	['Tuesday', 'tue'],
	['Wednesday', 'wed'],
	['Thursday', 'thu'],
	['Friday', 'fri'],
	['Saturday', 'sat'],
	['Sunday', 'sun'],
];
const LIST_TYPES = ['country', 'os', 'browser', 'language', 'referrer'];

export const conditionsProperty: INodeProperties = {
	displayName: 'Conditions',
	name: 'conditions',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Condition',
	default: {},
	description: 'All must hold for the rule to match a visitor (1–20)',
	options: [
		{
			displayName: 'Condition',
			name: 'condition',
			values: [
				{
					displayName: 'Condition Type',
					name: 'type',
					type: 'options',
					options: [
						{ name: 'Bot', value: 'bot', description: 'Whether the visitor is a bot' },
						{ name: 'Browser', value: 'browser', description: 'Such as Chrome, Safari, Firefox, Edge' },
						{ name: 'Country', value: 'country', description: 'ISO 3166-1 alpha-2 codes such as US, DE' },
						{ name: 'Device', value: 'device', description: 'Such as desktop, mobile, tablet' },
						{ name: 'Language', value: 'language', description: 'The visitor’s preferred language, such as de or en-GB' },
						{ name: 'Operating System', value: 'os', description: 'Such as iOS, Android, Windows, macOS, Linux' },
						{ name: 'Query Parameter', value: 'query', description: 'A query parameter of the short URL' },
						{ name: 'Referrer', value: 'referrer', description: 'The referring host, subdomains included' },
						{ name: 'Time', value: 'time', description: 'A time window, daily or between two dates' },
					],
					default: 'country',
				},
				{
					displayName: 'Days',
					name: 'days',
					type: 'multiOptions',
					options: DAYS.map(([name, value]) => ({ name, value })),
					default: [],
					description: 'Only on these days; none: every day',
					displayOptions: { show: { type: ['time'] } },
				},
				{
					displayName: 'Devices',
					name: 'devices',
					type: 'multiOptions',
					options: DEVICES.map((device) => ({ name: device === 'smarttv' ? 'Smart TV' : device === 'xr' ? 'XR' : device[0].toUpperCase() + device.slice(1), value: device })),
					default: [],
					displayOptions: { show: { type: ['device'] } },
				},
				{
					displayName: 'End',
					name: 'end',
					type: 'string',
					default: '',
					placeholder: 'e.g. 17:00 or 2026-12-27T00:00',
					description: 'Exclusive, after the start',
					displayOptions: { show: { type: ['time'] } },
				},
				{
					displayName: 'Is Bot',
					name: 'isBot',
					type: 'boolean',
					default: true,
					description: 'Whether the rule matches bots (on) or people (off)',
					displayOptions: { show: { type: ['bot'] } },
				},
				{
					displayName: 'Parameter Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. ref',
					displayOptions: { show: { type: ['query'] } },
				},
				{
					displayName: 'Parameter Value',
					name: 'value',
					type: 'string',
					default: '',
					description: 'Empty: the parameter need only be present',
					displayOptions: { show: { type: ['query'] } },
				},
				{
					displayName: 'Start',
					name: 'start',
					type: 'string',
					default: '',
					placeholder: 'e.g. 09:00 or 2026-12-24T18:00',
					description: 'Inclusive: a time of day, or a date and time',
					displayOptions: { show: { type: ['time'] } },
				},
				{
					displayName: 'Time Zone',
					name: 'timezone',
					type: 'string',
					default: 'UTC',
					placeholder: 'e.g. Europe/Berlin',
					displayOptions: { show: { type: ['time'] } },
				},
				{
					displayName: 'Values',
					name: 'values',
					type: 'string',
					default: '',
					placeholder: 'e.g. US, CA',
					description: 'Comma-separated; the visitor must match one',
					displayOptions: { show: { type: LIST_TYPES } },
				},
			],
		},
	],
};

/** The fixed collection's rows as the API's condition objects. */
export function conditionsOf(value: IDataObject): IDataObject[] {
	return ((value?.condition ?? []) as IDataObject[]).map((row) => {
		switch (row.type) {
			case 'device':
				return { type: 'device', values: toList(row.devices) };
			case 'bot':
				return { type: 'bot', value: row.isBot ?? true };
			case 'query':
				return { type: 'query', name: row.name, ...(row.value ? { value: row.value } : {}) };
			case 'time': {
				const days = toList(row.days);
				return { type: 'time', start: row.start, end: row.end, timezone: row.timezone || 'UTC', ...(days.length > 0 ? { days } : {}) };
			}
			default:
				return { type: row.type, values: toList(row.values) };
		}
	});
}

export const destination: INodeProperties = {
	displayName: 'Destination URL',
	name: 'url',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://example.com/de',
	description: 'Where a matching visitor goes; leave empty when the rule splits between variants',
};
