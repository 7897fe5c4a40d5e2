import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskRequest } from '../../../transport';
import { binaryPropertyName, binaryResult } from '../../helpers/binary';
import type { BinaryResult } from '../../helpers/items';
import { linkIdFromLocator, linkLocator } from '../../helpers/locators';

/** Format, output field and drawing options of a QR code, shared by links and bio pages. */
export const qrProperties: INodeProperties[] = [
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		options: [
			{ name: 'PNG', value: 'png' },
			{ name: 'SVG', value: 'svg' },
		],
		default: 'png',
	},
	binaryPropertyName,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Background Color', name: 'background', type: 'color', default: '#ffffff' },
			{
				displayName: 'Error Correction',
				name: 'errorCorrection',
				type: 'options',
				options: [
					{ name: 'High (30%)', value: 'H' },
					{ name: 'Low (7%)', value: 'L' },
					{ name: 'Medium (15%)', value: 'M' },
					{ name: 'Quartile (25%)', value: 'Q' },
				],
				default: 'M',
				description: 'How much of the code may be damaged and still scan',
			},
			{ displayName: 'Foreground Color', name: 'foreground', type: 'color', default: '#000000' },
			{ displayName: 'Margin', name: 'margin', type: 'number', typeOptions: { minValue: 0 }, default: 4, description: 'Quiet zone around the code, in modules' },
			{ displayName: 'Size', name: 'size', type: 'number', typeOptions: { minValue: 1 }, default: 512, description: 'Width and height in pixels' },
		],
	},
];

const properties: INodeProperties[] = [linkLocator(), ...qrProperties];

export const description = updateDisplayOptions({ show: { resource: ['qrCode'], operation: ['get'] } }, properties);

/** Downloads the QR code at `path` (…/qr) as binary data. */
export async function downloadQr(this: IExecuteFunctions, itemIndex: number, path: string, subject: IDataObject, fileStem: string): Promise<BinaryResult> {
	const format = this.getNodeParameter('format', itemIndex) as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs = {
		format,
		size: options.size,
		margin: options.margin,
		error_correction: options.errorCorrection,
		foreground: options.foreground,
		background: options.background,
	};
	const response = await maskRequest.call(this, { method: 'GET', path, qs, binary: true, itemIndex });
	return await binaryResult.call(this, itemIndex, response, `qr-${fileStem}.${format}`, { ...subject, format });
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<BinaryResult> {
	const linkId = await linkIdFromLocator.call(this, itemIndex);
	return await downloadQr.call(this, itemIndex, `/links/${linkId}/qr`, { link_id: linkId }, linkId);
}
