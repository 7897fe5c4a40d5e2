import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';
import * as get from './get.operation';

const operations = { get };

export const qrCode: MaskResource = {
	operations,
	description: resourceDescription(
		'qrCode',
		'get',
		[{ name: 'Get', value: 'get', description: 'Get the QR code of a link as a PNG or SVG file', action: 'Get a QR code' }],
		operations,
	),
};
