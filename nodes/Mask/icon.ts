/**
 * The MASK icon. n8n resolves the icon paths of every version of a versioned node from its entry file
 * (Mask.node.ts), so all descriptions share this one value.
 */
export const MASK_ICON = { light: 'file:mask.svg', dark: 'file:mask.dark.svg' } as const;
