import { EngineSetting } from '../store/engine-settings';
import type { Foundation } from './foundation';

/** The `engine_settings` row that holds the instance domain. */
export const instanceDomainSetting = ({ db }: Pick<Foundation, 'db'>) => new EngineSetting(db, 'default_domain');

/**
 * Adopts the instance domain stored at first start (storing this process's own on an empty database), so every
 * process of the deployment puts links on the same domain; `config.defaultDomain` then names it too.
 */
export async function loadInstanceDomain(parts: Pick<Foundation, 'db' | 'instanceDomain' | 'config' | 'logger'>, options?: { keep: boolean }): Promise<void> {
  parts.config.defaultDomain = await parts.instanceDomain.load(instanceDomainSetting(parts), parts.logger, options);
}
