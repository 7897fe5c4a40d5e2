import { linkLocator } from '../../helpers/locators';
import { simpleOperation } from '../../helpers/operations';

export const { description, execute } = simpleOperation({
	resource: 'link',
	operation: 'get',
	locator: linkLocator(),
	method: 'GET',
	path: (id) => `/links/${id}`,
});
