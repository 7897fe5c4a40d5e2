import type { IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { maskApiRequestAllItems } from '../../transport';

interface LocatorSpec {
	name: string;
	displayName: string;
	/** The listSearch method that fills the "From List" mode. */
	searchListMethod: string;
	/** Id prefix, e.g. `lnk`; ids are only checked for a prefix when there is one. */
	idPrefix?: string;
	required?: boolean;
	description?: string;
	/** Offer the "By Short URL" mode (links only). */
	byShortUrl?: boolean;
}

/**
 * A resource locator that picks a MASK object from a searchable list or by its id; links can also be
 * given by their short URL. (The modes are written out in place: n8n's lint reads them there.)
 */
export function resourceLocator(spec: LocatorSpec): INodeProperties {
	const idPattern = spec.idPrefix ? `^\\s*${spec.idPrefix}_[0-9a-zA-Z]+\\s*$` : '^\\s*\\S+\\s*$';
	const locator: INodeProperties = {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: spec.required ?? true,
		...(spec.description ? { description: spec.description } : {}),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${spec.displayName.toLowerCase()}...`,
				typeOptions: { searchListMethod: spec.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: spec.idPrefix ? `e.g. ${spec.idPrefix}_01jd8x3k2m4n5p6q7r8s9t0v1w` : 'e.g. the ID from a previous node',
				validation: [{ type: 'regex', properties: { regex: idPattern, errorMessage: `Not a valid ${spec.displayName} ID` } }],
			},
			{
				displayName: 'By Short URL',
				name: 'url',
				type: 'string',
				placeholder: 'e.g. https://go.example.com/spring-sale',
				validation: [{ type: 'regex', properties: { regex: '^\\s*https?://[^/\\s]+/\\S+$', errorMessage: 'Not a short URL such as https://go.example.com/spring-sale' } }],
			},
		],
	};
	if (!spec.byShortUrl) locator.modes = locator.modes!.filter((mode) => mode.name !== 'url');
	return locator;
}

/** The link locator also accepts a short URL, resolved through the API. */
export const linkLocator = (overrides: Partial<LocatorSpec> = {}): INodeProperties =>
	resourceLocator({ name: 'link', displayName: 'Link', searchListMethod: 'searchLinks', idPrefix: 'lnk', byShortUrl: true, ...overrides });

export const pageLocator = () => resourceLocator({ name: 'page', displayName: 'Bio Page', searchListMethod: 'searchPages', idPrefix: 'pg' });
export const webhookLocator = () =>
	resourceLocator({ name: 'webhook', displayName: 'Webhook Endpoint', searchListMethod: 'searchWebhooks', idPrefix: 'wh' });
export const domainLocator = () => resourceLocator({ name: 'domain', displayName: 'Domain', searchListMethod: 'searchDomains', idPrefix: 'dom' });
export const memberLocator = () => resourceLocator({ name: 'member', displayName: 'Member', searchListMethod: 'searchMembers', idPrefix: 'mem' });
export const campaignLocator = (overrides: Partial<LocatorSpec> = {}) =>
	resourceLocator({ name: 'campaign', displayName: 'Campaign', searchListMethod: 'searchCampaigns', idPrefix: 'camp', ...overrides });
export const folderLocator = (overrides: Partial<LocatorSpec> = {}) =>
	resourceLocator({ name: 'folder', displayName: 'Folder', searchListMethod: 'searchFolders', idPrefix: 'fld', ...overrides });
/** A rule of the link chosen in the "link" locator of the same operation. */
export const ruleLocator = () => resourceLocator({ name: 'rule', displayName: 'Rule', searchListMethod: 'searchRules', idPrefix: 'rule' });
export const utmTemplateLocator = (overrides: Partial<LocatorSpec> = {}) =>
	resourceLocator({ name: 'utmTemplate', displayName: 'UTM Template', searchListMethod: 'searchUtmTemplates', idPrefix: 'utm', ...overrides });
export const pixelLocator = () => resourceLocator({ name: 'pixel', displayName: 'Pixel', searchListMethod: 'searchPixels', idPrefix: 'px' });
export const apiKeyLocator = () => resourceLocator({ name: 'apiKey', displayName: 'API Key', searchListMethod: 'searchApiKeys', idPrefix: 'key' });
export const importLocator = () => resourceLocator({ name: 'import', displayName: 'Import', searchListMethod: 'searchImports', idPrefix: 'imp' });

/** The id in a locator's value (`{ mode, value }` or a plain id, e.g. inside a collection), trimmed; null when empty. */
export function locatorValue(value: unknown): string | null {
	const id = typeof value === 'object' && value !== null ? (value as INodeParameterResourceLocator).value : value;
	return typeof id === 'string' && id.trim() ? id.trim() : null;
}

function locatorOf(this: IExecuteFunctions, name: string, itemIndex: number): INodeParameterResourceLocator {
	const value = this.getNodeParameter(name, itemIndex) as INodeParameterResourceLocator | string;
	return typeof value === 'object' && value !== null ? value : { __rl: true, mode: 'id', value };
}

/** The id chosen in a list/id locator. */
export function locatorId(this: IExecuteFunctions, name: string, itemIndex: number): string {
	const id = String(locatorOf.call(this, name, itemIndex).value ?? '').trim();
	if (!id) throw new NodeOperationError(this.getNode(), `Choose a value for "${name}"`, { itemIndex });
	return encodeURIComponent(id);
}

interface LinkRow {
	id: string;
	short_url: string;
	slug: string;
	domain: string;
}

const normalizeShortUrl = (url: URL) => `${url.host.toLowerCase()}${decodeURIComponent(url.pathname).replace(/\/+$/, '')}`;

/** A link id from the link locator: chosen in the list, typed as an id, or found by its short URL. */
export async function linkIdFromLocator(this: IExecuteFunctions, itemIndex: number, name = 'link'): Promise<string> {
	const locator = locatorOf.call(this, name, itemIndex);
	if (locator.mode !== 'url') return locatorId.call(this, name, itemIndex);
	const text = String(locator.value ?? '').trim();
	let shortUrl: URL;
	try {
		shortUrl = new URL(text);
	} catch {
		throw new NodeOperationError(this.getNode(), `"${text}" is not a short URL`, { itemIndex });
	}
	const slug = decodeURIComponent(shortUrl.pathname.replace(/^\/+|\/+$/g, ''));
	const wanted = normalizeShortUrl(shortUrl);
	const query = { search: slug, domain: shortUrl.host.toLowerCase() };
	const candidates = (await maskApiRequestAllItems.call(this, '/links', query, 1000, itemIndex)) as unknown as LinkRow[];
	const match = candidates.find((link) => normalizeShortUrl(new URL(link.short_url)) === wanted);
	if (!match) throw new NodeOperationError(this.getNode(), `No link has the short URL ${text}`, { itemIndex });
	return match.id;
}
