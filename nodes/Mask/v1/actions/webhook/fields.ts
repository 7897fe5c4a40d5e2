import type { INodeProperties } from 'n8n-workflow';
import { WEBHOOK_EVENTS } from '../../../shared/events';

export const endpointUrl: INodeProperties = {
	displayName: 'URL',
	name: 'url',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. https://crm.example.com/hooks/mask',
	description: 'Where MASK sends signed event deliveries',
};

export const events: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	options: WEBHOOK_EVENTS,
	default: ['*'],
	required: true,
	description: 'The events delivered to this endpoint',
};

export const endpointDescription: INodeProperties = {
	displayName: 'Description',
	name: 'description',
	type: 'string',
	default: '',
	description: 'A note on what the endpoint is for',
};

export const enabled: INodeProperties = {
	displayName: 'Enabled',
	name: 'enabled',
	type: 'boolean',
	default: true,
	description: 'Whether deliveries are sent to the endpoint',
};
