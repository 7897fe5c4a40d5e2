import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contrastRatio } from '../../engine/domain/qr/options';
import { THEME_NAMES, THEMES, paletteOf } from '../../engine/domain/pages/themes';

test('contrast ratios follow WCAG: black on white is 21, a colour on itself 1', () => {
  assert.equal(Math.round(contrastRatio('#000000', '#ffffff') * 100) / 100, 21);
  assert.equal(contrastRatio('#777777', '#777777'), 1);
  assert.equal(contrastRatio('#ffffff', '#1d4ed8'), contrastRatio('#1d4ed8', '#ffffff'));
});

test('every theme reads at WCAG AA: text and muted text on both background stops, buttons, focus ring', () => {
  const failures: string[] = [];
  const check = (theme: string, what: string, a: string, b: string, min: number) => {
    const ratio = contrastRatio(a, b);
    if (ratio < min) failures.push(`${theme}: ${what} ${a} on ${b} is ${ratio.toFixed(2)}:1, needs ${min}:1`);
  };
  for (const name of THEME_NAMES) {
    const { base, dark } = paletteOf(name);
    for (const [label, theme] of [[name, base], [`${name} (dark)`, dark]] as const) {
      if (!theme) continue;
      for (const stop of theme.background) {
        check(label, 'text', theme.text, stop, 4.5);
        check(label, 'muted text', theme.muted, stop, 4.5);
        check(label, 'focus ring', theme.focus, stop, 3);
      }
      check(label, 'button label', theme.buttonText, theme.button, 4.5);
      check(label, 'hovered button label', theme.buttonText, theme.buttonHover, 4.5);
      check(label, 'monogram', theme.monogramText, theme.monogram, 4.5);
    }
  }
  assert.deepEqual(failures, []);
  assert.deepEqual(Object.keys(THEMES).sort(), THEME_NAMES.filter((name) => name !== 'auto').sort());
});
