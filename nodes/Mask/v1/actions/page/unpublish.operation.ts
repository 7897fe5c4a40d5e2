import { pageLocator } from '../../helpers/locators';
import { simpleOperation } from '../../helpers/operations';

export const { description, execute } = simpleOperation({
	resource: 'page',
	operation: 'unpublish',
	locator: pageLocator(),
	method: 'POST',
	path: (id) => `/pages/${id}/unpublish`,
});
