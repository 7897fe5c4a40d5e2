import { pageLocator } from '../../helpers/locators';
import { simpleOperation } from '../../helpers/operations';

export const { description, execute } = simpleOperation({
	resource: 'page',
	operation: 'publish',
	locator: pageLocator(),
	method: 'POST',
	path: (id) => `/pages/${id}/publish`,
});
