import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** Every n8n context that may call the MASK API. */
export type MaskContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export const CREDENTIAL_NAME = 'maskApi';

/** A page of a MASK list: `{"data": [...], "pagination": {"has_more", "cursor"}}`. */
export interface MaskPage<T = IDataObject> {
	data: T[];
	pagination: { has_more: boolean; cursor: string | null };
}

interface EngineError {
	code?: string;
	message?: string;
	details?: Array<{ field?: string; message?: string }>;
	retry_after?: number;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** `https://links.example.com/` or `…/api/v1` → `https://links.example.com/api/v1`. */
export function apiBaseUrl(baseUrl: string): string {
	return `${baseUrl.trim().replace(/\/+$/, '').replace(/\/api\/v1$/, '')}/api/v1`;
}

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body) || body instanceof ArrayBuffer) {
		const text = Buffer.from(body as Buffer).toString('utf8');
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}
	return body;
}

function describeDetails(engineError: EngineError): string | undefined {
	const lines = (engineError.details ?? []).map((detail) => `${detail.field ?? 'request'}: ${detail.message ?? ''}`);
	if (typeof engineError.retry_after === 'number') lines.push(`Retry after ${engineError.retry_after} seconds.`);
	return lines.length > 0 ? lines.join('\n') : undefined;
}

/** The engine's error envelope as a NodeApiError carrying its code, message and details. */
export function maskApiError(node: INode, statusCode: number, rawBody: unknown, itemIndex?: number): NodeApiError {
	const body = parseBody(rawBody);
	const engineError: EngineError =
		typeof body === 'object' && body !== null && typeof (body as IDataObject).error === 'object'
			? ((body as IDataObject).error as EngineError)
			: { code: `http_${statusCode}`, message: typeof body === 'string' && body ? body : `HTTP ${statusCode}` };
	const code = engineError.code ?? `http_${statusCode}`;
	const details = describeDetails(engineError);
	const error = new NodeApiError(node, { error: { ...engineError, code } } as JsonObject, {
		message: engineError.message ?? `HTTP ${statusCode}`,
		description: details ? `${code}\n${details}` : code,
		httpCode: String(statusCode),
		itemIndex,
	});
	error.context.code = code;
	if (engineError.details) error.context.details = engineError.details as IDataObject[];
	return error;
}

/** What an item carries when its error is kept instead of stopping the workflow ("Continue On Fail"). */
export function errorOutput(error: Error): IDataObject {
	const context = (error as NodeApiError).context ?? {};
	return {
		error: error.message,
		...(context.code ? { code: context.code } : {}),
		...(context.details ? { details: context.details } : {}),
		...((error as NodeApiError).httpCode ? { httpCode: (error as NodeApiError).httpCode } : {}),
	};
}

export interface MaskRequest {
	method: IHttpRequestMethods;
	/** Path under /api/v1, e.g. `/links`. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** Bytes sent as they are (an import file), with this content type. */
	upload?: { bytes: Buffer; contentType: string };
	/** Return the raw bytes (QR images, exports) instead of parsed JSON. */
	binary?: boolean;
	itemIndex?: number;
}

function withoutEmpty(qs: IDataObject | undefined): IDataObject | undefined {
	if (!qs) return undefined;
	const kept = Object.entries(qs).filter(([, value]) => value !== undefined && value !== null && value !== '');
	return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/** The one place that talks HTTP to MASK: authenticates with the credential and maps error envelopes. */
export async function maskRequest(this: MaskContext, request: MaskRequest): Promise<FullResponse> {
	const credentials = await this.getCredentials<{ baseUrl: string }>(CREDENTIAL_NAME);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${apiBaseUrl(credentials.baseUrl)}${request.path}`,
		qs: withoutEmpty(request.qs),
		headers: { accept: request.binary ? '*/*' : 'application/json', ...(request.upload ? { 'content-type': request.upload.contentType } : {}) },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		...(request.binary || request.upload ? { encoding: 'arraybuffer' as const } : { json: true }),
		...(request.body !== undefined ? { body: request.body } : {}),
		...(request.upload ? { body: request.upload.bytes } : {}),
	};
	let response: FullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, options)) as FullResponse;
	} catch (error) {
		throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: request.itemIndex });
	}
	if (response.statusCode >= 400) throw maskApiError(this.getNode(), response.statusCode, response.body, request.itemIndex);
	return response;
}

/** A JSON request; resolves to the response body. */
export async function maskApiRequest(
	this: MaskContext,
	method: IHttpRequestMethods,
	path: string,
	options: Pick<MaskRequest, 'body' | 'qs' | 'upload' | 'itemIndex'> = {},
): Promise<IDataObject> {
	const response = await maskRequest.call(this, { method, path, ...options });
	return parseBody(response.body) as IDataObject;
}

/**
 * Follows the cursor pagination of a list until `max` items (or all of them) are collected.
 * Pages are requested at the largest size the API allows unless fewer items are wanted.
 */
export async function maskApiRequestAllItems(
	this: MaskContext,
	path: string,
	qs: IDataObject = {},
	max = Infinity,
	itemIndex?: number,
): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	let cursor: string | null = null;
	do {
		const limit = Math.min(100, max - items.length);
		const page = (await maskApiRequest.call(this, 'GET', path, { qs: { ...qs, limit, cursor }, itemIndex })) as unknown as MaskPage;
		items.push(...page.data.slice(0, max - items.length));
		cursor = page.pagination.has_more ? page.pagination.cursor : null;
	} while (cursor && items.length < max);
	return items;
}
