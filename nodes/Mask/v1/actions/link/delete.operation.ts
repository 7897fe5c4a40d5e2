import { linkLocator } from '../../helpers/locators';
import { simpleOperation } from '../../helpers/operations';

export const { description, execute } = simpleOperation({
	resource: 'link',
	operation: 'delete',
	locator: linkLocator(),
	method: 'DELETE',
	path: (id) => `/links/${id}`,
});
