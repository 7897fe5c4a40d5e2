import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { maskApiRequestAllItems } from '../../transport';

/** Links as a dropdown, for pickers inside fixed collections (where resource locators are not offered). */
export async function getLinks(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const links = await maskApiRequestAllItems.call(this, '/links', {}, 500);
	return links.map((link) => ({ name: link.title ? `${link.title} (${link.short_url})` : String(link.short_url), value: String(link.id) }));
}
