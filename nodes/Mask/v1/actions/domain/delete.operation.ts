import { domainLocator } from '../../helpers/locators';
import { simpleOperation } from '../../helpers/operations';

export const { description, execute } = simpleOperation({
	resource: 'domain',
	operation: 'delete',
	locator: domainLocator(),
	method: 'DELETE',
	path: (id) => `/domains/${id}`,
});
