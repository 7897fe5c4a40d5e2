import { pageLocator } from '../../helpers/locators';
import { simpleOperation } from '../../helpers/operations';

export const { description, execute } = simpleOperation({
	resource: 'page',
	operation: 'delete',
	locator: pageLocator(),
	method: 'DELETE',
	path: (id) => `/pages/${id}`,
});
