import type { Knex } from 'knex';
import { ApiError } from '../support/errors';
import { constantTimeEqual, hmacBase64Url } from '../support/crypto';

export interface PageQuery {
  limit: number;
  cursor?: string;
  /** Column to sort by; ties are broken by `id`, which is unique. */
  sort: string;
  order: 'asc' | 'desc';
  /** Binds a cursor to the list it came from (workspace, mode, filters): a cursor from elsewhere is refused. */
  scope: string;
  /** Qualifies the sort and id columns when the query joins other tables. */
  table?: string;
  /** The tie-breaking column of `table` when it is not `id` (rows must still carry the value as `id`). */
  idColumn?: string;
}

export interface Page<Row> {
  rows: Row[];
  hasMore: boolean;
  cursor: string | null;
}

interface CursorState {
  s: string;
  o: 'asc' | 'desc';
  v: string | number | null;
  i: string;
}

/** Signed, opaque keyset cursors. Never OFFSET: a page costs the same however deep it is. */
export class Paginator {
  constructor(private readonly secret: { readonly value: string }) {}

  private sign(payload: string, scope: string): string {
    return hmacBase64Url(this.secret.value, `${scope}\n${payload}`).slice(0, 22);
  }

  encode(state: CursorState, scope: string): string {
    const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
    return `${payload}.${this.sign(payload, scope)}`;
  }

  decode(cursor: string, page: PageQuery): CursorState {
    const invalid = new ApiError('bad_request', 'The cursor is invalid or belongs to another list; start again without it.');
    const [payload, signature, extra] = cursor.split('.');
    if (!payload || !signature || extra !== undefined || !constantTimeEqual(signature, this.sign(payload, page.scope))) throw invalid;
    let state: CursorState;
    try {
      state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as CursorState;
    } catch {
      throw invalid;
    }
    if (state.s !== page.sort || state.o !== page.order || typeof state.i !== 'string') throw invalid;
    return state;
  }

  /** Applies keyset conditions and order to `query`, fetches one extra row to learn whether more exist. */
  async page<Row extends { id: string }>(query: Knex.QueryBuilder, page: PageQuery): Promise<Page<Row>> {
    const { sort, order } = page;
    const qualified = (column: string) => (page.table ? `${page.table}.${column}` : column);
    const sortColumn = qualified(sort);
    const idColumn = qualified(page.idColumn ?? 'id');
    if (page.cursor) {
      const state = this.decode(page.cursor, page);
      const op = order === 'desc' ? '<' : '>';
      if (sort === 'id') {
        query.where(idColumn, op, state.i);
      } else {
        // A row-value comparison, not `a < v OR (a = v AND id < i)`: both SQLite and Postgres turn it into an index
        // seek, so a deep page costs what the first one does, even across long runs of equal sort values.
        query.whereRaw(`(??, ??) ${op} (?, ?)`, [sortColumn, idColumn, state.v as string | number, state.i]);
      }
    }
    if (sort !== 'id') query.orderBy(sortColumn, order);
    query.orderBy(idColumn, order).limit(page.limit + 1);
    const rows = (await query) as Row[];
    const hasMore = rows.length > page.limit;
    if (hasMore) rows.length = page.limit;
    const last = rows[rows.length - 1];
    return {
      rows,
      hasMore,
      cursor: hasMore && last ? this.encode({ s: sort, o: order, v: (last as unknown as Record<string, string | number | null>)[sort], i: last.id }, page.scope) : null,
    };
  }
}
