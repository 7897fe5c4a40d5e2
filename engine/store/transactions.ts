import type { Knex } from 'knex';

/** An open transaction. Domain code only hands it to stores (`store.with(tx)`), never queries it. */
export type Transaction = Knex.Transaction;

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export interface TransactionRunner {
  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
}

export const transactionRunner = (db: Knex): TransactionRunner => ({
  run: (work) => db.transaction(work),
});
