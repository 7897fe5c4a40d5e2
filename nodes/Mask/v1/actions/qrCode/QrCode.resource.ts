import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';
import * as get from './get.operation';

const operations = { get };

export const qrCode: MaskResource = {
	operations,
	description: resourceDescription(
		'qrCode',
		'get',
		[{ name: 'Get', value: 'get', description: 'Download the QR code of a short link as a PNG or SVG file (binary)', action: 'Get a QR code' }],
		operations,
	),
};
