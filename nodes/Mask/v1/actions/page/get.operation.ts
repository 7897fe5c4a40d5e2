import { pageLocator } from '../../helpers/locators';
import { simpleOperation } from '../../helpers/operations';

export const { description, execute } = simpleOperation({
	resource: 'page',
	operation: 'get',
	locator: pageLocator(),
	method: 'GET',
	path: (id) => `/pages/${id}`,
});
