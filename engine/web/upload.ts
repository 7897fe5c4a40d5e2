import busboy from 'busboy';
import type { Request } from 'express';
import { ApiError } from '../support/errors';

export interface Upload {
  file: Buffer;
  fileName: string | null;
  /** Text fields of a multipart form. */
  fields: Record<string, string>;
}

const MULTIPART_OVERHEAD = 64 * 1024;

const tooLarge = (maxBytes: number) =>
  new ApiError('payload_too_large', `The file is larger than this instance accepts (${maxBytes} bytes, MASK_IMPORT_MAX_BYTES).`);

/**
 * A file sent as the raw request body (text/csv, application/octet-stream, text/plain, application/json) or as the
 * `file` field of a multipart/form-data form, read up to `maxBytes` (413 beyond, before the rest is read).
 */
export async function readUpload(req: Request, maxBytes: number): Promise<Upload> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const multipart = req.is('multipart/form-data') === 'multipart/form-data';
  if (declared > maxBytes + (multipart ? MULTIPART_OVERHEAD : 0)) throw tooLarge(maxBytes);
  if (multipart) return readMultipart(req, maxBytes);
  // express.json has already read a small application/json body.
  if ((req as Request & { _body?: boolean })._body) return { file: Buffer.from(JSON.stringify(req.body)), fileName: null, fields: {} };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.unpipe();
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  if (size === 0) throw new ApiError('validation_error', 'Send the file as the request body, or as the "file" field of a multipart form.', [{ field: 'file', message: 'Required.' }]);
  return { file: Buffer.concat(chunks), fileName: null, fields: {} };
}

function readMultipart(req: Request, maxBytes: number): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 16 * 1024 } });
    } catch (error) {
      reject(new ApiError('bad_request', `Malformed multipart form: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    const fields: Record<string, string> = {};
    let upload: { file: Buffer; fileName: string | null } | null = null;
    let failed: ApiError | null = null;
    const fail = (error: ApiError) => {
      failed ??= error;
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new ApiError('validation_error', 'A form field is too long.', [{ field: name, message: 'Must be at most 16384 bytes' }]));
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(tooLarge(maxBytes)));
      stream.on('end', () => {
        if (name !== 'file') fail(new ApiError('validation_error', 'Send the file in the form field "file".', [{ field: name, message: 'Unknown field.' }]));
        else upload = { file: Buffer.concat(chunks), fileName: info.filename ?? null };
      });
    });
    parser.on('filesLimit', () => fail(new ApiError('validation_error', 'Send one file per import.', [{ field: 'file', message: 'Only one file' }])));
    parser.on('error', (error: Error) => reject(new ApiError('bad_request', `Malformed multipart form: ${error.message}`)));
    parser.on('close', () => {
      if (failed) reject(failed);
      else if (!upload || upload.file.length === 0) reject(new ApiError('validation_error', 'The form has no file.', [{ field: 'file', message: 'Required.' }]));
      else resolve({ ...upload, fields });
    });
    req.pipe(parser);
  });
}
