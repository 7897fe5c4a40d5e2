import type { CsvDelimiter } from './records';
import type { GenericField, ImportSource } from './sources';

/** How an import treats its file, as stored with the job. */
export interface ImportOptions {
  /** A slug already taken on its domain: a per-row error, or the next free `slug-2`, `slug-3`… */
  on_conflict: 'error' | 'suffix';
  /** Put every link on this domain instead of the one it had (kept when the workspace has it, else the default). */
  domain?: string;
  /** Generic CSV: link field → column name. */
  mapping?: Partial<Record<GenericField, string>>;
  delimiter?: CsvDelimiter;
}

export interface NewImport {
  source: ImportSource;
  options: ImportOptions;
  fileName: string | null;
  file: Buffer;
}
