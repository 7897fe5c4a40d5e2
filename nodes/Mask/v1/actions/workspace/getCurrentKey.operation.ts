import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';

export const description = updateDisplayOptions({ show: { resource: ['workspace'], operation: ['getCurrentKey'] } }, []);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await maskApiRequest.call(this, 'GET', '/me', { itemIndex });
}
