/**
 * The built-in themes of bio pages. Every colour pair a visitor reads is checked against WCAG AA in the tests
 * (text and muted text on both background stops, button text on buttons, the focus ring on the background).
 */
export interface Theme {
  /** Tells the browser how to draw its own controls and scrollbars. */
  scheme: 'light' | 'dark';
  /** Two gradient stops (the same twice for a flat background). */
  background: [string, string];
  text: string;
  muted: string;
  button: string;
  buttonText: string;
  buttonBorder: string;
  buttonHover: string;
  focus: string;
  /** The avatar placeholder (monogram) colours. */
  monogram: string;
  monogramText: string;
}

const light: Theme = {
  scheme: 'light',
  background: ['#f5f6f8', '#eceef2'],
  text: '#14161b',
  muted: '#4a5160',
  button: '#ffffff',
  buttonText: '#14161b',
  buttonBorder: '#d3d7de',
  buttonHover: '#f0f2f5',
  focus: '#1d4ed8',
  monogram: '#1d4ed8',
  monogramText: '#ffffff',
};

const dark: Theme = {
  scheme: 'dark',
  background: ['#0e1014', '#171a21'],
  text: '#f2f3f5',
  muted: '#aeb4c0',
  button: '#1e222b',
  buttonText: '#f2f3f5',
  buttonBorder: '#353b47',
  buttonHover: '#272c37',
  focus: '#8fb0ff',
  monogram: '#8fb0ff',
  monogramText: '#0e1014',
};

export const THEMES = {
  light,
  dark,
  sunset: {
    scheme: 'light',
    background: ['#ffe6d1', '#ffc4a8'],
    text: '#3a1206',
    muted: '#6e2a12',
    button: '#7c2d12',
    buttonText: '#fff7f0',
    buttonBorder: '#7c2d12',
    buttonHover: '#66240e',
    focus: '#3a1206',
    monogram: '#7c2d12',
    monogramText: '#fff7f0',
  },
  ocean: {
    scheme: 'dark',
    background: ['#0b3954', '#0a5f6e'],
    text: '#f0fbff',
    muted: '#c6e6f0',
    button: '#e6f7fb',
    buttonText: '#083344',
    buttonBorder: '#e6f7fb',
    buttonHover: '#c9eef6',
    focus: '#ffe066',
    monogram: '#e6f7fb',
    monogramText: '#083344',
  },
  forest: {
    scheme: 'dark',
    background: ['#12372a', '#1c4d38'],
    text: '#f1f8f2',
    muted: '#c4dccb',
    button: '#f1f8f2',
    buttonText: '#12372a',
    buttonBorder: '#f1f8f2',
    buttonHover: '#d8ecdc',
    focus: '#ffd166',
    monogram: '#f1f8f2',
    monogramText: '#12372a',
  },
} satisfies Record<string, Theme>;

/** `auto` is light, or dark when the visitor's system prefers dark. */
export const THEME_NAMES = ['auto', 'light', 'dark', 'sunset', 'ocean', 'forest'] as const;
export type ThemeName = (typeof THEME_NAMES)[number];
export const DEFAULT_THEME: ThemeName = 'auto';

/** The colour schemes a theme shows: one, or light then dark for `auto`. */
export function paletteOf(name: ThemeName): { base: Theme; dark?: Theme } {
  return name === 'auto' ? { base: light, dark } : { base: THEMES[name] };
}
