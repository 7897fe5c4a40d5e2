import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { toInstant } from './dates';
import { locatorValue } from './locators';

/** How an n8n field value becomes the API's value. */
export type Conversion = 'text' | 'list' | 'instant' | 'count' | 'locator' | 'variants' | 'preview';

/** One API field: its n8n property (camelCase name) and the API name it is sent as. */
export interface FieldSpec {
	property: INodeProperties;
	api: string;
	conversion?: Conversion;
}

/** "a, b" or ["a", "b"] → ["a", "b"]; "" → [] (clears the list). */
export function toList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((entry) => String(entry).trim()).filter(Boolean);
	return String(value ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
}

function convert(value: unknown, conversion: Conversion, timeZone: string): unknown {
	switch (conversion) {
		case 'list':
			return toList(value);
		case 'instant':
			return value === '' || value === null ? null : toInstant(value, timeZone);
		case 'locator':
			return locatorValue(value);
		case 'variants': {
			const rows = ((value as IDataObject)?.variant ?? []) as IDataObject[];
			return rows.length > 0 ? rows.map((row) => ({ url: row.url, weight: Number(row.weight) })) : null;
		}
		case 'preview': {
			const preview = ((value as IDataObject)?.values ?? {}) as IDataObject;
			const body = { title: preview.title || null, description: preview.description || null, image_url: preview.imageUrl || null };
			return Object.values(body).some((entry) => entry !== null) ? body : null;
		}
		case 'count':
			return value === 0 || value === '' || value === null ? null : Number(value);
		default:
			return value;
	}
}

/** Maps the values of a collection (keyed by n8n names) to an API body (keyed by API names). */
export function toApiBody(values: IDataObject, specs: FieldSpec[], timeZone: string): IDataObject {
	const body: IDataObject = {};
	for (const spec of specs) {
		const value = values[spec.property.name];
		if (value === undefined) continue;
		body[spec.api] = convert(value, spec.conversion ?? 'text', timeZone) as IDataObject[string];
	}
	return body;
}

/** The n8n properties of `specs`, sorted by display name as n8n's collections expect. */
export const propertiesOf = (specs: FieldSpec[]): INodeProperties[] =>
	specs.map((spec) => spec.property).sort((a, b) => a.displayName.localeCompare(b.displayName));
