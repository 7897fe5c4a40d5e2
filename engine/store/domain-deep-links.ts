import type { Knex } from 'knex';

/** A custom domain's deep-link documents, as stored JSON text (null: none). */
export interface DeepLinkFiles {
  appleAppSiteAssociation: string | null;
  assetlinks: string | null;
}

interface Row {
  apple_app_site_association: string | null;
  assetlinks: string | null;
}

const toFiles = (row: Row | undefined): DeepLinkFiles => ({
  appleAppSiteAssociation: row?.apple_app_site_association ?? null,
  assetlinks: row?.assetlinks ?? null,
});

/** `domain_deep_links`: one row per custom domain that has deep-link files. */
export class DeepLinkStore {
  constructor(private readonly db: Knex) {}

  async ofDomain(domainId: string, db: Knex = this.db): Promise<DeepLinkFiles> {
    return toFiles(await db('domain_deep_links').where({ domain_id: domainId }).first());
  }

  /** The files served on `hostname` (a custom domain's host name). */
  async ofHostname(hostname: string): Promise<DeepLinkFiles> {
    const row = await this.db('domain_deep_links')
      .join('domains', 'domains.id', 'domain_deep_links.domain_id')
      .where('domains.hostname', hostname)
      .first('domain_deep_links.apple_app_site_association', 'domain_deep_links.assetlinks');
    return toFiles(row as Row | undefined);
  }

  async save(trx: Knex, domainId: string, files: DeepLinkFiles, at: number): Promise<void> {
    const row = { apple_app_site_association: files.appleAppSiteAssociation, assetlinks: files.assetlinks, updated_at: at };
    if (row.apple_app_site_association === null && row.assetlinks === null) {
      await trx('domain_deep_links').where({ domain_id: domainId }).del();
      return;
    }
    await trx('domain_deep_links')
      .insert({ domain_id: domainId, ...row })
      .onConflict('domain_id')
      .merge(row);
  }
}
