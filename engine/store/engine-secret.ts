import type { Knex } from 'knex';
import { EngineSetting } from './engine-settings';

/** The engine secret's row in `engine_settings`. */
export class EngineSecretStore extends EngineSetting {
  constructor(db: Knex) {
    super(db, 'secret');
  }
}
