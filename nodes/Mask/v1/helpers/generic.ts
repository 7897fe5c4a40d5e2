import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskApiRequest } from '../../transport';
import type { MaskOperation } from '../actions/node.type';
import { fetchList, returnAllOrLimit } from './lists';

type Show = { resource: string; operation: string };
const shown = ({ resource, operation }: Show, properties: INodeProperties[]) =>
	updateDisplayOptions({ show: { resource: [resource], operation: [operation] } }, properties);

/** A Get Many: Return All / Limit over the cursor pagination, plus optional filters turned into the query. */
export function listOperation(
	spec: Show & { path: (context: IExecuteFunctions, itemIndex: number) => string; filters?: INodeProperties[]; query?: (filters: IDataObject, context: IExecuteFunctions) => IDataObject },
): MaskOperation {
	const filters: INodeProperties[] = spec.filters?.length
		? [{ displayName: 'Filters', name: 'filters', type: 'collection', placeholder: 'Add Filter', default: {}, options: spec.filters }]
		: [];
	return {
		description: shown(spec, [...returnAllOrLimit, ...filters]),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const values = spec.filters?.length ? (this.getNodeParameter('filters', itemIndex, {}) as IDataObject) : {};
			return await fetchList.call(this, itemIndex, spec.path(this, itemIndex), spec.query ? spec.query(values, this) : values);
		},
	};
}

/** One request whose path and body are built from the item's parameters. */
export function requestOperation(
	spec: Show & {
		properties: INodeProperties[];
		method: IHttpRequestMethods;
		path: (context: IExecuteFunctions, itemIndex: number) => string | Promise<string>;
		body?: (context: IExecuteFunctions, itemIndex: number) => IDataObject | Promise<IDataObject>;
		qs?: (context: IExecuteFunctions, itemIndex: number) => IDataObject;
		/** The response is a whole list in one `{ data: [...] }` (not paginated): one output item per entry. */
		listResponse?: boolean;
	},
): MaskOperation {
	return {
		description: shown(spec, spec.properties),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const path = await spec.path(this, itemIndex);
			const body = spec.body ? await spec.body(this, itemIndex) : undefined;
			const qs = spec.qs ? spec.qs(this, itemIndex) : undefined;
			const response = await maskApiRequest.call(this, spec.method, path, { body, qs, itemIndex });
			if (spec.listResponse) return (response as IDataObject).data as IDataObject[];
			// A 204 (delete) has no body: answer what was done so the item still says something.
			return response && typeof response === 'object' ? response : { success: true };
		},
	};
}

/** Keeps the non-empty entries of an n8n collection, renamed to the API's names. */
export function pickFields(values: IDataObject, names: Record<string, string>): IDataObject {
	const body: IDataObject = {};
	for (const [property, api] of Object.entries(names)) {
		if (values[property] === undefined) continue;
		body[api] = values[property] === '' ? null : values[property];
	}
	return body;
}
