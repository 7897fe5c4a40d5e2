import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { WEBHOOK_EVENTS } from '../Mask/shared/events';
import { CREDENTIAL_NAME, maskApiRequest } from '../Mask/transport';
import { searchCampaigns, searchLinks, searchPages } from '../Mask/v1/methods/listSearch';
import { isNotFound, registeredEndpoint, registrationOf, removeStaleEndpoints, wantedEvents } from './registration';
import { eventFilters, matchesFilters, triggerFilters } from './filters';
import { verifyStandardWebhook } from './signature';

export class MaskTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MASK Trigger',
		name: 'maskTrigger',
		icon: { light: 'file:mask.svg', dark: 'file:mask.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when MASK sends a signed event, such as a recorded click or a new link',
		defaults: { name: 'MASK Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: WEBHOOK_EVENTS,
				default: ['click.recorded'],
				required: true,
				description: 'The events that start the workflow',
			},
			triggerFilters,
			{
				displayName:
					'MASK must be able to reach this n8n instance. For a private address (127.0.0.1, 10.x, …) the engine needs WEBHOOK_ALLOWED_HOSTS to allow it.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
		],
	};

	methods = { listSearch: { searchLinks, searchPages, searchCampaigns } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const webhookUrl = this.getNodeWebhookUrl('default') as string;
				const endpoint = await registeredEndpoint.call(this, webhookUrl);
				if (endpoint) return true;
				await removeStaleEndpoints.call(this, webhookUrl);
				const registration = registrationOf(this);
				delete registration.webhookId;
				delete registration.webhookSecret;
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const workflow = this.getWorkflow();
				const body = {
					url: this.getNodeWebhookUrl('default') as string,
					events: wantedEvents.call(this),
					description: `n8n workflow "${workflow.name ?? workflow.id}"`,
				};
				const endpoint = await maskApiRequest.call(this, 'POST', '/webhooks', { body });
				const registration = registrationOf(this);
				registration.webhookId = endpoint.id as string;
				registration.webhookSecret = endpoint.secret as string;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const registration = registrationOf(this);
				if (registration.webhookId) {
					try {
						await maskApiRequest.call(this, 'DELETE', `/webhooks/${encodeURIComponent(registration.webhookId)}`);
					} catch (error) {
						if (!isNotFound(error)) {
							this.logger.warn(`MASK Trigger could not remove webhook endpoint ${registration.webhookId}: ${(error as Error).message}`);
							return false;
						}
					}
				}
				delete registration.webhookId;
				delete registration.webhookSecret;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		if (!request.rawBody) await request.readRawBody();
		const { webhookSecret } = registrationOf(this);
		const verdict = webhookSecret
			? verifyStandardWebhook({ secret: webhookSecret, headers: request.headers, rawBody: request.rawBody })
			: ({ valid: false, reason: 'The trigger has no signing secret; deactivate and activate the workflow again' } as const);
		if (!verdict.valid) {
			this.getResponseObject().status(401).json({ error: { code: 'invalid_signature', message: verdict.reason } });
			return { noWebhookResponse: true };
		}
		let event: IDataObject;
		try {
			event = JSON.parse(request.rawBody.toString('utf8')) as IDataObject;
		} catch {
			this.getResponseObject().status(400).json({ error: { code: 'bad_request', message: 'The delivery body is not JSON' } });
			return { noWebhookResponse: true };
		}
		// Filtered-out events are acknowledged (so MASK does not retry them) but start nothing.
		if (!matchesFilters(event, eventFilters(this))) return { webhookResponse: { received: true, started: false } };
		return { workflowData: [this.helpers.returnJsonArray(event)] };
	}
}
