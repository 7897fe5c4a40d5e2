import type { Scope } from '../store/keys';

export { SCOPES, type Mode, type Scope } from '../store/keys';

export const hasScope = (granted: readonly string[], required: Scope): boolean =>
  granted.includes('admin') || granted.includes(required);
