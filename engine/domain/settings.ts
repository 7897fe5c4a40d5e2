import type { Knex } from 'knex';
import { randomToken } from '../support/crypto';

/**
 * The engine secret signs cursors and password-gate cookies. Configured, or generated once and kept in the database
 * so every process of one deployment shares it.
 */
export async function loadSecret(db: Knex, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const existing = await db('engine_settings').where({ key: 'secret' }).first();
  if (existing) return existing.value as string;
  await db('engine_settings').insert({ key: 'secret', value: randomToken(48) }).onConflict('key').ignore();
  const stored = await db('engine_settings').where({ key: 'secret' }).first();
  return stored.value as string;
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
