import type { z } from 'zod/v4';
import { ApiError, type ErrorDetail } from '../support/errors';

/** Every zod issue as a `{field, message}` detail: all invalid fields at once, unknown fields named one by one. */
export function issuesToDetails(issues: z.core.$ZodIssue[], prefix = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ field: base ? `${base}.${key}` : key, message: 'Unknown field.' });
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      details.push({ field: base || 'body', message: 'Required.' });
    } else {
      details.push({ field: base || 'body', message: issue.message });
    }
  }
  return details;
}

/**
 * Validates a request value against its schema, refusing control characters in any of its strings as well: one 422
 * names every invalid field, whichever of the two found it.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const control = controlCharacterDetails(value, prefix);
  const result = schema.safeParse(value);
  if (result.success && control.length === 0) return result.data;
  const named = new Set(control.map((detail) => detail.field));
  // A field whose name holds a control character is named once, by the control-character check.
  const rest = result.success ? [] : issuesToDetails(result.error.issues, prefix).filter((detail) => !named.has(detail.field) && !FORBIDDEN_CONTROL.test(detail.field));
  throw new ApiError('validation_error', 'Request failed validation.', [...rest, ...control].slice(0, MAX_DETAILS));
}

const MAX_DETAILS = 100;

/**
 * Control characters no field of any request may hold: NUL (Postgres text cannot store it) and every other C0 and C1
 * control except tab, line feed and carriage return. Whether a field takes line breaks is its own schema's business.
 */
const FORBIDDEN_CONTROL = /(?![\t\n\r])\p{Cc}/u;

/** Every string (and object key) of a parsed body, query or path with a forbidden control character, as details. */
export function controlCharacterDetails(value: unknown, prefix = '', depth = 0): ErrorDetail[] {
  const field = prefix || 'body';
  if (typeof value === 'string') return FORBIDDEN_CONTROL.test(value) ? [{ field, message: 'Must not contain NUL or other control characters' }] : [];
  // Deeper than any contract goes: the schema refuses such a value anyway, and walking it is not worth the time.
  if (value === null || typeof value !== 'object' || depth > 32) return [];
  const details: ErrorDetail[] = [];
  for (const [key, item] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (FORBIDDEN_CONTROL.test(key)) details.push({ field: prefix || 'body', message: 'Field names must not contain NUL or other control characters' });
    else details.push(...controlCharacterDetails(item, path, depth + 1));
  }
  return details;
}

/** Refuses (422, naming each field) a request value holding NUL or another control character. */
export function refuseControlCharacters(value: unknown, prefix = ''): void {
  const details = controlCharacterDetails(value, prefix);
  if (details.length) throw new ApiError('validation_error', 'Request failed validation.', details.slice(0, 20));
}
