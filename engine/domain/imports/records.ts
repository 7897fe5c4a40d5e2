import { parse } from 'csv-parse';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ApiError } from '../../support/errors';

/** A record of an import file: its fields by normalized name (lower case, letters and digits only; nested JSON joined). */
export type SourceRecord = Map<string, unknown>;

/** "Long URL", "long_url" and "longUrl" all become "longurl". */
export const normalizeName = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The longest CSV record accepted; beyond it the file is refused (a 10 MB line is no link). */
const MAX_RECORD_CHARACTERS = 128 * 1024;

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

const fileError = (message: string) => new ApiError('validation_error', message, [{ field: 'file', message }]);

export interface ReadOptions {
  /** Forced CSV delimiter; otherwise the one that splits the header line most. */
  delimiter?: CsvDelimiter;
}

export interface ParsedFile {
  format: 'csv' | 'json';
  records: SourceRecord[];
  /** Normalized names of the fields seen (the CSV header, or the first JSON record's keys). */
  fields: string[];
  /** The same names as the file writes them. */
  headers: string[];
  delimiter: CsvDelimiter | null;
}

/**
 * Reads an export file (CSV with a header line, or JSON) into records; a malformed file is a 422 naming the problem.
 * CSV is parsed a slice at a time, letting other work (redirects) run in between.
 */
export async function readRecords(file: Buffer, options: ReadOptions = {}): Promise<ParsedFile> {
  const text = file.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw fileError('The file is empty');
  if (/^\s*[[{]/.test(text)) return readJson(text);
  return readCsv(text, options.delimiter);
}

const SLICE = 256 * 1024;

async function parseCsv(text: string, delimiter: CsvDelimiter): Promise<string[][]> {
  const rows: string[][] = [];
  let failure: Error | null = null;
  const parser = parse({ delimiter, max_record_size: MAX_RECORD_CHARACTERS, skip_empty_lines: true, relax_column_count: false });
  parser.on('data', (row: string[]) => rows.push(row));
  parser.on('error', (error: Error) => (failure ??= error));
  const ended = new Promise<void>((resolve) => {
    parser.once('end', () => resolve());
    parser.once('error', () => resolve());
  });
  for (let at = 0; at < text.length && !failure; at += SLICE) {
    parser.write(text.slice(at, at + SLICE));
    await yieldToEventLoop();
  }
  if (!failure) parser.end();
  await ended;
  if (failure) throw fileError(`Malformed CSV: ${(failure as Error).message}`);
  return rows;
}

async function readCsv(text: string, forced: CsvDelimiter | undefined): Promise<ParsedFile> {
  const delimiter = forced ?? guessDelimiter(text);
  const [header, ...body] = await parseCsv(text, delimiter);
  const fields = header.map(normalizeName);
  const records = body.map((row) => new Map<string, unknown>(fields.map((name, i) => [name, row[i]])));
  return { format: 'csv', records, fields, headers: header, delimiter };
}

/** The delimiter that splits the first line into the most fields (quoted parts ignored). */
function guessDelimiter(text: string): CsvDelimiter {
  const firstLine = (text.split(/\r?\n/, 1)[0] ?? '').replace(/"[^"]*"/g, '');
  let best: CsvDelimiter = ',';
  let most = 0;
  for (const delimiter of CSV_DELIMITERS) {
    const count = firstLine.split(delimiter).length - 1;
    if (count > most) {
      best = delimiter;
      most = count;
    }
  }
  return best;
}

/** Where exports of the supported shorteners keep their list: Kutt `data`, Shlink `shortUrls.data`, YOURLS `links`/`result`. */
const LIST_PATHS = [['data'], ['shortUrls', 'data'], ['shorturls', 'data'], ['links'], ['result'], ['items'], ['urls']];

function readJson(text: string): ParsedFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fileError(`Malformed JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const list = Array.isArray(value) ? value : findList(value);
  if (!list) throw fileError('No list of links found in the JSON: expected an array, or an object with data, shortUrls.data, links or result');
  const records = list.map((item) => flatten(typeof item === 'object' && item !== null && !Array.isArray(item) ? item : { value: item }));
  const fields = records.length ? [...records[0].keys()] : [];
  return { format: 'json', records, fields, headers: fields, delimiter: null };
}

function findList(value: unknown): unknown[] | null {
  for (const path of LIST_PATHS) {
    let node: unknown = value;
    for (const key of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(node)) return node;
    // YOURLS' stats answer keys its links "link_1", "link_2"…
    if (typeof node === 'object' && node !== null && path.length === 1 && path[0] === 'links') return Object.values(node);
  }
  return null;
}

/** Nested objects joined into one level: {domain: {fullName}} → "domainfullname"; arrays stay as they are. */
function flatten(object: object, prefix = '', into: SourceRecord = new Map()): SourceRecord {
  for (const [key, value] of Object.entries(object)) {
    const name = prefix + normalizeName(key);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) flatten(value, name, into);
    else into.set(name, value);
  }
  return into;
}
