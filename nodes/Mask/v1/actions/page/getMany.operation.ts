import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { fetchList, returnAllOrLimit } from '../../helpers/lists';

export const description = updateDisplayOptions({ show: { resource: ['page'], operation: ['getMany'] } }, returnAllOrLimit);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await fetchList.call(this, itemIndex, '/pages');
}
