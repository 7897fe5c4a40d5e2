import { Router } from 'express';
import type { Knex } from 'knex';
import { ping } from '../store/db';
import { withDeadline } from '../support/deadlines';

/** What `/readyz` says of a dependency: `ok`, `degraded` (this process copes without it) or `down`. */
export type DependencyState = 'ok' | 'degraded' | 'down';

/** A dependency besides the database, registered by the feature that owns its connection. */
export interface Dependency {
  /** `ok`, or `down` when unreachable (a fallback that still works is `degraded`). */
  check(): Promise<DependencyState>;
  /** True when this process cannot serve its role without it: `down` then makes it unready. */
  required: boolean;
}

const DATABASE_TIMEOUT_MS = 2_000;

async function databaseState(db: Knex): Promise<DependencyState> {
  try {
    await withDeadline(ping(db), DATABASE_TIMEOUT_MS, 'the database did not answer');
    return 'ok';
  } catch {
    return 'down';
  }
}

export interface Readiness {
  ready: boolean;
  status: DependencyState;
  checks: Record<string, DependencyState>;
}

/** Checks the database and every registered dependency, each against what this process's role needs. */
export async function readiness(db: Knex, dependencies: Map<string, Dependency>, started: boolean): Promise<Readiness> {
  const names = [...dependencies.keys()];
  const states = await Promise.all([databaseState(db), ...names.map((name) => dependencies.get(name)!.check().catch((): DependencyState => 'down'))]);
  const checks: Record<string, DependencyState> = { database: states[0] };
  let required = states[0] !== 'ok';
  names.forEach((name, i) => {
    const state = states[i + 1];
    const dependency = dependencies.get(name)!;
    checks[name] = state === 'down' && !dependency.required ? 'degraded' : state;
    if (state !== 'ok' && dependency.required) required = true;
  });
  const ready = started && !required;
  const status: DependencyState = !ready ? 'down' : Object.values(checks).every((state) => state === 'ok') ? 'ok' : 'degraded';
  return { ready, status, checks };
}

/**
 * `/healthz`: the process is alive (its event loop answers). `/readyz`: it can serve its role now: 200 when every
 * dependency it needs is reachable (optional ones may be `degraded`), else 503; the body names each dependency.
 */
export function healthRoutes(db: Knex, dependencies: Map<string, Dependency>, isStarted: () => boolean): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const { ready, status, checks } = await readiness(db, dependencies, isStarted());
    res.status(ready ? 200 : 503).setHeader('Cache-Control', 'no-store');
    res.json({ status, ...(isStarted() ? {} : { reason: 'starting' }), checks });
  });
  return router;
}
