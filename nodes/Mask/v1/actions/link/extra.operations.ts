import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { maskRequest } from '../../../transport';
import { binaryPropertyName, binaryResult } from '../../helpers/binary';
import { propertiesOf, toApiBody, toList } from '../../helpers/fields';
import { requestOperation } from '../../helpers/generic';
import type { BinaryResult } from '../../helpers/items';
import { folderLocator } from '../../helpers/locators';
import { createFields, destinationUrl, linksFileFormat, updateFields } from './fields';

const show = (operation: string) => ({ resource: 'link', operation });

const linkIds: INodeProperties = {
	displayName: 'Link IDs',
	name: 'linkIds',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. lnk_01jd8x3k2m4n5p6q7r8s9t0v1w, lnk_01jd8x3k2m4n5p6q7r8s9t0v1x',
	description: '1–100 link IDs, comma-separated or as an array expression',
};

function idsOf(context: IExecuteFunctions, itemIndex: number): string[] {
	const ids = toList(context.getNodeParameter('linkIds', itemIndex));
	if (ids.length === 0) throw new NodeOperationError(context.getNode(), 'Give at least one link ID', { itemIndex });
	return ids;
}

export const upsert = requestOperation({
	...show('upsert'),
	properties: [
		{
			displayName: 'Finds the link by External ID (or by domain and slug) and updates it, or creates it when there is none',
			name: 'upsertNotice',
			type: 'notice',
			default: '',
		},
		destinationUrl,
		{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: propertiesOf(createFields) },
	],
	method: 'PUT',
	path: () => '/links/upsert',
	body: (context, itemIndex) => ({
		url: context.getNodeParameter('url', itemIndex) as string,
		...toApiBody(context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject, createFields, context.getTimezone()),
	}),
});

export const updateMany = requestOperation({
	...show('updateMany'),
	properties: [
		linkIds,
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			description: 'The same change for every link. An empty value clears the field.',
			options: propertiesOf(updateFields),
		},
	],
	method: 'PATCH',
	path: () => '/links/bulk',
	body: (context, itemIndex) => {
		const patch = toApiBody(context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject, updateFields, context.getTimezone());
		if (Object.keys(patch).length === 0) throw new NodeOperationError(context.getNode(), 'Add at least one field to update', { itemIndex });
		return { ids: idsOf(context, itemIndex), patch };
	},
});

export const deleteMany = requestOperation({
	...show('deleteMany'),
	properties: [linkIds],
	method: 'DELETE',
	path: () => '/links/bulk',
	body: (context, itemIndex) => ({ ids: idsOf(context, itemIndex) }),
});

export const moveToFolder = requestOperation({
	...show('moveToFolder'),
	properties: [linkIds, folderLocator({ required: false, description: 'The folder to move the links into; empty takes them out of any folder' })],
	method: 'POST',
	path: () => '/folders/move-links',
	body: (context, itemIndex) => {
		const folder = context.getNodeParameter('folder', itemIndex, '', { extractValue: true }) as string;
		return { link_ids: idsOf(context, itemIndex), folder_id: String(folder ?? '').trim() || null };
	},
});

export const exportLinks = {
	description: updateDisplayOptions({ show: { resource: ['link'], operation: ['export'] } }, [linksFileFormat, binaryPropertyName]),
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<BinaryResult> {
		const format = this.getNodeParameter('format', itemIndex) as string;
		const response = await maskRequest.call(this, { method: 'GET', path: '/links/export', qs: { format }, binary: true, itemIndex });
		return await binaryResult.call(this, itemIndex, response, `links.${format}`, { format });
	},
};

