import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { listOperation } from '../../helpers/generic';
import type { BinaryResult } from '../../helpers/items';
import { locatorId, pageLocator } from '../../helpers/locators';
import { downloadQr, qrProperties } from '../qrCode/get.operation';

export const getMany = listOperation({
	resource: 'page',
	operation: 'getMany',
	path: () => '/pages',
	filters: [
		{ displayName: 'Domain', name: 'domain', type: 'string', default: '', placeholder: 'e.g. go.example.com', description: 'Only pages on this domain' },
		{
			displayName: 'Published',
			name: 'published',
			type: 'options',
			options: [
				{ name: 'Published Only', value: 'true' },
				{ name: 'Unpublished Only', value: 'false' },
			],
			default: 'true',
			description: 'Whether to list only published or only unpublished pages',
		},
	],
});

export const getQrCode = {
	description: updateDisplayOptions({ show: { resource: ['page'], operation: ['getQrCode'] } }, [pageLocator(), ...qrProperties]),
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<BinaryResult> {
		const pageId = locatorId.call(this, 'page', itemIndex);
		return await downloadQr.call(this, itemIndex, `/pages/${pageId}/qr`, { page_id: pageId } as IDataObject, pageId);
	},
};
