import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, jsonParse } from 'n8n-workflow';
import { requestOperation } from '../../helpers/generic';
import { domainLocator, locatorId } from '../../helpers/locators';

const path = (context: IExecuteFunctions, itemIndex: number) => `/domains/${locatorId.call(context, 'domain', itemIndex)}/deep-links`;

const files: INodeProperties = {
	displayName: 'Files',
	name: 'files',
	type: 'collection',
	placeholder: 'Add File',
	default: {},
	description: 'Only the files added here change; an empty value stops serving that file',
	options: [
		{
			displayName: 'Apple App Site Association (JSON)',
			name: 'appleAppSiteAssociation',
			type: 'json',
			default: '{}',
			description: 'Served as /.well-known/apple-app-site-association: a JSON object',
		},
		{ displayName: 'Asset Links (JSON)', name: 'assetlinks', type: 'json', default: '[]', description: 'The Android Digital Asset Links file under /.well-known/: a JSON array' },
	],
};

function parsed(context: IExecuteFunctions, itemIndex: number, value: unknown, shape: 'object' | 'array'): unknown {
	const text = typeof value === 'string' ? value.trim() : JSON.stringify(value);
	if (text === '') return null;
	const data = jsonParse<unknown>(text, { errorMessage: `Not valid JSON: ${text.slice(0, 40)}` });
	if (shape === 'array' ? !Array.isArray(data) : typeof data !== 'object' || data === null || Array.isArray(data)) {
		throw new NodeOperationError(context.getNode(), `The file must be a JSON ${shape}`, { itemIndex });
	}
	return data;
}

export const getDeepLinks = requestOperation({ resource: 'domain', operation: 'getDeepLinks', properties: [domainLocator()], method: 'GET', path });

export const setDeepLinks = requestOperation({
	resource: 'domain',
	operation: 'setDeepLinks',
	properties: [domainLocator(), files],
	method: 'PATCH',
	path,
	body: (context, itemIndex) => {
		const values = context.getNodeParameter('files', itemIndex, {}) as IDataObject;
		const body: IDataObject = {};
		if (values.appleAppSiteAssociation !== undefined) body.apple_app_site_association = parsed(context, itemIndex, values.appleAppSiteAssociation, 'object') as IDataObject;
		if (values.assetlinks !== undefined) body.assetlinks = parsed(context, itemIndex, values.assetlinks, 'array') as IDataObject[];
		if (Object.keys(body).length === 0) throw new NodeOperationError(context.getNode(), 'Add at least one file', { itemIndex });
		return body;
	},
});
