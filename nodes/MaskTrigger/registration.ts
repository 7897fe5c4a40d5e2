import type { IDataObject, IHookFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { normalizeEvents } from '../Mask/shared/events';
import { maskApiRequest, maskApiRequestAllItems } from '../Mask/transport';

/** What the trigger keeps in the workflow's static data between activation and deactivation. */
export interface Registration extends IDataObject {
	webhookId?: string;
	webhookSecret?: string;
}

export const registrationOf = (context: { getWorkflowStaticData(type: string): IDataObject }) =>
	context.getWorkflowStaticData('node') as Registration;

export const isNotFound = (error: unknown) => (error as NodeApiError).httpCode === '404';

export function wantedEvents(this: IHookFunctions): string[] {
	return normalizeEvents(this.getNodeParameter('events') as string[]);
}

const sameEvents = (a: unknown, b: string[]) =>
	Array.isArray(a) && a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');

/** The endpoint registered for this node, if it still exists and still matches the node's URL and events. */
export async function registeredEndpoint(this: IHookFunctions, webhookUrl: string): Promise<IDataObject | null> {
	const { webhookId, webhookSecret } = registrationOf(this);
	if (!webhookId || !webhookSecret) return null;
	try {
		const endpoint = await maskApiRequest.call(this, 'GET', `/webhooks/${encodeURIComponent(webhookId)}`);
		const current = endpoint.url === webhookUrl && endpoint.enabled !== false && sameEvents(endpoint.events, wantedEvents.call(this));
		return current ? endpoint : null;
	} catch (error) {
		if (isNotFound(error)) return null;
		throw new NodeApiError(this.getNode(), error as JsonObject);
	}
}

/**
 * Removes endpoints that point at this node's URL but are not the current registration (left by a lost
 * static data or an events change): without their secret no delivery to them could be verified.
 */
export async function removeStaleEndpoints(this: IHookFunctions, webhookUrl: string, keepId?: string): Promise<void> {
	const endpoints = await maskApiRequestAllItems.call(this, '/webhooks');
	for (const endpoint of endpoints) {
		if (endpoint.url !== webhookUrl || endpoint.id === keepId) continue;
		try {
			await maskApiRequest.call(this, 'DELETE', `/webhooks/${encodeURIComponent(String(endpoint.id))}`);
		} catch (error) {
			if (!isNotFound(error)) throw new NodeApiError(this.getNode(), error as JsonObject);
		}
	}
}
