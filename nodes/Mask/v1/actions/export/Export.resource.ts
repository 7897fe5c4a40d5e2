import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskRequest } from '../../../transport';
import { binaryPropertyName, binaryResult } from '../../helpers/binary';
import { requestOperation } from '../../helpers/generic';
import type { BinaryResult } from '../../helpers/items';
import { resourceDescription } from '../../helpers/operations';
import { linksFileFormat } from '../link/fields';
import type { MaskResource } from '../node.type';

const exportId: INodeProperties = {
	displayName: 'Export ID',
	name: 'exportId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. exp_01jd8x3k2m4n5p6q7r8s9t0v1w',
	description: 'The ID Start returned',
};
const idOf = (context: IExecuteFunctions, itemIndex: number) => encodeURIComponent(String(context.getNodeParameter('exportId', itemIndex)).trim());

const operations = {
	start: requestOperation({
		resource: 'export',
		operation: 'start',
		properties: [linksFileFormat],
		method: 'POST',
		path: () => '/exports',
		body: (context, itemIndex) => ({ format: context.getNodeParameter('format', itemIndex) }),
	}),
	get: requestOperation({ resource: 'export', operation: 'get', properties: [exportId], method: 'GET', path: (context, itemIndex) => `/exports/${idOf(context, itemIndex)}` }),
	download: {
		description: updateDisplayOptions({ show: { resource: ['export'], operation: ['download'] } }, [exportId, binaryPropertyName]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<BinaryResult> {
			const id = idOf(this, itemIndex);
			const response = await maskRequest.call(this, { method: 'GET', path: `/exports/${id}/file`, binary: true, itemIndex });
			const type = String(response.headers['content-type'] ?? '');
			return await binaryResult.call(this, itemIndex, response, `links-${id}.${type.includes('json') ? 'json' : 'csv'}`, { export_id: id });
		},
	},
};

export const exportResource: MaskResource = {
	operations,
	description: resourceDescription(
		'export',
		'start',
		[
			{ name: 'Download', value: 'download', description: 'Download a finished export job’s file (binary)', action: 'Download an export' },
			{ name: 'Get', value: 'get', description: 'Get an export job’s status and row count; Download works once it is completed', action: 'Get an export' },
			{ name: 'Start', value: 'start', description: 'Start a background export of every link as CSV or JSON; returns the job to poll with Get', action: 'Start an export' },
		],
		operations,
	),
};
