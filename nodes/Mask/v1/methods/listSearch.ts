import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { maskApiRequest, type MaskPage } from '../../transport';
import { locatorValue } from '../helpers/locators';

const PAGE_SIZE = 50;

/**
 * One page of a MASK list as resource-locator choices; the API cursor is the pagination token.
 * Lists without a server-side `search` filter are filtered here, on the page fetched.
 */
async function searchList(
	this: ILoadOptionsFunctions,
	path: string,
	toItem: (row: IDataObject) => INodeListSearchItems,
	filter: string | undefined,
	paginationToken: string | undefined,
	serverSearch: boolean,
): Promise<INodeListSearchResult> {
	const qs: IDataObject = { limit: PAGE_SIZE, cursor: paginationToken };
	if (serverSearch && filter) qs.search = filter;
	const page = (await maskApiRequest.call(this, 'GET', path, { qs })) as unknown as MaskPage;
	let results = page.data.map(toItem);
	if (!serverSearch && filter) {
		const needle = filter.toLowerCase();
		results = results.filter((item) => `${item.name} ${item.value}`.toLowerCase().includes(needle));
	}
	return { results, paginationToken: page.pagination.has_more ? (page.pagination.cursor ?? undefined) : undefined };
}

export async function searchLinks(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchList.call(
		this,
		'/links',
		(link) => ({
			name: link.title ? `${link.title} (${link.short_url})` : `${link.short_url} → ${link.url}`,
			value: String(link.id),
			url: String(link.short_url),
		}),
		filter,
		paginationToken,
		true,
	);
}

export async function searchPages(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchList.call(
		this,
		'/pages',
		(page) => ({ name: page.title ? `${page.title} (${page.handle})` : String(page.handle), value: String(page.id), url: page.public_url as string | undefined }),
		filter,
		paginationToken,
		false,
	);
}

export async function searchWebhooks(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchList.call(
		this,
		'/webhooks',
		(endpoint) => ({ name: endpoint.description ? `${endpoint.description} (${endpoint.url})` : String(endpoint.url), value: String(endpoint.id) }),
		filter,
		paginationToken,
		false,
	);
}

export async function searchDomains(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchList.call(this, '/domains', (domain) => ({ name: String(domain.hostname), value: String(domain.id) }), filter, paginationToken, false);
}

export async function searchMembers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchList.call(
		this,
		'/members',
		(member) => ({ name: `${member.name} <${member.email}>`, value: String(member.id) }),
		filter,
		paginationToken,
		false,
	);
}

export async function searchCampaigns(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchList.call(this, '/campaigns', (campaign) => ({ name: String(campaign.name), value: String(campaign.id) }), filter, paginationToken, false);
}

export async function searchFolders(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchList.call(this, '/folders', (folder) => ({ name: String(folder.name), value: String(folder.id) }), filter, paginationToken, false);
}

export async function searchImports(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchList.call(
		this,
		'/imports',
		(job) => ({ name: `${job.source} import of ${job.created_at} (${job.status})`, value: String(job.id) }),
		filter,
		paginationToken,
		false,
	);
}

const describeCondition = (condition: IDataObject): string =>
	Array.isArray(condition.values) ? `${condition.type} ${condition.values.join('/')}` : String(condition.type);

/** The rules of the link chosen in the same operation (by id or from the list; a short URL must be resolved first). */
export async function searchRules(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const chosen = this.getCurrentNodeParameter('link', { extractValue: true }) as unknown;
	const link = locatorValue(chosen) ?? '';
	if (!/^lnk_/.test(link)) return { results: [] };
	const page = (await maskApiRequest.call(this, 'GET', `/links/${encodeURIComponent(link)}/rules`)) as unknown as MaskPage;
	const results = page.data.map((rule, position) => ({
		name: `${position + 1}. ${((rule.conditions as IDataObject[]) ?? []).map(describeCondition).join(' and ')} → ${rule.url ?? 'split'}`,
		value: String(rule.id),
	}));
	const needle = filter?.toLowerCase();
	return { results: needle ? results.filter((rule) => rule.name.toLowerCase().includes(needle)) : results };
}

export async function searchUtmTemplates(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchList.call(this, '/utm-templates', (template) => ({ name: String(template.name), value: String(template.id) }), filter, paginationToken, false);
}

export async function searchPixels(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchList.call(this, '/pixels', (pixel) => ({ name: `${pixel.name} (${pixel.provider})`, value: String(pixel.id) }), filter, paginationToken, false);
}

export async function searchApiKeys(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchList.call(this, '/keys', (key) => ({ name: `${key.name} (${key.prefix ?? key.id})`, value: String(key.id) }), filter, paginationToken, false);
}
