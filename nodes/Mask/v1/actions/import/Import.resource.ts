import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../../transport';
import { listOperation, requestOperation } from '../../helpers/generic';
import { importLocator, locatorId } from '../../helpers/locators';
import { resourceDescription } from '../../helpers/operations';
import type { MaskResource } from '../node.type';

const start = {
	description: updateDisplayOptions({ show: { resource: ['import'], operation: ['start'] } }, [
		{
			displayName: 'Source',
			name: 'source',
			type: 'options',
			options: [
				{ name: 'Bitly', value: 'bitly' },
				{ name: 'CSV (Generic)', value: 'csv' },
				{ name: 'Kutt', value: 'kutt' },
				{ name: 'Rebrandly', value: 'rebrandly' },
				{ name: 'Shlink', value: 'shlink' },
				{ name: 'YOURLS', value: 'yourls' },
			],
			default: 'csv',
			description: 'The shortener whose export the file is',
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field holding the export file',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{ displayName: 'Delimiter', name: 'delimiter', type: 'string', default: '', placeholder: 'e.g. ;', description: 'CSV delimiter; guessed from the header when empty' },
				{ displayName: 'Domain', name: 'domain', type: 'string', default: '', placeholder: 'e.g. go.example.com', description: 'Put every link on this domain of the workspace' },
				{ displayName: 'Field Mapping (JSON)', name: 'mapping', type: 'json', default: '{}', description: 'Generic CSV: a JSON object from link field to CSV column' },
				{
					displayName: 'On Slug Conflict',
					name: 'onConflict',
					type: 'options',
					options: [
						{ name: 'Report an Error for the Row', value: 'error' },
						{ name: 'Use the Next Free Slug (Slug-2, Slug-3…)', value: 'suffix' },
					],
					default: 'error',
				},
			],
		},
	]),
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
		const field = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
		const file = this.helpers.assertBinaryData(itemIndex, field);
		const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, field);
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const mapping = typeof options.mapping === 'string' ? options.mapping.trim() : options.mapping ? JSON.stringify(options.mapping) : '';
		const qs = {
			source: this.getNodeParameter('source', itemIndex),
			on_conflict: options.onConflict,
			domain: options.domain,
			delimiter: options.delimiter,
			mapping: mapping && mapping !== '{}' ? mapping : undefined,
		};
		const contentType = file.mimeType === 'text/csv' || file.mimeType === 'application/json' ? file.mimeType : 'application/octet-stream';
		return await maskApiRequest.call(this, 'POST', '/imports', { qs, upload: { bytes, contentType }, itemIndex });
	},
};

const operations = {
	get: requestOperation({
		resource: 'import',
		operation: 'get',
		properties: [importLocator()],
		method: 'GET',
		path: (context, itemIndex) => `/imports/${locatorId.call(context, 'import', itemIndex)}`,
	}),
	getMany: listOperation({ resource: 'import', operation: 'getMany', path: () => '/imports' }),
	start,
};

export const importResource: MaskResource = {
	operations,
	description: resourceDescription(
		'import',
		'start',
		[
			{ name: 'Get', value: 'get', description: 'Get an import’s status, progress, report and per-row errors', action: 'Get an import' },
			{ name: 'Get Many', value: 'getMany', description: 'List the workspace’s imports, newest first', action: 'Get many imports' },
			{
				name: 'Start',
				value: 'start',
				description: 'Start importing links from another shortener’s export file (binary input); returns the queued import to poll with Get',
				action: 'Start an import',
			},
		],
		operations,
	),
};
