import type { Knex } from 'knex';

/** The node-postgres connection of a transaction: queried directly, with $n parameters, to skip knex's binding pass. */
interface PgConnection {
  query(text: string, values: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}

/** Runs `text` ($n parameters) on the transaction's own node-postgres connection, past knex's binding pass. */
export async function pgQuery(trx: Knex.Transaction, text: string, values: unknown[]): Promise<Array<Record<string, unknown>>> {
  const connection = (await trx.client.acquireConnection()) as PgConnection;
  return (await connection.query(text, values)).rows;
}

/**
 * A Postgres bulk statement: one parameter per column, each an array (`unnest($1::text[], $2::bigint[], …)`), so a
 * batch of any size is one statement with a handful of parameters, instead of thousands of `?` bindings that knex
 * rewrites and node-postgres serialises one by one.
 */
export class UnnestInsert {
  private readonly sql: string;

  constructor(table: string, columns: readonly string[], private readonly types: readonly string[], tail: string) {
    const params = types.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
    this.sql = `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${params}) ${tail}`;
  }

  /** Runs it for `rows` (each in column order) on the transaction's connection; answers the rows it returned. */
  async run(trx: Knex.Transaction, rows: ReadonlyArray<ReadonlyArray<unknown>>): Promise<Array<Record<string, unknown>>> {
    if (rows.length === 0) return [];
    const columns = this.types.map(() => new Array<unknown>(rows.length));
    rows.forEach((row, r) => {
      for (let c = 0; c < columns.length; c++) columns[c][r] = row[c];
    });
    return pgQuery(trx, this.sql, columns);
  }
}
