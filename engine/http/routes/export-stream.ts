import { once } from 'node:events';
import type { Response } from 'express';
import { csvLine } from '../../analytics/export';
import { toIso } from '../../support/time';

/** Writes with backpressure: waits for the socket to drain; false once the client has gone. */
export async function send(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(chunk)) {
    // The wait that loses the race is cancelled: left waiting, each drain would leave a listener on the response.
    const waiting = new AbortController();
    const { signal } = waiting;
    await Promise.race([once(res, 'drain', { signal }), once(res, 'close', { signal })]).finally(() => waiting.abort());
  }
  return !res.destroyed;
}

/** A streamed download of the rows of a range: `<name>-<first day>-<last day>.<format>`. */
export interface ExportFile<Row> {
  name: string;
  format: 'csv' | 'ndjson';
  start: number;
  end: number;
  /** The CSV header row. */
  columns: readonly string[];
  /** A row's CSV fields, in the order of `columns`; NDJSON lines are the row itself. */
  csvFields(row: Row): Array<string | boolean | null>;
}

const day = (ms: number) => (toIso(ms) as string).slice(0, 10);

/**
 * Streams `rows` as CSV (with a header row) or NDJSON, waiting for the client whenever it reads slower than the rows
 * come, and stopping when it goes away. A failure once the headers are sent cuts the connection.
 */
export async function streamExport<Row>(res: Response, file: ExportFile<Row>, rows: AsyncIterable<Row>): Promise<void> {
  const csv = file.format === 'csv';
  res.status(200);
  res.setHeader('content-type', csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="${file.name}-${day(file.start)}-${day(file.end)}.${file.format}"`);
  res.setHeader('cache-control', 'no-store');
  const line = csv ? (row: Row) => csvLine(file.csvFields(row)) : (row: Row) => `${JSON.stringify(row)}\n`;
  if (csv && !(await send(res, csvLine([...file.columns])))) return;
  try {
    for await (const row of rows) {
      if (!(await send(res, line(row)))) return;
    }
  } catch (error) {
    // Headers are gone: the only honest signal left is a cut connection.
    res.destroy(error as Error);
    return;
  }
  res.end();
}
