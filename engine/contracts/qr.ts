import { z } from 'zod/v4';
import { contrastRatio, MIN_QR_CONTRAST, QR_LIMITS } from '../domain/qr/options';

const HEX_COLOR = /^#?[0-9a-fA-F]{6}$/;

/** `#rrggbb` (the `#` may be left out, since a raw `#` in a query string starts the fragment); lower-cased, with `#`. */
const color = (fallback: string) =>
  z
    .string()
    .regex(HEX_COLOR, 'Must be a hex colour such as #1a2b3c (send # as %23, or leave it out)')
    .transform((value) => `#${value.replace('#', '').toLowerCase()}`)
    .default(fallback);

const wholeNumber = (min: number, max: number, fallback: number) => {
  const message = `Must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ message }).int(message).min(min, message).max(max, message).default(fallback);
};

/** The options of every QR code route, API and public alike. */
export const qrQuery = z
  .strictObject({
    format: z.enum(['png', 'svg'], { message: 'Must be png or svg' }).default('png'),
    size: wholeNumber(QR_LIMITS.minSize, QR_LIMITS.maxSize, QR_LIMITS.defaultSize).describe(
      `Width and height in pixels, ${QR_LIMITS.minSize}–${QR_LIMITS.maxSize} (default ${QR_LIMITS.defaultSize}).`,
    ),
    margin: wholeNumber(0, QR_LIMITS.maxMargin, 4).describe(`Quiet zone around the code in modules, 0–${QR_LIMITS.maxMargin} (default 4).`),
    error_correction: z
      .enum(['L', 'M', 'Q', 'H'], { message: 'Must be L, M, Q or H' })
      .default('M')
      .describe('How much of the code may be damaged and still scan: L 7%, M 15%, Q 25%, H 30%.'),
    foreground: color('#000000').describe('Colour of the modules, #rrggbb (default #000000).'),
    background: color('#ffffff').describe('Colour of the background, #rrggbb (default #ffffff).'),
  })
  // Only judged when both colours are valid; a malformed one already has its own error.
  .refine((q) => !(HEX_COLOR.test(q.foreground) && HEX_COLOR.test(q.background)) || contrastRatio(q.foreground, q.background) >= MIN_QR_CONTRAST, {
    message: `foreground and background are too alike to scan reliably: their contrast ratio must be at least ${MIN_QR_CONTRAST}:1`,
    path: ['foreground'],
  });


export const QR_CONTENT_TYPES = ['image/png', 'image/svg+xml'];
