import type BetterSqlite3 from 'better-sqlite3';
import type { Outside } from './sqlite-adapter.js';
import { decodeRows, RowShapes, type SqliteValue, toSqlite } from './sqlite-rows.js';

/**
 * Single statements on Prisma's SQLite connection, outside transactions, without Prisma's
 * client around them: an item write's `UPDATE … RETURNING` cost about 150–450 µs of CPU through
 * `$queryRaw` (the client's request pipeline and result mapping) against about 45 µs for the
 * statement and its commit. Each statement waits, as every statement of the adapter does, while
 * a transaction is open on the connection, then runs in the same turn (`Outside` in
 * `sqlite-adapter.ts`; better-sqlite3 is synchronous, so no transaction starts meanwhile). A
 * statement outside a transaction commits by itself, with the connection's durability
 * (WAL, `synchronous=FULL`). Rows are decoded as `CommittedReads` decodes them; errors are
 * better-sqlite3's (`SqliteError`, its `code` naming the constraint: see `constraintFailure`).
 */
export class WriterStatements {
  private readonly shapes = new RowShapes(false);

  constructor(
    private readonly connection: BetterSqlite3.Database,
    private readonly outside: Outside,
  ) {}

  /** The rows a statement returns (`… RETURNING`), decoded. */
  rows(sql: string, values: readonly unknown[]): Promise<Record<string, unknown>[]> {
    const bound = values.map(toSqlite);
    return this.outside(() => {
      const statement = this.connection.prepare(sql).bind(bound);
      const shape = this.shapes.of(statement);
      return decodeRows(statement.raw().all() as SqliteValue[][], shape);
    });
  }

  /** How many rows a statement changed. */
  changes(sql: string, values: readonly unknown[]): Promise<number> {
    const bound = values.map(toSqlite);
    return this.outside(() => this.connection.prepare(sql).bind(bound).run().changes);
  }
}
