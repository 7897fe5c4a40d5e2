export const QR_LIMITS = {
  minSize: 128,
  maxSize: 2048,
  defaultSize: 512,
  maxMargin: 16,
} as const;

/** Below this WCAG contrast ratio phone cameras misread codes often enough that we refuse the colours. */
export const MIN_QR_CONTRAST = 3;

export interface QrOptions {
  format: 'png' | 'svg';
  size: number;
  margin: number;
  error_correction: 'L' | 'M' | 'Q' | 'H';
  /** `#rrggbb` */
  foreground: string;
  /** `#rrggbb` */
  background: string;
}

/** Relative luminance of a `#rrggbb` colour (WCAG 2). */
export function luminance(hex: string): number {
  const value = parseInt(hex.replace('#', ''), 16);
  const channel = (shift: number) => {
    const c = ((value >> shift) & 255) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
}

/** WCAG contrast ratio of two `#rrggbb` colours, from 1 (same) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
