import { webhookLocator } from '../../helpers/locators';
import { simpleOperation } from '../../helpers/operations';

export const { description, execute } = simpleOperation({
	resource: 'webhook',
	operation: 'sendTest',
	locator: webhookLocator(),
	method: 'POST',
	path: (id) => `/webhooks/${id}/test`,
});
