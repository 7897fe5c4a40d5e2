import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { BinaryResult } from './items';

export const binaryPropertyName: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the output binary field to put the file in',
};

/** Wraps downloaded bytes as n8n binary data in the field the user chose. */
export async function binaryResult(
	this: IExecuteFunctions,
	itemIndex: number,
	response: { body: unknown; headers: Record<string, string | string[] | undefined> },
	fileName: string,
	json: IDataObject,
): Promise<BinaryResult> {
	const contentType = String(response.headers['content-type'] ?? 'application/octet-stream').split(';')[0].trim();
	const bytes = Buffer.from(response.body as ArrayBuffer);
	const field = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
	const binary = await this.helpers.prepareBinaryData(bytes, fileName, contentType);
	return new BinaryResult({ ...json, fileName, mimeType: contentType, fileSize: bytes.length }, { [field]: binary });
}
