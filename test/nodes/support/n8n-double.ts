/**
 * A stand-in for the n8n runtime around a node: parameters are resolved with n8n-workflow's own
 * NodeHelpers (defaults and display options, exactly as n8n does), and the HTTP helpers really send
 * the requests, with the credential's `authenticate` block applied. Nothing here mocks the engine.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeHelpers, VersionedNodeType, Workflow } from 'n8n-workflow';
import { MaskApi } from '../../../credentials/MaskApi.credentials';

export const credentialType: ICredentialType = new MaskApi();

export interface Credentials extends ICredentialDataDecryptedObject {
	baseUrl: string;
	apiKey: string;
}

export interface HttpCall {
	method: string;
	url: string;
	status: number;
}

// n8n resolves the `={{ … }}` expressions of credential blocks with its expression engine and `$credentials` as an
// additional key; the double does exactly that with n8n-workflow's own Workflow.expression.
const expressionWorkflow = new Workflow({
	id: 'credentials',
	nodes: [{ id: 'node-1', name: 'node', type: 'n8n-nodes-mask.mask', typeVersion: 1, position: [0, 0], parameters: {} }],
	connections: {},
	active: false,
	nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as unknown as INodeTypes,
});

export function resolveCredentialExpression(value: string, credentials: Credentials): string {
	if (!value.startsWith('=')) return value;
	return String(expressionWorkflow.expression.getParameterValue(value, null, 0, 0, 'node', [], 'internal', { $credentials: credentials } as IDataObject));
}

function applyAuthentication(options: IHttpRequestOptions, credentials: Credentials): IHttpRequestOptions {
	const authenticate = credentialType.authenticate;
	if (!authenticate || typeof authenticate === 'function' || authenticate.type !== 'generic') throw new Error('expected generic authentication');
	const headers = { ...(options.headers ?? {}) };
	for (const [name, value] of Object.entries(authenticate.properties.headers ?? {})) {
		headers[name] = resolveCredentialExpression(String(value), credentials);
	}
	return { ...options, headers };
}

/** What n8n's `httpRequest` helper does with these options, performed with fetch against the real server. */
export async function performRequest(options: IHttpRequestOptions, calls: HttpCall[]): Promise<unknown> {
	const url = new URL(options.baseURL ? `${options.baseURL.replace(/\/+$/, '')}/${options.url.replace(/^\/+/, '')}` : options.url);
	for (const [key, value] of Object.entries(options.qs ?? {})) {
		if (value !== undefined && value !== null) url.searchParams.append(key, String(value));
	}
	const headers = new Headers(Object.entries(options.headers ?? {}).map(([key, value]) => [key, String(value)]));
	let body: string | Buffer | undefined;
	if (Buffer.isBuffer(options.body)) {
		// As n8n's helper (axios) does: bytes are sent as they are, with the content type the caller set.
		body = options.body;
	} else if (options.body !== undefined && options.body !== null) {
		body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
		if (!headers.has('content-type')) headers.set('content-type', 'application/json');
	}
	const method = options.method ?? 'GET';
	const response = await fetch(url, { method, headers, body, redirect: 'manual' });
	calls.push({ method, url: url.toString(), status: response.status });
	const bytes = Buffer.from(await response.arrayBuffer());
	let parsed: unknown = bytes;
	if (options.encoding !== 'arraybuffer') {
		const text = bytes.toString('utf8');
		parsed = (response.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
	}
	if (response.status >= 400 && !options.ignoreHttpStatusErrors) {
		throw Object.assign(new Error(`Request failed with status code ${response.status}`), { httpCode: String(response.status), response: { status: response.status, data: parsed } });
	}
	if (!options.returnFullResponse) return parsed;
	return { body: parsed, headers: Object.fromEntries(response.headers.entries()), statusCode: response.status, statusMessage: response.statusText };
}

function getPath(source: unknown, path: string): unknown {
	return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as IDataObject)[key] : undefined), source);
}

export type Parameters = Record<string, unknown>;

export interface DoubleOptions {
	credentials: Credentials;
	/** Node parameters as a user would set them; a function gives each item its own. */
	parameters: Parameters | ((itemIndex: number) => Parameters);
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	timezone?: string;
	staticData?: IDataObject;
	webhookUrl?: string;
	nodeType?: string;
}

/** The concrete node type (the latest version of a versioned node). */
export function concreteNodeType(node: INodeType | VersionedNodeType): INodeType {
	return node instanceof VersionedNodeType ? node.getNodeType() : node;
}

export class N8nDouble {
	readonly calls: HttpCall[] = [];
	readonly staticData: IDataObject;
	readonly nodeType: INodeType;
	readonly logs: string[] = [];

	constructor(
		node: INodeType | VersionedNodeType,
		readonly options: DoubleOptions,
	) {
		this.nodeType = concreteNodeType(node);
		this.staticData = options.staticData ?? {};
	}

	/** Parameters of one item as n8n resolves them: user values plus the defaults of every displayed field. */
	resolvedParameters(itemIndex: number): INodeParameters {
		const raw = typeof this.options.parameters === 'function' ? this.options.parameters(itemIndex) : this.options.parameters;
		const description = this.nodeType.description;
		return NodeHelpers.getNodeParameters(description.properties, raw as INodeParameters, true, false, { typeVersion: 1 }, description) ?? {};
	}

	node(): INode {
		return {
			id: 'node-1',
			name: this.nodeType.description.defaults.name ?? 'node',
			type: this.options.nodeType ?? `n8n-nodes-mask.${this.nodeType.description.name}`,
			typeVersion: 1,
			position: [0, 0],
			parameters: this.resolvedParameters(0),
		};
	}

	private getNodeParameter(name: string, itemIndex: number, fallback?: unknown, opts?: { extractValue?: boolean }): unknown {
		let value = getPath(this.resolvedParameters(itemIndex), name);
		if (value === undefined) {
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		}
		if (opts?.extractValue && value && typeof value === 'object' && '__rl' in value) value = (value as IDataObject).value;
		return value;
	}

	private base() {
		const credentials = this.options.credentials;
		const calls = this.calls;
		return {
			getNode: () => this.node(),
			getCredentials: async () => credentials,
			getTimezone: () => this.options.timezone ?? 'UTC',
			getWorkflow: () => ({ id: 'wf-1', name: 'Test workflow', active: true }),
			getWorkflowStaticData: () => this.staticData,
			getNodeWebhookUrl: () => this.options.webhookUrl,
			continueOnFail: () => this.options.continueOnFail ?? false,
			getInputData: () => this.options.items ?? [{ json: {} }],
			logger: { warn: (message: string) => this.logs.push(message), info: () => undefined, debug: () => undefined, error: (message: string) => this.logs.push(message) },
			helpers: {
				httpRequestWithAuthentication: async (type: string, options: IHttpRequestOptions) => {
					if (type !== credentialType.name) throw new Error(`unknown credential type ${type}`);
					return await performRequest(applyAuthentication(options, credentials), calls);
				},
				prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string) => ({
					data: data.toString('base64'),
					mimeType: mimeType ?? 'application/octet-stream',
					fileName,
					fileSize: String(data.length),
					fileExtension: fileName?.split('.').pop(),
				}),
				assertBinaryData: (itemIndex: number, field: string) => {
					const binary = this.options.items?.[itemIndex]?.binary?.[field];
					if (!binary) throw new Error(`item ${itemIndex} has no binary field "${field}"`);
					return binary;
				},
				getBinaryDataBuffer: async (itemIndex: number, field: string) => Buffer.from(String(this.options.items?.[itemIndex]?.binary?.[field]?.data ?? ''), 'base64'),
				returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
				constructExecutionMetaData: (items: INodeExecutionData[], { itemData }: { itemData: { item: number } }) =>
					items.map((item) => ({ ...item, pairedItem: itemData })),
			},
		};
	}

	execute(): IExecuteFunctions {
		return {
			...this.base(),
			getNodeParameter: (name: string, itemIndex: number, fallback?: unknown, opts?: { extractValue?: boolean }) =>
				this.getNodeParameter(name, itemIndex, fallback, opts),
		} as unknown as IExecuteFunctions;
	}

	loadOptions(): ILoadOptionsFunctions {
		return {
			...this.base(),
			getNodeParameter: (name: string, fallback?: unknown) => this.getNodeParameter(name, 0, fallback),
			getCurrentNodeParameter: (name: string) => this.getNodeParameter(name, 0, undefined),
		} as unknown as ILoadOptionsFunctions;
	}

	hook(): IHookFunctions {
		return {
			...this.base(),
			getNodeParameter: (name: string, fallback?: unknown) => this.getNodeParameter(name, 0, fallback),
			getWebhookName: () => 'default',
		} as unknown as IHookFunctions;
	}

	/** A webhook call as n8n hands it to the node; the response the node writes is captured. */
	webhook(request: { headers: Record<string, string>; rawBody: Buffer }): { context: IWebhookFunctions; response: { status?: number; body?: unknown } } {
		const response: { status?: number; body?: unknown } = {};
		const res = {
			status(code: number) {
				response.status = code;
				return res;
			},
			json(body: unknown) {
				response.body = body;
				return res;
			},
			end() {
				return res;
			},
		};
		const req = { headers: request.headers, rawBody: request.rawBody, readRawBody: async () => undefined };
		const context = {
			...this.base(),
			getNodeParameter: (name: string, fallback?: unknown) => this.getNodeParameter(name, 0, fallback),
			getRequestObject: () => req,
			getResponseObject: () => res,
			getHeaderData: () => request.headers,
			getBodyData: () => JSON.parse(request.rawBody.toString('utf8')),
			getWebhookName: () => 'default',
		} as unknown as IWebhookFunctions;
		return { context, response };
	}

	/** Runs the node's execute() as n8n would for one execution. */
	async run(): Promise<INodeExecutionData[][]> {
		if (!this.nodeType.execute) throw new Error('node has no execute()');
		return (await this.nodeType.execute.call(this.execute())) as INodeExecutionData[][];
	}
}

/** The JSON of the first output of a run. */
export const jsonOf = (output: INodeExecutionData[][]) => output[0].map((item) => item.json);
