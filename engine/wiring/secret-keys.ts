import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type EngineConfig } from '../config';
import { sqliteFileOf } from '../store/database-url';
import { deriveKey, secretKey, SecretBoxError, type SecretKey } from '../support/secret-box';

export const KEY_FILE_NAME = 'mask.key';

/** Where a SQLite deployment without MASK_SECRET keeps its sealing key: beside the database file; null otherwise. */
export function keyFilePath(databaseUrl: string): string | null {
  const file = sqliteFileOf(databaseUrl);
  if (file === null || file === '' || file === ':memory:') return null;
  return path.join(path.dirname(path.resolve(file)), KEY_FILE_NAME);
}

function readKeyFile(file: string): SecretKey {
  try {
    return secretKey(fs.readFileSync(file), `the key file ${file}`);
  } catch (error) {
    if (error instanceof SecretBoxError) throw new ConfigError(`Invalid configuration: ${error.message} (restore the right file, or set MASK_SECRET)`);
    throw error;
  }
}

/** Reads the key file, creating it (32 random bytes, mode 0600) if there is none; of processes racing, one wins. */
function keyFile(file: string): SecretKey {
  if (fs.existsSync(file)) return readKeyFile(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, randomBytes(32), { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temporary, file); // fails if another process made one first: then theirs is the key
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  return readKeyFile(file);
}

/**
 * The keys that seal stored secrets, current first. Never from the database: derived from MASK_SECRET (with
 * MASK_SECRET_PREVIOUS, and a SQLite deployment's old key file, still opening what they sealed until re-sealed at
 * start), or for SQLite without MASK_SECRET a key file beside the database. Postgres without MASK_SECRET is refused:
 * every process of the deployment must share the key, and no file is shared.
 */
export function loadSecretKeys(config: Pick<EngineConfig, 'secret' | 'secretPrevious' | 'databaseUrl'>): SecretKey[] {
  const file = keyFilePath(config.databaseUrl);
  if (!config.secret) {
    if (sqliteFileOf(config.databaseUrl) === null) {
      throw new ConfigError('Invalid configuration: MASK_SECRET is required with Postgres (at least 32 random characters, the same in every process): it derives the key that encrypts stored webhook secrets');
    }
    if (config.secretPrevious) throw new ConfigError('Invalid configuration: MASK_SECRET_PREVIOUS needs MASK_SECRET (the new secret) as well');
    // An in-memory database forgets its rows on close, so a key for this process alone is enough.
    return [file ? keyFile(file) : secretKey(randomBytes(32), 'an in-memory key')];
  }
  const keys = [deriveKey(config.secret, 'MASK_SECRET')];
  if (config.secretPrevious && config.secretPrevious !== config.secret) keys.push(deriveKey(config.secretPrevious, 'MASK_SECRET_PREVIOUS'));
  if (file && fs.existsSync(file)) keys.push(readKeyFile(file));
  return keys.filter((key, index) => keys.findIndex((other) => other.id === key.id) === index);
}
