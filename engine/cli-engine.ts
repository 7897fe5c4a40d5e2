import { createEngine, type Engine } from './index';
import { partsOf } from './wiring/index';
import { loadInstanceDomain } from './wiring/instance-domain';

/** Runs a short command against the database: migrate, read the instance domain, act, close. */
export async function withEngine<T>(action: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = createEngine({ logLevel: 'warn' });
  try {
    await engine.migrate();
    // A short command is no first start: it uses the stored instance domain and never stores its own.
    await loadInstanceDomain(partsOf(engine), { keep: false });
    return await action(engine);
  } finally {
    await engine.close();
  }
}
