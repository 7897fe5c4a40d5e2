import type { Response } from 'express';
import { idParams } from '../../contracts/common';
import { createExportBody, exportJob, exportQuery } from '../../contracts/exports';
import { link } from '../../contracts/links';
import { MEDIA_TYPES, type ExportFormat } from '../../domain/exports/links-export';
import type { ExportRow } from '../../store/exports';
import { toIso } from '../../support/time';
import { z } from 'zod/v4';
import { defineRoute } from '../route';
import { send } from './export-stream';
import type { ApiServices } from './deps';

const presentExport = (row: ExportRow) => ({
  id: row.id,
  status: row.status,
  format: row.format as ExportFormat,
  row_count: row.row_count,
  download_url: row.status === 'completed' ? `/api/v1/exports/${row.id}/file` : null,
  failure: row.failure,
  created_at: toIso(row.created_at) as string,
  finished_at: toIso(row.finished_at),
});

/** Writes each chunk, waiting whenever the client reads slower than the database is read; stops when it goes away. */
async function stream(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  for await (const chunk of chunks) {
    if (!(await send(res, chunk))) return;
  }
  res.end();
}

const fileName = (format: ExportFormat, at: number) => `links-${new Date(at).toISOString().slice(0, 10)}.${format}`;

/** Streamed export and export jobs. Mounted before /links/:id. */
export const linkExportRoutes = ({ linksExport, exportJobs, clock }: ApiServices) => [
  defineRoute({
    method: 'get',
    path: '/links/export',
    scope: 'links:read',
    tag: 'Links',
    summary: 'Export every link (streamed)',
    description:
      'Every link of the workspace and mode with every field, in id order, streamed as CSV (one column per field; tags ' +
      'as "a|b") or a JSON array of link objects. Importing the file with source=csv gives the same links (clicks and ' +
      'imported_clicks become the new link’s imported_clicks; passwords are not exported). For very large workspaces ' +
      'POST /exports builds the file in the background.',
    query: exportQuery,
    response: z.array(link),
    produces: ['text/csv'],
    async handler({ query, actor, res }) {
      res.status(200).type(MEDIA_TYPES[query.format]);
      res.setHeader('Content-Disposition', `attachment; filename="${fileName(query.format, clock.now().getTime())}"`);
      res.setHeader('Cache-Control', 'no-store');
      await stream(res, linksExport.chunks(actor, query.format)).catch((error: unknown) => {
        // Headers are gone: all that is left is to cut the response, so the client sees an incomplete file.
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/exports',
    scope: 'links:read',
    tag: 'Links',
    summary: 'Start an export job',
    description: 'Builds the export file in the background; poll GET /exports/:id, then fetch its download_url.',
    body: createExportBody,
    response: exportJob,
    status: 202,
    async handler({ body, actor }) {
      return presentExport(await exportJobs.create(actor, body.format));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/exports/:id',
    scope: 'links:read',
    tag: 'Links',
    summary: 'Get an export job',
    params: idParams('exp'),
    response: exportJob,
    async handler({ params, actor }) {
      return presentExport(await exportJobs.get(actor, params.id));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/exports/:id/file',
    scope: 'links:read',
    tag: 'Links',
    summary: 'Download a finished export',
    description: '404 until the job has completed.',
    params: idParams('exp'),
    response: z.array(link),
    produces: ['text/csv'],
    async handler({ params, actor, res }) {
      const { row, file } = await exportJobs.file(actor, params.id);
      const format = row.format as ExportFormat;
      res.status(200).type(MEDIA_TYPES[format]).setHeader('Content-Disposition', `attachment; filename="${fileName(format, row.created_at)}"`);
      res.end(file);
    },
  }),
];
