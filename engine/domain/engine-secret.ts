import type { EngineSecretStore } from '../store/engine-secret';
import { randomToken } from '../support/crypto';

/**
 * The engine secret signs cursors and password-gate cookies. Configured, or generated once and kept in the database
 * so every process of one deployment shares it.
 */
export async function loadSecret(store: EngineSecretStore, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  return (await store.read()) ?? store.keep(randomToken(48));
}

/** Holds the secret once it is loaded; users read it lazily so services can be built before start-up. */
export class SecretRef {
  private current: string | null = null;

  set(secret: string): void {
    this.current = secret;
  }

  get value(): string {
    if (this.current === null) throw new Error('The engine secret is not loaded yet: call engine.start() first.');
    return this.current;
  }
}
