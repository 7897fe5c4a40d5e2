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

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ApiError('validation_error', 'Request failed validation.', issuesToDetails(result.error.issues, prefix));
}
