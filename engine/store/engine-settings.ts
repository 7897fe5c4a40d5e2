import type { Knex } from 'knex';

/** One row of `engine_settings`: a value the processes of one deployment share, chosen by whichever starts first. */
export class EngineSetting {
  constructor(
    private readonly db: Knex,
    private readonly key: string,
  ) {}

  async read(): Promise<string | null> {
    const row = await this.db('engine_settings').where({ key: this.key }).first('value');
    return row ? (row.value as string) : null;
  }

  /** Stores `value` unless one is stored already (a concurrent first start), and answers the stored one. */
  async keep(value: string): Promise<string> {
    await this.db('engine_settings').insert({ key: this.key, value }).onConflict('key').ignore();
    return (await this.read()) as string;
  }

  /** Stores `value` whatever was stored before. */
  async replace(value: string): Promise<void> {
    await this.db('engine_settings').insert({ key: this.key, value }).onConflict('key').merge();
  }
}
