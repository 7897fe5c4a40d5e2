import { z } from 'zod/v4';
import { urlProblem, type UrlPolicy } from '../domain/links/urls';

// Text and URL fields of the link contracts, in their own module so contracts that links.ts imports (routing.ts)
// can use them too; links.ts re-exports them for the other contracts.

export const SINGLE_LINE_CONTROL = /\p{Cc}/u;
const MULTI_LINE_CONTROL = /(?![\n\r\t])\p{Cc}/u;

/** Empty string and null both mean "none" (forms and n8n send empty strings for blank fields). */
export const orNone = <S extends z.ZodType<string, string>>(schema: S) =>
  schema
    .transform((value) => value || null)
    .nullable()
    .optional();

/** A string checked by a domain rule that explains what is wrong, or answers null. */
export const checkedString = (problemOf: (value: string) => string | null) =>
  z.string().superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Optional text: trimmed, control characters refused. */
export const optionalText = (max: number, multiline = false) =>
  orNone(
    z
      .string()
      .trim()
      .max(max, `Must be at most ${max} characters`)
      .refine((value) => !(multiline ? MULTI_LINE_CONTROL : SINGLE_LINE_CONTROL).test(value), 'Must not contain control characters'),
  );

export const destination = (policy: UrlPolicy) => checkedString((value) => urlProblem(value, policy));

/** A device target: same rules as `url`. */
export const optionalDestination = (policy: UrlPolicy) => orNone(checkedString((value) => (value === '' ? null : urlProblem(value, policy))));
