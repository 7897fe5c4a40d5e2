import { webhookLocator } from '../../helpers/locators';
import { simpleOperation } from '../../helpers/operations';

export const { description, execute } = simpleOperation({
	resource: 'webhook',
	operation: 'get',
	locator: webhookLocator(),
	method: 'GET',
	path: (id) => `/webhooks/${id}`,
});
