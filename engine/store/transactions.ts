import type { Knex } from 'knex';

/** Runs a unit of work in one database transaction: committed when `work` resolves, rolled back when it throws. */
export interface TransactionRunner {
  run<T>(work: (tx: Knex.Transaction) => Promise<T>): Promise<T>;
}

export function knexTransactions(db: Knex): TransactionRunner {
  return { run: (work) => db.transaction(work) };
}
