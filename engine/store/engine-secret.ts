import type { Knex } from 'knex';

/** The engine secret's row in `engine_settings`. */
export class EngineSecretStore {
  constructor(private readonly db: Knex) {}

  async read(): Promise<string | null> {
    const row = await this.db('engine_settings').where({ key: 'secret' }).first('value');
    return row ? (row.value as string) : null;
  }

  /** Stores `secret` unless one is stored already (a concurrent first start), and answers the stored one. */
  async keep(secret: string): Promise<string> {
    await this.db('engine_settings').insert({ key: 'secret', value: secret }).onConflict('key').ignore();
    return (await this.read()) as string;
  }
}
