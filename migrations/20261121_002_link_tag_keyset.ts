import type { Knex } from 'knex';
import { dropColumns } from './support';
import { dialectOf } from '../engine/store/db';

const SORTS = ['created_at', 'updated_at', 'clicks'] as const;
const TRIGGER = 'link_tags_follow_links';

/**
 * A tag-filtered list page must not depend on how many links carry the tag. `link_tags` therefore repeats each
 * link's sort columns and gets one index per sort, so the page is a keyset seek on one index followed by primary-key
 * lookups of its rows. A trigger copies `clicks` and `updated_at` from `links` on every update, whoever writes them
 * (the API, the click pipeline), inside the same statement.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('link_tags', (t) => {
    for (const column of SORTS) t.bigInteger(column).notNullable().defaultTo(0);
  });
  await knex.raw(`
    UPDATE link_tags SET
      created_at = (SELECT links.created_at FROM links WHERE links.id = link_tags.link_id),
      updated_at = (SELECT links.updated_at FROM links WHERE links.id = link_tags.link_id),
      clicks = (SELECT links.clicks FROM links WHERE links.id = link_tags.link_id)`);
  await knex.schema.alterTable('link_tags', (t) => {
    t.dropIndex(['workspace_id', 'mode', 'tag']);
    for (const column of SORTS) t.index(['workspace_id', 'mode', 'tag', column, 'link_id'], `link_tags_by_${column}`);
  });

  if (dialectOf(knex) === 'postgres') {
    await knex.raw(`
      CREATE FUNCTION ${TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE link_tags SET clicks = NEW.clicks, updated_at = NEW.updated_at WHERE link_id = NEW.id;
        RETURN NULL;
      END $$`);
    await knex.raw(`
      CREATE TRIGGER ${TRIGGER} AFTER UPDATE OF clicks, updated_at ON links FOR EACH ROW
      WHEN (NEW.clicks IS DISTINCT FROM OLD.clicks OR NEW.updated_at IS DISTINCT FROM OLD.updated_at)
      EXECUTE FUNCTION ${TRIGGER}()`);
  } else {
    await knex.raw(`
      CREATE TRIGGER ${TRIGGER} AFTER UPDATE OF clicks, updated_at ON links FOR EACH ROW
      WHEN NEW.clicks IS NOT OLD.clicks OR NEW.updated_at IS NOT OLD.updated_at
      BEGIN
        UPDATE link_tags SET clicks = NEW.clicks, updated_at = NEW.updated_at WHERE link_id = NEW.id;
      END`);
  }
}

export async function down(knex: Knex): Promise<void> {
  if (dialectOf(knex) === 'postgres') {
    await knex.raw(`DROP TRIGGER IF EXISTS ${TRIGGER} ON links`);
    await knex.raw(`DROP FUNCTION IF EXISTS ${TRIGGER}()`);
  } else {
    await knex.raw(`DROP TRIGGER IF EXISTS ${TRIGGER}`);
  }
  await knex.schema.alterTable('link_tags', (t) => {
    for (const column of SORTS) t.dropIndex([], `link_tags_by_${column}`);
    t.index(['workspace_id', 'mode', 'tag']);
  });
  await dropColumns(knex, 'link_tags', [...SORTS]);
}
