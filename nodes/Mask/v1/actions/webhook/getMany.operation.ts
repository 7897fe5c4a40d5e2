import { listOperation } from '../../helpers/generic';

export const { description, execute } = listOperation({
	resource: 'webhook',
	operation: 'getMany',
	path: () => '/webhooks',
	filters: [
		{
			displayName: 'Enabled',
			name: 'enabled',
			type: 'options',
			options: [
				{ name: 'Enabled Only', value: 'true' },
				{ name: 'Disabled Only', value: 'false' },
			],
			default: 'true',
			description: 'Whether to list only enabled or only disabled endpoints',
		},
	],
});
