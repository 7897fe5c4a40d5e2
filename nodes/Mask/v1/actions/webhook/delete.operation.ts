import { webhookLocator } from '../../helpers/locators';
import { simpleOperation } from '../../helpers/operations';

export const { description, execute } = simpleOperation({
	resource: 'webhook',
	operation: 'delete',
	locator: webhookLocator(),
	method: 'DELETE',
	path: (id) => `/webhooks/${id}`,
});
