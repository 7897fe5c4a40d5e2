import type { Knex } from 'knex';
import type { RecordedClick } from './types';

const INSERT_CHUNK = 500;
const COUNTER_CHUNK = 200;

const toRow = (click: RecordedClick) => ({
  id: click.id,
  link_id: click.linkId,
  workspace_id: click.workspaceId,
  mode: click.mode,
  created_at: click.at,
  referrer: click.referrer,
  referrer_host: click.referrerHost,
  country: click.country,
  device: click.device,
  browser: click.browser,
  os: click.os,
  is_bot: click.bot,
  is_head: click.head,
  visitor_hash: click.visitorHash,
});

/**
 * Inserts click rows, skipping ids already stored (a batch retried after a commit whose answer was lost), and returns
 * the clicks actually inserted.
 */
export async function insertClicks(trx: Knex.Transaction, clicks: RecordedClick[]): Promise<RecordedClick[]> {
  const inserted = new Set<string>();
  for (let i = 0; i < clicks.length; i += INSERT_CHUNK) {
    const rows = clicks.slice(i, i + INSERT_CHUNK).map(toRow);
    const ids: Array<{ id: string }> = await trx('clicks').insert(rows).onConflict('id').ignore().returning('id');
    for (const { id } of ids) inserted.add(id);
  }
  return inserted.size === clicks.length ? clicks : clicks.filter((click) => inserted.has(click.id));
}

/**
 * Adds each link's counted clicks to `links.clicks` in one statement per chunk, in id order so concurrent flushes from
 * several processes lock rows in the same order. Returns the new totals.
 */
export async function incrementCounters(trx: Knex.Transaction, counts: Map<string, number>): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  const ids = [...counts.keys()].sort();
  for (let i = 0; i < ids.length; i += COUNTER_CHUNK) {
    const chunk = ids.slice(i, i + COUNTER_CHUNK);
    const cases = chunk.map(() => 'WHEN ? THEN CAST(? AS BIGINT)').join(' ');
    const bindings = [...chunk.flatMap((id) => [id, counts.get(id) as number]), ...chunk];
    const result = await trx.raw(
      `UPDATE links SET clicks = clicks + (CASE id ${cases} END) WHERE id IN (${chunk.map(() => '?').join(', ')}) RETURNING id, clicks`,
      bindings,
    );
    const rows: Array<{ id: string; clicks: number | string }> = Array.isArray(result) ? result : result.rows;
    for (const row of rows) totals.set(row.id, Number(row.clicks));
  }
  return totals;
}

export function countByLink(clicks: RecordedClick[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const click of clicks) if (click.counted) counts.set(click.linkId, (counts.get(click.linkId) ?? 0) + 1);
  return counts;
}
