import { idParams, listResponse } from '../../contracts/common';
import { importJob, importOptionsFields, importOptionsInput, listImportsQuery, rowError, toImportOptions } from '../../contracts/imports';
import { presentImport, presentRowError } from '../../domain/imports/present';
import { readUpload } from '../../web/upload';
import { parseOrThrow } from '../../web/validation';
import { defineRoute } from '../route';
import type { ApiServices } from './deps';

export const importRoutes = ({ imports, config }: ApiServices) => [
  defineRoute({
    method: 'post',
    path: '/imports',
    scope: 'links:write',
    tag: 'Imports',
    summary: 'Import links from another shortener',
    description:
      'Send the export file as the raw body (text/csv, application/octet-stream; JSON exports as application/json up to ' +
      `1 MB, larger as octet-stream) or as the "file" field of a multipart/form-data form, at most ${config.importMaxBytes} ` +
      'bytes (MASK_IMPORT_MAX_BYTES). Options come from the query string or the form fields. The file is checked at once ' +
      '(422 for a malformed or foreign file); its rows are then imported in the background: poll GET /imports/:id. ' +
      'Importing the same rows again (same source, same original id or slug) creates no duplicates.',
    query: importOptionsFields.partial(),
    accepts: ['text/csv', 'application/octet-stream', 'application/json', 'multipart/form-data'],
    response: importJob,
    status: 202,
    async handler({ req, actor }) {
      const upload = await readUpload(req, config.importMaxBytes);
      const input = parseOrThrow(importOptionsInput, { ...(req.query as Record<string, string>), ...upload.fields });
      const job = await imports.create(actor, { source: input.source, options: toImportOptions(input), fileName: upload.fileName, file: upload.file });
      return presentImport(job);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/imports',
    scope: 'links:read',
    tag: 'Imports',
    summary: 'List imports',
    query: listImportsQuery,
    response: listResponse(importJob),
    async handler({ query, actor }) {
      const page = await imports.list(actor, { limit: query.limit, cursor: query.cursor });
      return { data: page.data.map((row) => presentImport({ row, errors: [] })), pagination: { has_more: page.hasMore, cursor: page.cursor } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/imports/:id/errors',
    scope: 'links:read',
    tag: 'Imports',
    summary: 'List every per-row error of an import',
    description: 'All per-row errors by row (the job itself shows the first 100), cursor-paginated.',
    params: idParams('imp'),
    query: listImportsQuery,
    response: listResponse(rowError),
    async handler({ params, query, actor }) {
      const page = await imports.errors(actor, params.id, { limit: query.limit, cursor: query.cursor });
      return { data: page.data.map(presentRowError), pagination: { has_more: page.hasMore, cursor: page.cursor } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/imports/:id',
    scope: 'links:read',
    tag: 'Imports',
    summary: 'Get an import: progress, report and per-row errors',
    params: idParams('imp'),
    response: importJob,
    async handler({ params, actor }) {
      return presentImport(await imports.get(actor, params.id));
    },
  }),
];
