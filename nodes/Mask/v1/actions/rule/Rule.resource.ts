import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { toApiBody, toList } from '../../helpers/fields';
import { requestOperation } from '../../helpers/generic';
import { linkIdFromLocator, linkLocator, locatorId, ruleLocator } from '../../helpers/locators';
import { resourceDescription } from '../../helpers/operations';
import { variantsField } from '../link/fields';
import type { MaskResource } from '../node.type';
import { conditionsOf, conditionsProperty, destination } from './fields';

const show = (operation: string) => ({ resource: 'rule', operation });
const rulesPath = async (context: IExecuteFunctions, itemIndex: number) => `/links/${await linkIdFromLocator.call(context, itemIndex)}/rules`;
const rulePath = async (context: IExecuteFunctions, itemIndex: number) =>
	`${await rulesPath(context, itemIndex)}/${locatorId.call(context, 'rule', itemIndex)}`;

const position: INodeProperties = {
	displayName: 'Position',
	name: 'position',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	description: 'Where the rule goes in evaluation order (0: first); past the end: last',
};

/** The rule body from the item: conditions and a URL or a split; on update only what was given. */
function ruleBody(context: IExecuteFunctions, itemIndex: number, collection?: string): IDataObject {
	const values = collection
		? (context.getNodeParameter(collection, itemIndex, {}) as IDataObject)
		: {
				conditions: context.getNodeParameter('conditions', itemIndex, {}),
				url: context.getNodeParameter('url', itemIndex, ''),
				...(context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
			};
	const body: IDataObject = {};
	if (values.conditions !== undefined) body.conditions = conditionsOf(values.conditions as IDataObject);
	if (values.url) body.url = values.url;
	if (values.variants !== undefined) Object.assign(body, toApiBody({ variants: values.variants }, [variantsField], context.getTimezone()));
	if (values.position !== undefined) body.position = values.position;
	if (collection && Object.keys(body).length === 0) throw new NodeOperationError(context.getNode(), 'Add at least one field to update', { itemIndex });
	return body;
}

const operations = {
	create: requestOperation({
		...show('create'),
		properties: [
			linkLocator(),
			conditionsProperty,
			destination,
			{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: [position, variantsField.property] },
		],
		method: 'POST',
		path: rulesPath,
		body: (context, itemIndex) => ruleBody(context, itemIndex),
	}),
	delete: requestOperation({ ...show('delete'), properties: [linkLocator(), ruleLocator()], method: 'DELETE', path: rulePath }),
	get: requestOperation({ ...show('get'), properties: [linkLocator(), ruleLocator()], method: 'GET', path: rulePath }),
	// A rule list is one response (at most 50 rules): one output item per rule.
	getMany: requestOperation({ ...show('getMany'), properties: [linkLocator()], method: 'GET', path: rulesPath, listResponse: true }),
	reorder: requestOperation({
		...show('reorder'),
		properties: [
			linkLocator(),
			{
				displayName: 'Rule IDs',
				name: 'ruleIds',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. rule_01…, rule_02…',
				description: 'Every rule of the link exactly once, comma-separated, in the new order',
			},
		],
		method: 'POST',
		path: async (context, itemIndex) => `${await rulesPath(context, itemIndex)}/reorder`,
		body: (context, itemIndex) => ({ rule_ids: toList(context.getNodeParameter('ruleIds', itemIndex)) }),
	}),
	update: requestOperation({
		...show('update'),
		properties: [
			linkLocator(),
			ruleLocator(),
			{
				displayName: 'Update Fields',
				name: 'updateFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: [conditionsProperty, destination, variantsField.property],
			},
		],
		method: 'PATCH',
		path: rulePath,
		body: (context, itemIndex) => ruleBody(context, itemIndex, 'updateFields'),
	}),
};

export const rule: MaskResource = {
	operations,
	description: resourceDescription(
		'rule',
		'getMany',
		[
			{ name: 'Create', value: 'create', description: 'Add a smart-routing rule to a link: when all conditions hold, the visitor goes to its URL or split; returns the rule', action: 'Create a routing rule' },
			{ name: 'Delete', value: 'delete', description: 'Remove a routing rule from a link', action: 'Delete a routing rule' },
			{ name: 'Get', value: 'get', description: 'Get one routing rule of a link with its conditions and destination', action: 'Get a routing rule' },
			{ name: 'Get Many', value: 'getMany', description: 'List a link’s routing rules in evaluation order, one item per rule', action: 'Get many routing rules' },
			{ name: 'Reorder', value: 'reorder', description: 'Set the evaluation order of all rules of a link; returns the rules', action: 'Reorder routing rules' },
			{ name: 'Update', value: 'update', description: 'Change a rule’s conditions, URL or split; returns the rule', action: 'Update a routing rule' },
		],
		operations,
	),
};
