import { memberLocator } from '../../helpers/locators';
import { simpleOperation } from '../../helpers/operations';

export const { description, execute } = simpleOperation({
	resource: 'member',
	operation: 'delete',
	locator: memberLocator(),
	method: 'DELETE',
	path: (id) => `/members/${id}`,
});
